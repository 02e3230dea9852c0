import { SeededRandom } from './prng.js';

/**
 * `count` distinct 32-character lower-case hex IDs, like the image IDs of
 * ModelArts, always the same for the same seed.
 */
export function generateImageIds(seed: number, count: number): string[] {
  const random = new SeededRandom(seed);
  const ids: string[] = [];
  const seen = new Set<string>();
  while (ids.length < count) {
    let id = '';
    for (let word = 0; word < 4; word++) id += random.nextUint32().toString(16).padStart(8, '0');
    // 128 random bits practically never collide, but a duplicate would make
    // two images indistinguishable, so it is skipped rather than trusted.
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}
