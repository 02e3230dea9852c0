import type { SeededRandom } from './prng.js';
import { CLASSIFICATION_TAGS, DETECTION_TAGS, IMAGE_DEPTH, IMAGE_SIZES } from './vocabulary.js';

export type JobType = 'classification' | 'detection';

/** One `images_tags` entry of a classification job, as sent on the wire. */
export interface ClassificationEntry {
  image_id: string;
  tags: string[];
}

/** One labelled box: `pos` is `[xmin, ymin, xmax, ymax]` in pixels. */
export interface DetectionBox {
  tag: string;
  pos: [number, number, number, number];
}

/** One `images_tags` entry of a detection job, as sent on the wire. */
export interface DetectionEntry {
  image_id: string;
  /** The boxes, or (for jobs that encode them so) a string holding their JSON array. */
  tags: DetectionBox[] | string;
  /** `[width, height]`, sometimes `[width, height, depth]`. */
  size: number[];
}

export type WireEntry = ClassificationEntry | DetectionEntry;

export function classificationEntry(imageId: string, random: SeededRandom): ClassificationEntry {
  const count = random.int(1, 3);
  return { image_id: imageId, tags: random.pickDistinct(CLASSIFICATION_TAGS, count) };
}

export function detectionEntry(imageId: string, random: SeededRandom, tagsAsString: boolean): DetectionEntry {
  const [width, height] = random.pick(IMAGE_SIZES);
  const boxCount = drawBoxCount(random);
  const boxes: DetectionBox[] = [];
  for (let i = 0; i < boxCount; i++) boxes.push(randomBox(random, width, height));
  // The docs allow a third `size` element (depth); send it now and then so
  // clients are exercised on both forms.
  const size = random.next() < 0.125 ? [width, height, IMAGE_DEPTH] : [width, height];
  return { image_id: imageId, tags: tagsAsString ? JSON.stringify(boxes) : boxes, size };
}

/**
 * Whether a seeded detection image has boxes, drawing only what
 * detectionEntry draws before its box count: counting the tagged images of
 * a 100,000-image job then costs no entry.
 */
export function detectionHasBoxes(random: SeededRandom): boolean {
  random.pick(IMAGE_SIZES);
  return drawBoxCount(random) > 0;
}

function drawBoxCount(random: SeededRandom): number {
  return random.int(0, 4);
}

/** A detection entry for an image that arrived from OBS: a size, no boxes yet. */
export function untaggedDetectionEntry(imageId: string, random: SeededRandom, tagsAsString: boolean): DetectionEntry {
  const [width, height] = random.pick(IMAGE_SIZES);
  return { image_id: imageId, tags: tagsAsString ? '[]' : [], size: [width, height] };
}

function randomBox(random: SeededRandom, width: number, height: number): DetectionBox {
  const [xmin, xmax] = randomSpan(random, width);
  const [ymin, ymax] = randomSpan(random, height);
  return { tag: random.pick(DETECTION_TAGS), pos: [xmin, ymin, xmax, ymax] };
}

/** A span [start, end] with start < end <= extent, between 2% and 90% of the extent long. */
function randomSpan(random: SeededRandom, extent: number): [number, number] {
  const length = random.int(Math.max(1, Math.floor(extent * 0.02)), Math.floor(extent * 0.9));
  const start = random.int(0, extent - length);
  return [start, start + length];
}
