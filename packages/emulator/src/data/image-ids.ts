import { SeededRandom } from './prng.js';

export interface SeededImageIds {
  /** The IDs in generation order. */
  ids: string[];
  /** Position of each ID in `ids`. */
  indexById: Map<string, number>;
}

/**
 * `count` distinct 32-character lower-case hex IDs, like the image IDs of
 * ModelArts, always the same for the same seed.
 */
export function generateImageIds(seed: number, count: number): SeededImageIds {
  const random = new SeededRandom(seed);
  const ids: string[] = [];
  const indexById = new Map<string, number>();
  // Hex-encoding one buffer slice per ID is several times faster than
  // concatenating per-word hex strings, which matters for 100,000-image jobs.
  const bytes = Buffer.allocUnsafe(16);
  while (ids.length < count) {
    for (let word = 0; word < 4; word++) bytes.writeUInt32BE(random.nextUint32(), word * 4);
    const id = bytes.toString('hex');
    // 128 random bits practically never collide, but a duplicate would make
    // two images indistinguishable, so it is skipped rather than trusted.
    if (indexById.has(id)) continue;
    indexById.set(id, ids.length);
    ids.push(id);
  }
  return { ids, indexById };
}
