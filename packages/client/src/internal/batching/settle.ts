import { ModelArtsError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import type { FailedImage, ImageOutcome, PerIdOutcomes } from '../../core/types.js';

/**
 * What became of each ID of a job: kept by position (no map keyed by ID,
 * which costs more than the rest of the bookkeeping on a 100,000-ID job),
 * and sorted into the result's lists only at the end.
 */

/** A run of consecutive IDs of the job, from position `start`. */
export interface Slice {
  start: number;
  ids: string[];
}

/** Marks an ID the service returned nothing for. */
export const MISSING = Symbol('missing');
export type SliceOutcome = ImageTags | typeof MISSING | ModelArtsError;

/** A slice done with: what became of each of its IDs, in its order. */
export interface SettledSlice extends Slice {
  outcomes: SliceOutcome[];
  requestId: string | undefined;
  /** IDs of the job settled so far, this slice's included, of `total`. */
  done: number;
  total: number;
}

export interface SortedOutcomes {
  images: ImageTags[];
  missing: string[];
  failed: FailedImage[];
}

/** Outcomes by position, split into the result's lists, keeping the order of `ids`. */
export function sortOutcomes(ids: readonly string[], outcomes: readonly SliceOutcome[]): SortedOutcomes {
  const sorted: SortedOutcomes = { images: [], missing: [], failed: [] };
  for (let k = 0; k < ids.length; k++) {
    const outcome = outcomes[k]!;
    if (outcome === MISSING) sorted.missing.push(ids[k]!);
    else if (outcome instanceof ModelArtsError) sorted.failed.push({ imageId: ids[k]!, error: outcome });
    else sorted.images.push(outcome);
  }
  return sorted;
}

/**
 * Gives a result or batch its per-ID view, `outcomes`: built on first read
 * from the positions and from `target.images` (whose entries may have been
 * retyped since), and not enumerable, so JSON of the target is unchanged.
 */
export function withPerIdOutcomes<T extends { images: ImageTags[] }>(
  target: T,
  ids: readonly string[],
  outcomes: readonly SliceOutcome[],
): T & PerIdOutcomes {
  let perId: ImageOutcome[] | undefined;
  return Object.defineProperty(target, 'outcomes', {
    enumerable: false,
    get: () => (perId ??= perIdOutcomes(ids, outcomes, target.images)),
  }) as T & PerIdOutcomes;
}

function perIdOutcomes(ids: readonly string[], outcomes: readonly SliceOutcome[], images: readonly ImageTags[]): ImageOutcome[] {
  const perId = new Array<ImageOutcome>(ids.length);
  let found = 0;
  for (let k = 0; k < ids.length; k++) {
    const imageId = ids[k]!;
    const outcome = outcomes[k]!;
    if (outcome === MISSING) perId[k] = { imageId, status: 'missing' };
    else if (outcome instanceof ModelArtsError) perId[k] = { imageId, status: 'failed', error: outcome };
    else perId[k] = { imageId, status: 'found', image: images[found++]! };
  }
  return perId;
}

/**
 * The service's entries in the order of the IDs asked for. It normally
 * answers in that order, which needs no lookup; otherwise entries are
 * matched by ID.
 */
export function alignWithIds(ids: readonly string[], images: readonly ImageTags[]): (ImageTags | typeof MISSING)[] {
  const aligned = new Array<ImageTags | typeof MISSING>(ids.length);
  let k = 0;
  while (k < ids.length && k < images.length && images[k]!.imageId === ids[k]) {
    aligned[k] = images[k]!;
    k++;
  }
  if (k === ids.length) return aligned;
  const byId = new Map<string, ImageTags>();
  for (let j = k; j < images.length; j++) byId.set(images[j]!.imageId, images[j]!);
  for (; k < ids.length; k++) aligned[k] = byId.get(ids[k]!) ?? MISSING;
  return aligned;
}
