// Small, fast, seedable randomness. The emulator's data and fault decisions
// must be reproducible from a seed, which Math.random cannot give.

/** 32-bit FNV-1a hash of a string, folded with a seed. */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return finalizeHash(hash);
}

/** Combines integers into one well-mixed 32-bit value. */
export function hashInts(...values: number[]): number {
  let hash = 0x9e3779b9;
  for (const value of values) {
    hash = Math.imul(hash ^ (value >>> 0), 0x85ebca6b);
    hash = (hash << 13) | (hash >>> 19);
  }
  return finalizeHash(hash);
}

// murmur3's finaliser: spreads every input bit over the whole word, so that
// nearby seeds (1, 2, 3...) give unrelated streams.
function finalizeHash(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded generator (sfc32), fast enough to run per image on the request path. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Each state word gets its own hash of the seed, so that seeds which
    // differ by one bit still start from unrelated states.
    this.a = hashInts(seed, 1);
    this.b = hashInts(seed, 2);
    this.c = hashInts(seed, 3);
    this.d = hashInts(seed, 4);
    // The first outputs of sfc32 still resemble the seed; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct items, in a random order. */
  pickDistinct<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const picked: T[] = [];
    for (let i = 0; i < count && pool.length > 0; i++) {
      const index = Math.floor(this.next() * pool.length);
      picked.push(pool.splice(index, 1)[0] as T);
    }
    return picked;
  }
}
