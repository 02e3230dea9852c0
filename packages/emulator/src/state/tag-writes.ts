import type { DetectionBox, WireEntry } from '../data/entries.js';
import type { JobState } from './job-state.js';

/** One image of an `updateImageTags` body, as the schema lets it through. */
export interface TagWrite {
  image_id: string;
  tags: (string | DetectionBox)[];
  size?: number[];
}

export type PreparedWrites = { ok: true; entries: WireEntry[] } | { ok: false; message: string };

// An error names a few offending images, not thousands.
const NAMED_AT_MOST = 10;

/**
 * Checks a whole tag write against the job before anything is written:
 * every image must exist, tags must have the job type's shape, and boxes
 * must be proper boxes inside the image. One bad image refuses the whole
 * request, so a write is all or nothing. Returns the new entries.
 */
export function prepareTagWrites(job: JobState, images: readonly TagWrite[], topLevelSize: number[] | undefined): PreparedWrites {
  const unknown = [...new Set(images.map((image) => image.image_id).filter((id) => !job.has(id)))];
  if (unknown.length > 0) {
    return { ok: false, message: `the job ${job.id} has no image ${listed(unknown)}; nothing was written` };
  }
  const entries: WireEntry[] = [];
  for (const [position, image] of images.entries()) {
    const where = `images[${position}] (${image.image_id})`;
    const current = job.entry(image.image_id) as WireEntry;
    if (job.type === 'classification') {
      if (image.tags.some((tag) => typeof tag !== 'string')) {
        return { ok: false, message: `${where} has detection boxes, but job ${job.id} is an image classification job: tags are names` };
      }
      entries.push({ image_id: image.image_id, tags: image.tags as string[] });
      continue;
    }
    if (image.tags.some((tag) => typeof tag === 'string')) {
      return { ok: false, message: `${where} has tag names, but job ${job.id} is an object detection job: tags are {tag, pos} boxes` };
    }
    const knownSize = 'size' in current ? current.size : (image.size ?? topLevelSize);
    const sizeProblem = checkGivenSize(image.size ?? topLevelSize, knownSize);
    if (sizeProblem) return { ok: false, message: `${where}: ${sizeProblem}` };
    const boxes = image.tags as DetectionBox[];
    for (const [boxPosition, box] of boxes.entries()) {
      const problem = checkBox(box.pos, knownSize);
      if (problem) return { ok: false, message: `${where} tags[${boxPosition}] (${box.tag}): ${problem}; nothing was written` };
    }
    const tags = job.seeded.tagsEncoding === 'string' ? JSON.stringify(boxes) : boxes;
    entries.push({ image_id: image.image_id, tags, ...(knownSize ? { size: knownSize } : {}) } as WireEntry);
  }
  return { ok: true, entries };
}

function checkGivenSize(given: number[] | undefined, known: number[] | undefined): string | undefined {
  if (given === undefined || known === undefined) return undefined;
  if (given[0] === known[0] && given[1] === known[1]) return undefined;
  return `size [${given.join(', ')}] is not the image's size [${known.join(', ')}]`;
}

function checkBox(pos: readonly number[], size: readonly number[] | undefined): string | undefined {
  const [xmin, ymin, xmax, ymax] = pos as [number, number, number, number];
  if (!(xmin < xmax)) return `xmin ${xmin} must be less than xmax ${xmax}`;
  if (!(ymin < ymax)) return `ymin ${ymin} must be less than ymax ${ymax}`;
  if (xmin < 0 || ymin < 0) return `the box [${pos.join(', ')}] starts outside the image`;
  if (size !== undefined && size.length >= 2) {
    const [width, height] = size as [number, number];
    if (xmax > width || ymax > height) return `the box [${pos.join(', ')}] reaches outside the ${width}x${height} image`;
  }
  return undefined;
}

export function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, NAMED_AT_MOST).join(', ');
  return ids.length > NAMED_AT_MOST ? `${shown} and ${ids.length - NAMED_AT_MOST} more` : shown;
}
