import { describe, expect, it } from 'vitest';
import { hashInts, hashString, SeededRandom } from './prng.js';

describe('SeededRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => random.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('spreads floats evenly over [0, 1)', () => {
    const random = new SeededRandom(1);
    const buckets = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const value = random.next();
      min = Math.min(min, value);
      max = Math.max(max, value);
      buckets[Math.floor(value * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of buckets) {
      expect(count).toBeGreaterThan(9_500);
      expect(count).toBeLessThan(10_500);
    }
  });

  it('draws integers over the whole inclusive range', () => {
    const random = new SeededRandom(2);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000; i++) seen.add(random.int(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('picks distinct items', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 100; i++) {
      const picked = random.pickDistinct(['a', 'b', 'c', 'd'], 3);
      expect(new Set(picked).size).toBe(3);
    }
    expect(() => random.pick([])).toThrow(RangeError);
  });
});

describe('hashes', () => {
  it('are stable and sensitive to every input', () => {
    expect(hashString('287')).toBe(hashString('287'));
    expect(hashString('287')).not.toBe(hashString('288'));
    expect(hashString('287', 1)).not.toBe(hashString('287', 2));
    expect(hashInts(1, 2)).not.toBe(hashInts(2, 1));
    expect(hashInts(1, 2)).toBe(hashInts(1, 2));
  });
});
