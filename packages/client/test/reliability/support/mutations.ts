import fc from 'fast-check';
import type { ImageTags } from '../../../src/core/image-tags.js';
import { expectedImages, successArb, type JobKind, type WireDetectionTag, type WireEntry, type WireResponse } from './wire.js';

/** What the client must make of a mutated response. */
export type Expectation =
  | { kind: 'images'; images: ImageTags[] }
  /** An InvalidResponseError whose path is `path` or lies inside it. */
  | { kind: 'invalid'; path: string }
  | { kind: 'unsuccessful'; errorCode: string | undefined };

export interface Mutated {
  /** Which mutation, for fast-check's counterexample report and for statistics. */
  label: string;
  body: string;
  expect: Expectation;
}

// Values of the wrong JSON type for each modelled field.
const notBoolean = fc.constantFrom<unknown>('true', 'false', 1, 0, null, [], {});
const notString = fc.oneof(fc.integer(), fc.constantFrom<unknown>(null, true, false, [], {}, ['a']));
const notArray = fc.oneof(
  fc.string({ maxLength: 5 }).filter((s) => !isJsonArrayText(s)),
  fc.integer(),
  fc.constantFrom<unknown>(null, true, {}, { 0: 'a' }),
);
const notObject = fc.constantFrom<unknown>(null, 'entry', 1, true, [], ['a']);
// NaN and Infinity cannot be JSON numbers; services that try send them as strings or null.
const notNumber = fc.constantFrom<unknown>('NaN', 'Infinity', '-Infinity', '1', '', null, true, {}, []);
const notPixelCount = fc.constantFrom<unknown>(-1, -0.5, 1.5, 1e-9, 2 ** 53, '1920', 'NaN', 'Infinity', null, true);
/** Written into the text as 1e999: JSON.parse reads it as Infinity. */
const OVERFLOW = 7.123456789e-77;
/** Written into the text as an array nested thousands deep, which JSON.stringify itself could not write. */
const DEEP = 8.123456789e-77;

function isJsonArrayText(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function ok(label: string, response: WireResponse): Mutated {
  return { label, body: JSON.stringify(response), expect: { kind: 'images', images: expectedImages(response) } };
}

function invalid(label: string, value: unknown, path: string, overflow?: string, depth?: number): Mutated {
  let body = JSON.stringify(value);
  if (overflow !== undefined) body = body.replace(String(OVERFLOW), overflow);
  if (depth !== undefined) body = body.replace(String(DEEP), '['.repeat(depth) + ']'.repeat(depth));
  return { label, body, expect: { kind: 'invalid', path } };
}

/** Reads and writes an entry's tags whether they travel as an array or as a string holding it. */
function tagsOf(entry: WireEntry): WireDetectionTag[] {
  return (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as WireDetectionTag[];
}
function setTags(entry: WireEntry, tags: unknown[]): void {
  entry.tags = (typeof entry.tags === 'string' ? JSON.stringify(tags) : tags) as WireEntry['tags'];
}

function topLevel(response: WireResponse): fc.Arbitrary<Mutated>[] {
  return [
    fc.constant(0).map(() => {
      const { is_success: _, ...rest } = clone(response);
      return invalid('is_success missing', rest, 'is_success');
    }),
    notBoolean.map((v) => invalid('is_success wrong type', { ...clone(response), is_success: v }, 'is_success')),
    notArray.map((v) => invalid('images_tags wrong type', { ...clone(response), images_tags: v }, 'images_tags')),
    fc
      .record({ code: fc.option(fc.string(), { nil: undefined }), msg: fc.option(fc.string(), { nil: undefined }) })
      .map(({ code, msg }) => {
        const refused: WireResponse = { ...clone(response), is_success: false };
        if (code !== undefined) refused.error_code = code;
        if (msg !== undefined) refused.error_msg = msg;
        return { label: 'is_success false', body: JSON.stringify(refused), expect: { kind: 'unsuccessful', errorCode: code } };
      }),
    fc
      .tuple(fc.constantFrom('error_code', 'error_msg'), notString)
      .map(([field, v]) => invalid(`${field} wrong type`, { ...clone(response), [field]: v }, field)),
  ];
}

function perEntry(response: WireResponse, kind: JobKind): fc.Arbitrary<Mutated>[] {
  const entries = response.images_tags ?? [];
  if (entries.length === 0) return [];
  const index = fc.nat({ max: entries.length - 1 });
  const at = (i: number): string => `images_tags[${i}]`;
  const mutate = (i: number, change: (entry: WireEntry) => void): WireResponse => {
    const copy = clone(response);
    change(copy.images_tags![i]!);
    return copy;
  };
  const list: fc.Arbitrary<Mutated>[] = [
    fc.tuple(index, notObject).map(([i, v]) => {
      const copy = clone(response);
      (copy.images_tags as unknown[])[i] = v;
      return invalid('entry not an object', copy, at(i));
    }),
    fc.tuple(index, fc.constantFrom('image_id', 'tags')).map(([i, field]) =>
      invalid(
        `${field} missing`,
        mutate(i, (e) => delete e[field]),
        `${at(i)}.${field}`,
      ),
    ),
    fc.tuple(index, notString).map(([i, v]) =>
      invalid(
        'image_id wrong type',
        mutate(i, (e) => (e.image_id = v as string)),
        `${at(i)}.image_id`,
      ),
    ),
    fc.tuple(index, notArray).map(([i, v]) =>
      invalid(
        'tags wrong type',
        mutate(i, (e) => (e.tags = v as string[])),
        `${at(i)}.tags`,
      ),
    ),
    // Tolerated: an extra field nested deeply is kept as it came.
    fc.tuple(index, fc.integer({ min: 1, max: 200 })).map(([i, depth]) => {
      let deep: unknown = 'bottom';
      for (let d = 0; d < depth; d++) deep = d % 2 === 0 ? [deep] : { d: deep };
      return ok(
        'deeply nested extra field',
        mutate(i, (e) => (e.nested_extra = deep)),
      );
    }),
    // Refused: an unknown field nested so deep that the result could not be serialised (n8n, the CLI).
    fc.tuple(index, fc.integer({ min: 300, max: 20_000 })).map(([i, depth]) =>
      invalid(
        'extra field nested too deeply',
        mutate(i, (e) => (e.nested_extra = DEEP)),
        `${at(i)}.nested_extra`,
        undefined,
        depth,
      ),
    ),
  ];

  if (kind === 'classification') {
    const withTags = entries.flatMap((e, i) => ((e.tags as string[]).length > 0 ? [i] : []));
    if (withTags.length > 0) {
      const tagAt = fc
        .constantFrom(...withTags)
        .chain((i) => fc.tuple(fc.constant(i), fc.nat({ max: (entries[i]!.tags as string[]).length - 1 })));
      list.push(
        fc.tuple(tagAt, fc.oneof(notString, fc.constantFrom<unknown>({ tag: 1 }, { pos: [] }))).map(([[i, j], v]) =>
          invalid(
            'classification tag wrong type',
            mutate(i, (e) => ((e.tags as unknown[])[j] = v)),
            `${at(i)}.tags[${j}]`,
          ),
        ),
      );
    }
    return list;
  }

  // Detection entries: size, and the boxes inside tags (array or string-encoded alike).
  list.push(
    fc.tuple(index, notArray).map(([i, v]) =>
      invalid(
        'size wrong type',
        mutate(i, (e) => (e.size = v as number[])),
        `${at(i)}.size`,
      ),
    ),
    fc.tuple(index, fc.constantFrom(0, 1, 4, 5)).map(([i, n]) =>
      invalid(
        'size wrong length',
        mutate(i, (e) => (e.size = Array.from({ length: n }, (_, k) => 10 + k))),
        `${at(i)}.size`,
      ),
    ),
    fc.tuple(index, fc.nat({ max: 1 }), notPixelCount).map(([i, k, v]) =>
      invalid(
        'size element not a pixel count',
        mutate(i, (e) => (e.size = [640, 480].map((n, m) => (m === k ? v : n)) as number[])),
        `${at(i)}.size[${k}]`,
      ),
    ),
    fc.tuple(index, fc.nat({ max: 1 }), fc.constantFrom('1e999', '-1e999')).map(([i, k, text]) =>
      invalid(
        'size element overflows',
        mutate(i, (e) => (e.size = [640, 480].map((n, m) => (m === k ? OVERFLOW : n)))),
        `${at(i)}.size[${k}]`,
        text,
      ),
    ),
    fc.tuple(index, fc.constantFrom('[{', 'not json', '{"tag":"a","pos":[0,0,1,1]}', 'null', '1', '"[]"')).map(([i, text]) =>
      invalid(
        'tags string does not hold an array',
        mutate(i, (e) => (e.tags = text)),
        `${at(i)}.tags`,
      ),
    ),
  );

  const withBoxes = entries.flatMap((e, i) => (tagsOf(e).length > 0 ? [i] : []));
  if (withBoxes.length === 0) return list;
  const boxAt = fc.constantFrom(...withBoxes).chain((i) => fc.tuple(fc.constant(i), fc.nat({ max: tagsOf(entries[i]!).length - 1 })));
  const mutateBox = (i: number, j: number, change: (tag: Record<string, unknown>) => void): WireResponse =>
    mutate(i, (e) => {
      const tags = tagsOf(e) as unknown as Record<string, unknown>[];
      change(tags[j]!);
      setTags(e, tags);
    });
  const box = (i: number, j: number): string => `${at(i)}.tags[${j}]`;
  list.push(
    fc.tuple(boxAt, fc.constantFrom('tag', 'pos')).map(([[i, j], field]) =>
      invalid(
        `box ${field} missing`,
        mutateBox(i, j, (t) => delete t[field]),
        `${box(i, j)}.${field}`,
      ),
    ),
    fc.tuple(boxAt, notString).map(([[i, j], v]) =>
      invalid(
        'box tag wrong type',
        mutateBox(i, j, (t) => (t.tag = v)),
        `${box(i, j)}.tag`,
      ),
    ),
    fc.tuple(boxAt, notArray).map(([[i, j], v]) =>
      invalid(
        'pos wrong type',
        mutateBox(i, j, (t) => (t.pos = v)),
        `${box(i, j)}.pos`,
      ),
    ),
    fc.tuple(boxAt, fc.constantFrom(0, 1, 3, 5)).map(([[i, j], n]) =>
      invalid(
        'pos wrong length',
        mutateBox(i, j, (t) => (t.pos = Array.from({ length: n }, (_, k) => k))),
        `${box(i, j)}.pos`,
      ),
    ),
    fc.tuple(boxAt, fc.nat({ max: 3 }), notNumber).map(([[i, j], k, v]) =>
      invalid(
        'pos element not a number',
        mutateBox(i, j, (t) => ((t.pos as unknown[])[k] = v)),
        `${box(i, j)}.pos[${k}]`,
      ),
    ),
    fc.tuple(boxAt, fc.nat({ max: 3 }), fc.constantFrom('1e999', '-1e999')).map(([[i, j], k, text]) =>
      invalid(
        'pos element overflows',
        mutateBox(i, j, (t) => ((t.pos as unknown[])[k] = OVERFLOW)),
        `${box(i, j)}.pos[${k}]`,
        text,
      ),
    ),
    // A box that is not an object: the entry can no longer be told from a classification entry, so
    // the error may name any of its tags.
    fc.tuple(boxAt, fc.constantFrom<unknown>(null, 1, true, [], ['a'])).map(([[i, j], v]) =>
      invalid(
        'box not an object',
        mutate(i, (e) => {
          const tags = tagsOf(e) as unknown[];
          tags[j] = v;
          setTags(e, tags);
        }),
        `${at(i)}.tags`,
      ),
    ),
    // Tolerated: corners in any order, negative and fractional coordinates.
    fc
      .tuple(
        boxAt,
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      )
      .map(([[i, j], a, b]) =>
        ok(
          'corners reversed',
          mutateBox(i, j, (t) => (t.pos = [Math.max(a, b), Math.max(a, b) + 1, Math.min(a, b), Math.min(a, b) - 1])),
        ),
      ),
  );
  return list;
}

/** A valid response of a random job type, as it is. */
export const validResponseArb: fc.Arbitrary<Mutated> = fc
  .constantFrom<JobKind>('classification', 'detection')
  .chain((kind) => successArb(kind))
  .map((response) => ok('valid', response));

/** A valid response of a random job type, then one mutation of it (or none). */
export const mutatedResponseArb: fc.Arbitrary<Mutated> = fc
  .constantFrom<JobKind>('classification', 'detection')
  .chain((kind) =>
    successArb(kind).chain((response) => fc.oneof(fc.constant(ok('valid', response)), ...topLevel(response), ...perEntry(response, kind))),
  );
