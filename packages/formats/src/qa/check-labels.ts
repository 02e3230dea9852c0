import { byCodePoint } from '../classes.js';
import type { BoundingBox, ImageSize, ImageSource, ImageTags, TagCount } from '../types.js';

export type FindingKind =
  | 'boxOutsideImage'
  | 'zeroAreaBox'
  | 'invertedBox'
  | 'boxWithoutSize'
  | 'imageWithoutTags'
  | 'tagNotInTagList'
  | 'tagCountMismatch';

export const FINDING_KINDS: readonly FindingKind[] = [
  'boxOutsideImage',
  'zeroAreaBox',
  'invertedBox',
  'boxWithoutSize',
  'imageWithoutTags',
  'tagNotInTagList',
  'tagCountMismatch',
];

/** One thing worth a look; nothing is ever fixed, only reported. */
export interface Finding {
  kind: FindingKind;
  /** Absent for a job-level finding (a tag count). */
  imageId?: string;
  tag?: string;
  /** Position of the box in the image's tags. */
  boxIndex?: number;
  box?: BoundingBox;
  size?: ImageSize;
  /** tagCountMismatch: images with the tag per the job's statistics, and among the checked images. */
  expected?: number;
  actual?: number;
  message: string;
}

export interface TagSummary {
  tag: string;
  /** Images that carry the tag. */
  images: number;
  /** Boxes with the tag (detection). */
  boxes: number;
  /** From the job's statistics, when given. */
  expectedImages?: number;
}

export interface QaReport {
  images: number;
  boxes: number;
  /** Per kind, how many findings. */
  counts: Record<FindingKind, number>;
  findings: Finding[];
  tags: TagSummary[];
}

export interface QaOptions {
  /** The job's tag list (query_tag_list): tags outside it are reported. */
  tagList?: readonly string[];
  /** The job's tag statistics (tags/stats `tag_count[]`): images per tag, compared with the checked images. */
  statistics?: readonly TagCount[];
}

/**
 * Label QA, one image at a time (bounded by the findings, not the images): boxes outside their image
 * (`0 <= xmin < xmax <= width`, same for y), zero-area and inverted boxes, boxes on an image without
 * a size, images without tags, tags outside the job's tag list, and per-tag image counts against the
 * job's statistics.
 */
export class LabelChecker {
  readonly #findings: Finding[] = [];
  readonly #tags = new Map<string, TagSummary>();
  readonly #tagList: ReadonlySet<string> | undefined;
  readonly #statistics: readonly TagCount[] | undefined;
  #images = 0;
  #boxes = 0;

  constructor(options: QaOptions = {}) {
    this.#tagList = options.tagList ? new Set(options.tagList) : undefined;
    this.#statistics = options.statistics;
  }

  add(image: ImageTags): void {
    this.#images++;
    const id = image.imageId;
    if (image.tags.length === 0) {
      this.#push({ kind: 'imageWithoutTags', imageId: id, message: `image ${id} has no tags` });
      return;
    }
    const seen = new Set<string>();
    if (image.type === 'classification') {
      for (const tag of image.tags) this.#countTag(tag, id, seen, false);
      return;
    }
    const size = image.size;
    image.tags.forEach(({ tag, box }, boxIndex) => {
      this.#boxes++;
      this.#countTag(tag, id, seen, true);
      const where = { imageId: id, tag, boxIndex, box };
      if (box.xmin > box.xmax || box.ymin > box.ymax) {
        this.#push({
          kind: 'invertedBox',
          ...where,
          message: `image ${id}, box ${boxIndex} (${tag}): the corners are inverted (${describe(box)})`,
        });
      } else if (box.xmin === box.xmax || box.ymin === box.ymax) {
        this.#push({ kind: 'zeroAreaBox', ...where, message: `image ${id}, box ${boxIndex} (${tag}): zero area (${describe(box)})` });
      }
      if (!size) {
        this.#push({
          kind: 'boxWithoutSize',
          ...where,
          message: `image ${id}, box ${boxIndex} (${tag}): the image has no size, so the box cannot be checked or normalised`,
        });
      } else if (box.xmin < 0 || box.ymin < 0 || box.xmax > size.width || box.ymax > size.height) {
        this.#push({
          kind: 'boxOutsideImage',
          ...where,
          size,
          message: `image ${id}, box ${boxIndex} (${tag}): ${describe(box)} reaches outside the ${size.width}x${size.height} image`,
        });
      }
    });
  }

  finish(): QaReport {
    const findings = [...this.#findings];
    const tags = [...this.#tags.values()];
    if (this.#statistics) {
      const expected = new Map(this.#statistics.map(({ tag, count }) => [tag, count]));
      for (const [tag, count] of expected) {
        let summary = this.#tags.get(tag);
        if (!summary) {
          summary = { tag, images: 0, boxes: 0 };
          tags.push(summary);
        }
        summary.expectedImages = count;
        if (summary.images !== count) {
          findings.push({
            kind: 'tagCountMismatch',
            tag,
            expected: count,
            actual: summary.images,
            message: `tag "${tag}": the job's statistics count ${count} image(s), the checked images ${summary.images}${summary.images < count ? ' (were all the images of the job checked?)' : ''}`,
          });
        }
      }
      for (const summary of tags) {
        if (!expected.has(summary.tag)) {
          findings.push({
            kind: 'tagCountMismatch',
            tag: summary.tag,
            expected: 0,
            actual: summary.images,
            message: `tag "${summary.tag}": on ${summary.images} checked image(s) but not in the job's statistics`,
          });
        }
      }
    }
    const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
    for (const finding of findings) counts[finding.kind]++;
    tags.sort((a, b) => byCodePoint(a.tag, b.tag));
    return { images: this.#images, boxes: this.#boxes, counts, findings, tags };
  }

  #countTag(tag: string, imageId: string, seenInImage: Set<string>, isBox: boolean): void {
    let summary = this.#tags.get(tag);
    if (!summary) {
      summary = { tag, images: 0, boxes: 0 };
      this.#tags.set(tag, summary);
    }
    if (isBox) summary.boxes++;
    if (seenInImage.has(tag)) return;
    seenInImage.add(tag);
    summary.images++;
    if (this.#tagList && !this.#tagList.has(tag)) {
      this.#push({ kind: 'tagNotInTagList', imageId, tag, message: `image ${imageId}: tag "${tag}" is not in the job's tag list` });
    }
  }

  #push(finding: Finding): void {
    this.#findings.push(finding);
  }
}

/** Checks every image of the source. */
export async function checkLabels(images: ImageSource, options: QaOptions = {}): Promise<QaReport> {
  const checker = new LabelChecker(options);
  for await (const image of images as AsyncIterable<ImageTags>) checker.add(image);
  return checker.finish();
}

function describe(box: BoundingBox): string {
  return `[${box.xmin}, ${box.ymin}, ${box.xmax}, ${box.ymax}]`;
}
