import { beforeAll, describe, expect, it } from 'vitest';
import { passesFastCheck } from './fast-check.js';
import { checkByShape } from './parse-body.js';
import { loadValidation } from './validation.js';

beforeAll(() => loadValidation());

/** A small seeded generator (mulberry32), so a failure names a body that can be made again. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)]!;
  return { next, int, pick, chance: (p: number): boolean => next() < p };
}
type Gen = ReturnType<typeof generator>;

/** Numbers JSON can carry, edges included. */
const EDGE_NUMBERS = [0, -0, 1, 3, -1, 0.5, -0.25, 1920, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e308, 5e-324, 1.0000001];
const FIELD_NAMES = ['image_id', 'tags', 'size', 'tag', 'pos', 'score', 'note', 'is_success', 'error_code', 'images_tags', '__proto__'];

function anyValue(g: Gen, depth = 0): unknown {
  switch (g.int(depth > 1 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return g.chance(0.5);
    case 2:
      return g.pick(EDGE_NUMBERS);
    case 3:
      return g.pick(['', 'x', 'flower', '[]', '[{"tag":"a","pos":[1,2,3,4]}]']);
    case 4:
      return g.pick(['a', 'b']);
    case 5:
      return Array.from({ length: g.int(3) }, () => anyValue(g, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: g.int(3) }, () => [g.pick(FIELD_NAMES), anyValue(g, depth + 1)]));
  }
}

function box(g: Gen): Record<string, unknown> {
  const tag: Record<string, unknown> = { tag: g.pick(['flower', 'cat', '']), pos: [0, 1, 2, 3].map(() => g.pick(EDGE_NUMBERS)) };
  if (g.chance(0.2)) tag.score = g.pick(EDGE_NUMBERS);
  return tag;
}

function validEntry(g: Gen): Record<string, unknown> {
  const entry: Record<string, unknown> = { image_id: g.pick(['img-1', 'a', '']) };
  if (g.chance(0.5)) {
    entry.tags = Array.from({ length: g.int(4) }, () => g.pick(['animal', 'fish', '']));
  } else {
    const boxes = Array.from({ length: g.int(4) }, () => box(g));
    // The service sends the boxes as a JSON string in some answers.
    entry.tags = g.chance(0.2) ? JSON.stringify(boxes) : boxes;
    if (g.chance(0.7)) entry.size = Array.from({ length: 2 + g.int(2) }, () => g.pick([0, 1, 640, 1920, 3]));
  }
  if (g.chance(0.15)) entry[g.pick(['note', 'score', 'extra'])] = anyValue(g);
  return entry;
}

/** One random change somewhere in the body: a field removed, replaced by any value, or added. */
function mutate(g: Gen, target: unknown): unknown {
  if (typeof target !== 'object' || target === null) return anyValue(g);
  const children = Object.keys(target);
  if (children.length > 0 && g.chance(0.6)) {
    const key = g.pick(children);
    const holder = target as Record<string, unknown>;
    holder[key] = mutate(g, holder[key]);
    return target;
  }
  const holder = target as Record<string, unknown>;
  const key = children.length > 0 && g.chance(0.5) ? g.pick(children) : g.pick(FIELD_NAMES);
  if (Array.isArray(target)) {
    if (g.chance(0.5)) target.pop();
    else target.push(anyValue(g));
  } else if (g.chance(0.3)) delete holder[key];
  else holder[key] = g.chance(0.3) ? g.pick(EDGE_NUMBERS) : anyValue(g);
  return target;
}

function body(g: Gen): unknown {
  const value: Record<string, unknown> = { is_success: g.chance(0.9) };
  if (g.chance(0.2)) value.error_code = g.pick(['', 'ModelArts.4204']);
  if (g.chance(0.2)) value.error_msg = 'msg';
  if (g.chance(0.95)) value.images_tags = Array.from({ length: g.int(4) }, () => validEntry(g));
  let result: unknown = value;
  for (let n = g.chance(0.5) ? 0 : 1 + g.int(2); n > 0; n--) result = mutate(g, result);
  // Through the wire: only what JSON.parse can hand over (an own __proto__ field included).
  return JSON.parse(JSON.stringify(result));
}

describe('passesFastCheck', () => {
  it('accepts exactly the bodies the zod schemas accept, over 100,000 generated bodies', () => {
    const g = generator(21);
    let accepted = 0;
    const bodies = 100_000;
    for (let i = 0; i < bodies; i++) {
      const json = body(g);
      const byZod = checkByShape(json) !== undefined;
      const fast = passesFastCheck(json);
      if (fast !== byZod) expect(fast, `body ${i}: ${JSON.stringify(json)}`).toBe(byZod);
      if (byZod) accepted++;
    }
    // Both sides of the line are well covered.
    expect(accepted).toBeGreaterThan(bodies * 0.3);
    expect(accepted).toBeLessThan(bodies * 0.8);
  });

  it('refuses what is not a body at all', () => {
    for (const json of [null, [], 'x', 1, { images_tags: [] }, { is_success: 'true' }]) {
      expect(passesFastCheck(json)).toBe(false);
      expect(checkByShape(json)).toBeUndefined();
    }
  });
});
