import assert from 'node:assert/strict';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, UnsuccessfulResponseError } from '../../src/core/errors.js';
import { parseShowImageTagsBody } from '../../src/internal/response/parse-body.js';
import { loadValidation } from '../../src/internal/response/validation.js';
import { assertContractError, assertTypedImages, describe as describeError } from './support/invariants.js';
import { type Mutated, mutatedResponseArb, validResponseArb } from './support/mutations.js';
import { runs, timeoutFor } from './support/runs.js';
import { anySuccessArb, viaJson } from './support/wire.js';

// The parser needs the schemas, which the HTTP layer loads on the first response.
beforeAll(() => loadValidation());

// Whatever arrives, parseShowImageTagsBody returns entries that are what
// their types say, or throws InvalidResponseError (naming the field) or
// UnsuccessfulResponseError. Never a TypeError, RangeError or the like.

const meta = { status: 200, requestId: 'req-property' };

type Outcome = { ok: true; images: unknown } | { ok: false; error: unknown };

function parse(body: string): Outcome {
  try {
    return { ok: true, images: parseShowImageTagsBody(body, meta) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The contract for any input: a typed result or a contract error. */
function holdsContract(body: string): void {
  const outcome = parse(body);
  if (outcome.ok) assertTypedImages(outcome.images);
  else assertContractError(outcome.error, body, meta);
}

describe('parseShowImageTagsBody under generated input', () => {
  it('any JSON value: a typed result or a contract error', { timeout: timeoutFor(20) }, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => holdsContract(JSON.stringify(value))),
      runs(),
    );
  });

  it('any JSON value in a place of the response: a typed result or an error naming the place', { timeout: timeoutFor(20) }, () => {
    // Arbitrary values at every level of an otherwise plausible response.
    const anywhere = fc.jsonValue({ maxDepth: 3 });
    const box = fc.record({ tag: anywhere, pos: fc.oneof(anywhere, fc.array(anywhere, { maxLength: 5 })) }, { requiredKeys: [] });
    const entry = fc.record(
      {
        image_id: anywhere,
        tags: fc.oneof(anywhere, fc.array(fc.oneof(anywhere, box), { maxLength: 4 })),
        size: fc.oneof(anywhere, fc.array(anywhere, { maxLength: 4 })),
      },
      { requiredKeys: [] },
    );
    const response = fc.record(
      {
        is_success: fc.oneof(fc.boolean(), anywhere),
        error_code: anywhere,
        error_msg: anywhere,
        images_tags: fc.oneof(anywhere, fc.array(fc.oneof(entry, anywhere), { maxLength: 4 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(response, (value) => holdsContract(JSON.stringify(value))),
      runs(),
    );
  });

  it('any text, including lone surrogates and control characters', { timeout: timeoutFor(20) }, () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }));
    fc.assert(fc.property(text, holdsContract), runs());
  });

  it('any byte string, decoded as the body', { timeout: timeoutFor(20) }, () => {
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => holdsContract(decoder.decode(bytes))),
      runs(),
    );
  });

  it('valid responses of both job types give exactly the documented entries', { timeout: timeoutFor(20) }, () => {
    fc.assert(
      fc.property(validResponseArb, (m) => check(m)),
      runs(),
    );
  });

  it('one mutation of a valid response: the documented entries, or an error naming the mutated field', { timeout: timeoutFor(20) }, () => {
    const labels = new Map<string, number>();
    fc.assert(
      fc.property(mutatedResponseArb, (m) => {
        labels.set(m.label, (labels.get(m.label) ?? 0) + 1);
        check(m);
      }),
      runs(),
    );
    // Every kind of mutation was actually tried.
    expect([...labels.keys()].sort()).toEqual(expect.arrayContaining(ALL_MUTATIONS));
  });

  it('a cut-off valid response is an InvalidResponseError marked truncated, so it is retried', { timeout: timeoutFor(20) }, () => {
    const cut = anySuccessArb.chain((response) => {
      const body = JSON.stringify(response);
      return fc.tuple(fc.constant(body), fc.integer({ min: 1, max: body.length - 1 }));
    });
    fc.assert(
      fc.property(cut, ([body, at]) => {
        // Plain checks in the hot loop: ten thousand expect() chains cost more than the parsing.
        const outcome = parse(body.slice(0, at));
        if (outcome.ok) throw new Error('a cut-off body was accepted');
        const { error } = outcome;
        if (!(error instanceof InvalidResponseError)) throw new Error(`expected InvalidResponseError, got ${describeError(error)}`);
        if (!error.truncated || !error.retryable) throw new Error(`not marked truncated and retryable: ${error.message}`);
      }),
      runs(),
    );
  });
});

const ALL_MUTATIONS = [
  'valid',
  'is_success missing',
  'is_success wrong type',
  'images_tags wrong type',
  'is_success false',
  'error_code wrong type',
  'error_msg wrong type',
  'entry not an object',
  'image_id missing',
  'tags missing',
  'image_id wrong type',
  'tags wrong type',
  'deeply nested extra field',
  'extra field nested too deeply',
  'classification tag wrong type',
  'size wrong type',
  'size wrong length',
  'size element not a pixel count',
  'size element overflows',
  'tags string does not hold an array',
  'box tag missing',
  'box pos missing',
  'box tag wrong type',
  'pos wrong type',
  'pos wrong length',
  'pos element not a number',
  'pos element overflows',
  'box not an object',
  'corners reversed',
];

function check(m: Mutated): void {
  const outcome = parse(m.body);
  switch (m.expect.kind) {
    case 'images':
      if (!outcome.ok) throw new Error(`expected entries, got ${describeError(outcome.error)}`);
      assertTypedImages(outcome.images);
      assert.deepStrictEqual(viaJson(outcome.images), viaJson(m.expect.images));
      return;
    case 'unsuccessful':
      if (outcome.ok) throw new Error('expected UnsuccessfulResponseError, got entries');
      if (!(outcome.error instanceof UnsuccessfulResponseError))
        throw new Error(`expected UnsuccessfulResponseError, got ${describeError(outcome.error)}`);
      assert.equal(outcome.error.errorCode, m.expect.errorCode);
      assert.equal(outcome.error.requestId, meta.requestId);
      return;
    case 'invalid': {
      if (outcome.ok)
        throw new Error(`expected InvalidResponseError at ${m.expect.path}, got entries ${JSON.stringify(outcome.images).slice(0, 300)}`);
      const error = outcome.error;
      if (!(error instanceof InvalidResponseError)) throw new Error(`expected InvalidResponseError, got ${describeError(error)}`);
      const { path } = m.expect;
      const inside = error.path === path || error.path.startsWith(`${path}.`) || error.path.startsWith(`${path}[`);
      if (!inside) throw new Error(`expected the error to name ${path}, it names ${JSON.stringify(error.path)}: ${error.message}`);
      assertContractError(error, m.body, meta);
      return;
    }
  }
}

describe('parseShowImageTagsBody with huge and hostile shapes', () => {
  const parseOk = (body: string) => {
    const images = parseShowImageTagsBody(body, meta);
    assertTypedImages(images);
    return images;
  };

  it('100,000 entries, one entry with 1,000,000 tags, one with 200,000 boxes', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ image_id: `id-${i}`, tags: ['t'] }));
    let started = performance.now();
    expect(parseOk(JSON.stringify({ is_success: true, images_tags: many }))).toHaveLength(100_000);
    const manyMs = performance.now() - started;
    const tags = Array.from({ length: 1_000_000 }, (_, i) => `tag-${i % 50}`);
    expect(parseOk(JSON.stringify({ is_success: true, images_tags: [{ image_id: 'a', tags }] }))[0]!.tags).toHaveLength(1_000_000);
    const boxes = Array.from({ length: 200_000 }, (_, i) => ({ tag: 't', pos: [i, i, 0, 0] }));
    started = performance.now();
    const [image] = parseOk(JSON.stringify({ is_success: true, images_tags: [{ image_id: 'd', tags: boxes, size: [10, 10] }] }));
    const boxesMs = performance.now() - started;
    expect(image!.type === 'detection' && image!.tags[199_999]!.box).toEqual({ xmin: 0, ymin: 0, xmax: 199_999, ymax: 199_999 });
    console.info(`100,000 entries parsed in ${manyMs.toFixed(0)} ms; 200,000 boxes in ${boxesMs.toFixed(0)} ms`);
  });

  it('an entry with 200,000 wrong values, or one wrong box among 200,000: an error naming the first wrong value, not a stack overflow', () => {
    const boxes = (box: (i: number) => unknown) => Array.from({ length: 200_000 }, (_, i) => box(i));
    const good = { tag: 't', pos: [0, 0, 1, 1] };
    const cases: [unknown[], string][] = [
      [
        [{ image_id: 'd', tags: boxes((i) => (i === 150_000 ? { tag: 't', pos: [1, 2] } : good)), size: [2, 2] }],
        'images_tags[0].tags[150000].pos',
      ],
      [[{ image_id: 'c', tags: boxes((i) => i) }], 'images_tags[0].tags[0]'],
      [[{ image_id: 'd', tags: boxes(() => ({ tag: 't', pos: [1, 2, 3] })) }], 'images_tags[0].tags[0].pos'],
      [[{ image_id: 'c' }, { image_id: 'd', tags: boxes(() => good), size: [2, 2] }], 'images_tags[0].tags'],
    ];
    for (const [entries, path] of cases) {
      const outcome = parse(JSON.stringify({ is_success: true, images_tags: entries }));
      expect(outcome.ok, path).toBe(false);
      const { error } = outcome as { error: InvalidResponseError };
      expect(error, path).toBeInstanceOf(InvalidResponseError);
      expect(error.path).toBe(path);
    }
  });

  it('200,000 repeats of one ID give one entry, the first', () => {
    const body = `{"is_success":true,"images_tags":[{"image_id":"a","tags":["first"]}${',{"image_id":"a","tags":["again"]}'.repeat(199_999)}]}`;
    expect(parseOk(body)).toEqual([{ type: 'classification', imageId: 'a', tags: ['first'], extra: {} }]);
  });

  it('an unknown field nested 100,000 deep is refused by name, without a stack overflow', () => {
    const body = `{"is_success":true,"images_tags":[{"image_id":"a","tags":[],"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
    const outcome = parse(body);
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: InvalidResponseError }).error).toBeInstanceOf(InvalidResponseError);
    expect((outcome as { error: InvalidResponseError }).error.path).toBe('images_tags[0].deep');
  });

  it('__proto__, constructor and prototype keys pollute nothing and stay data', () => {
    const body =
      '{"is_success":true,"__proto__":{"polluted":"top"},"images_tags":[' +
      '{"image_id":"a","tags":["x"],"__proto__":{"polluted":"entry","image_id":"b"},"constructor":{"prototype":{"polluted":"ctor"}}},' +
      '{"image_id":"d","tags":[{"tag":"t","pos":[0,0,1,1],"__proto__":{"polluted":"box"}}],"size":[1,1]}]}';
    const images = parseOk(body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(images.map((i) => i.imageId)).toEqual(['a', 'd']);
    for (const image of images) expect(Object.getPrototypeOf(image.extra)).toBe(Object.prototype);
    expect(images[0]!.extra.constructor).toEqual({ prototype: { polluted: 'ctor' } });
  });

  it('NaN and Infinity in every spelling a service might send are refused at their field', () => {
    for (const spelling of ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '"NaN"', '"Infinity"', 'null']) {
      const pos = parse(`{"is_success":true,"images_tags":[{"image_id":"d","tags":[{"tag":"t","pos":[0,${spelling},1,1]}],"size":[2,2]}]}`);
      const size = parse(`{"is_success":true,"images_tags":[{"image_id":"d","tags":[],"size":[${spelling},2]}]}`);
      for (const [outcome, path] of [
        [pos, 'images_tags[0].tags[0].pos[1]'],
        [size, 'images_tags[0].size[0]'],
      ] as const) {
        expect(outcome.ok, spelling).toBe(false);
        const error = (outcome as { error: unknown }).error;
        expect(error, spelling).toBeInstanceOf(InvalidResponseError);
        // Bare NaN/Infinity are not JSON at all: the whole body is refused.
        if (!['NaN', 'Infinity', '-Infinity'].includes(spelling)) expect((error as InvalidResponseError).path, spelling).toBe(path);
      }
    }
  });
});
