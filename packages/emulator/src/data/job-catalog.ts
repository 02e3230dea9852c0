import {
  CLASSIFICATION_JOB_ID,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  PRODUCT_CLASSIFICATION_JOB_ID,
  SHELF_DETECTION_JOB_ID,
} from '../constants.js';
import { classificationEntry, detectionEntry, detectionHasBoxes, type JobType, type WireEntry } from './entries.js';
import { generateImageIds, type SeededImageIds } from './image-ids.js';
import { hashInts, hashString, SeededRandom } from './prng.js';

/** What a caller may know about a seeded job. */
export interface JobInfo {
  readonly id: string;
  readonly type: JobType;
  /** 'string' when detection `tags` are sent as a string holding the JSON array. */
  readonly tagsEncoding: 'array' | 'string';
  /** How many images the job has (known without generating their IDs). */
  readonly imageCount: number;
  /** Every image of the job, in a stable order. */
  readonly imageIds: readonly string[];
}

/**
 * A job with seeded images. Its image IDs are generated when first needed,
 * and each entry on first use, then kept as JSON text, so that answering a
 * request is a lookup and a string join.
 */
export class SeededJob implements JobInfo {
  readonly seed: number;
  private images: SeededImageIds | undefined;
  private readonly fragments: (string | undefined)[];
  private taggedCount: number | undefined;

  constructor(
    readonly id: string,
    readonly type: JobType,
    readonly tagsEncoding: 'array' | 'string',
    catalogSeed: number,
    readonly imageCount: number,
    /** Share of images nobody has tagged yet, on top of detection images drawn without boxes. */
    private readonly untaggedShare = 0,
  ) {
    this.seed = hashInts(catalogSeed, hashString(id));
    this.fragments = new Array<string | undefined>(imageCount);
  }

  /** Position of the image in the seeded order, or undefined. */
  indexOf(imageId: string): number | undefined {
    return this.seededImages().indexById.get(imageId);
  }

  /** Whether the seeded image at `index` has tags, without building its entry. */
  isTaggedAt(index: number): boolean {
    if (this.leftUntagged(index)) return false;
    return this.type === 'classification' || detectionHasBoxes(new SeededRandom(hashInts(this.seed, index)));
  }

  /** How many seeded images have tags; counted once, without building entries. */
  seededTaggedCount(): number {
    if (this.taggedCount === undefined) {
      let count = 0;
      for (let index = 0; index < this.imageCount; index++) if (this.isTaggedAt(index)) count += 1;
      this.taggedCount = count;
    }
    return this.taggedCount;
  }

  get imageIds(): readonly string[] {
    return this.seededImages().ids;
  }

  has(imageId: string): boolean {
    return this.seededImages().indexById.has(imageId);
  }

  /** The entry's JSON text exactly as it goes on the wire, or undefined for an unknown image. */
  fragment(imageId: string): string | undefined {
    const index = this.seededImages().indexById.get(imageId);
    if (index === undefined) return undefined;
    let fragment = this.fragments[index];
    if (fragment === undefined) {
      fragment = JSON.stringify(this.generate(imageId, index));
      this.fragments[index] = fragment;
    }
    return fragment;
  }

  /** The entry as a client receives it after parsing, or undefined for an unknown image. */
  entry(imageId: string): WireEntry | undefined {
    const fragment = this.fragment(imageId);
    return fragment === undefined ? undefined : (JSON.parse(fragment) as WireEntry);
  }

  // Jobs nobody asks about never pay for their IDs.
  private seededImages(): SeededImageIds {
    if (this.images === undefined) {
      const images = generateImageIds(this.seed, this.imageCount);
      Object.freeze(images.ids);
      this.images = images;
    }
    return this.images;
  }

  // Each image has its own generator, so an entry does not depend on which
  // images were asked for before it.
  private generate(imageId: string, index: number): WireEntry {
    const random = new SeededRandom(hashInts(this.seed, index));
    const entry =
      this.type === 'classification'
        ? classificationEntry(imageId, random)
        : detectionEntry(imageId, random, this.tagsEncoding === 'string');
    if (this.leftUntagged(index)) entry.tags = this.tagsEncoding === 'string' ? '[]' : [];
    return entry;
  }

  private leftUntagged(index: number): boolean {
    return this.untaggedShare > 0 && hashInts(this.seed, index, UNTAGGED_SALT) / 0x1_0000_0000 < this.untaggedShare;
  }
}

const UNTAGGED_SALT = 0x756e7467;

export interface SeededJobs {
  readonly classification: SeededJob;
  readonly detection: SeededJob;
  readonly detectionStringTags: SeededJob;
}

export class JobCatalog {
  readonly jobs: SeededJobs;
  /** Jobs beyond the three named ones, so that the job list has several of each type. */
  readonly moreJobs: readonly SeededJob[];
  private readonly byId: Map<string, SeededJob>;

  constructor(seed: number, imagesPerJob: number) {
    if (!Number.isSafeInteger(imagesPerJob) || imagesPerJob < 0) {
      throw new RangeError(`imagesPerJob must be a non-negative integer, got ${imagesPerJob}`);
    }
    this.jobs = Object.freeze({
      classification: new SeededJob(CLASSIFICATION_JOB_ID, 'classification', 'array', seed, imagesPerJob),
      detection: new SeededJob(DETECTION_JOB_ID, 'detection', 'array', seed, imagesPerJob),
      detectionStringTags: new SeededJob(DETECTION_STRING_TAGS_JOB_ID, 'detection', 'string', seed, imagesPerJob),
    });
    this.moreJobs = Object.freeze([
      new SeededJob(PRODUCT_CLASSIFICATION_JOB_ID, 'classification', 'array', seed, imagesPerJob, 0.6),
      new SeededJob(SHELF_DETECTION_JOB_ID, 'detection', 'array', seed, imagesPerJob, 0.3),
    ]);
    this.byId = new Map([...Object.values(this.jobs), ...this.moreJobs].map((job: SeededJob) => [job.id, job]));
  }

  get(jobId: string): SeededJob | undefined {
    return this.byId.get(jobId);
  }

  list(): SeededJob[] {
    return [...this.byId.values()];
  }
}
