import assert from 'node:assert/strict';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelArtsCoreClient, type ImageTagsResult } from '../../src/core/index.js';
import {
  ApiError,
  ConfigurationError,
  ConnectionError,
  InvalidResponseError,
  PartialResultError,
  ResponseTooLargeError,
  UnsuccessfulResponseError,
} from '../../src/index.js';
import type { Transport, TransportRequest, TransportResponse } from '../../src/core/transport.js';
import { assertTypedImages, describe as describeError } from './support/invariants.js';
import { parseShowImageTagsBody } from '../../src/internal/response/parse-body.js';
import { loadValidation } from '../../src/internal/response/validation.js';
import { mutatedResponseArb, validResponseArb } from './support/mutations.js';
import { viaJson } from './support/wire.js';
import { runs, timeoutFor } from './support/runs.js';

// The parser needs the schemas, which the HTTP layer loads on the first response.
beforeAll(() => loadValidation());

// End to end through the client: batching, the generated API class, the
// attempt sender, retries and parsing, fed by a transport that answers from
// a generated script. Whatever it answers, the call settles, every ID ends
// up exactly once in images, missing or failed, and every failure is a
// ModelArtsError. Never a TypeError, an unhandled rejection or a hang.

// Longer than any retry's wait (Retry-After is capped at 60 s, backoff at 8 s): the fake sleep below
// tells the request timer from a retry's wait by this duration. At 1 s, a `Retry-After: 1` wait was
// mistaken for the request timer and never ended.
const TIMEOUT_MS = 60_001;
/** What a hostile answer may become (ConfigurationError: the transport returned no response). No TimeoutError: the scripted transport always answers. */
const EXPECTED_ERRORS = [
  InvalidResponseError,
  UnsuccessfulResponseError,
  ApiError,
  ConnectionError,
  ResponseTooLargeError,
  ConfigurationError,
];
const HANG_LIMIT_MS = 5_000;

type Body = { kind: 'text'; text: string } | { kind: 'chunks'; chunks: Uint8Array[]; failAfter?: number };
type Reply =
  | { kind: 'echo'; status: number; headers: Record<string, string> }
  | { kind: 'raw'; status: number; headers: Record<string, string>; body: Body }
  | { kind: 'throw'; value: unknown }
  | { kind: 'return'; value: unknown };

const headerValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('0', '-1', '1e9', 'NaN', '  3 ', 'Wed, 21 Oct 2015 07:28:00 GMT', ''),
);
const headersArb = fc.dictionary(
  fc.constantFrom('x-request-id', 'retry-after', 'content-length', 'content-type', 'location'),
  headerValue,
  { maxKeys: 4 },
);
const statusArb = fc.oneof(
  { arbitrary: fc.constant(200), weight: 4 },
  { arbitrary: fc.constantFrom(201, 204, 302, 307, 400, 401, 403, 404, 408, 413, 418, 429, 500, 502, 503, 504), weight: 4 },
  { arbitrary: fc.constantFrom(0, 99, 100, 600, 999, -1, 1.5, Number.NaN), weight: 1 },
);
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  mutatedResponseArb.map((m) => ({ kind: 'text' as const, text: m.body })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: 'text' as const, text: JSON.stringify(v) })),
  fc.string({ unit: 'binary', maxLength: 80 }).map((text) => ({ kind: 'text' as const, text })),
  // Raw bytes split anywhere, even inside a UTF-8 sequence, and a stream that breaks mid-way.
  fc
    .record({
      chunks: fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 4 }),
      failAfter: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
    })
    .map(({ chunks, failAfter }) => ({ kind: 'chunks' as const, chunks, ...(failAfter === undefined ? {} : { failAfter }) })),
);
const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('echo' as const),
      status: fc.constant(200),
      headers: headersArb.map((h) => ({ ...h, 'content-length': '' })),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('raw' as const), status: statusArb, headers: headersArb, body: bodyArb }), weight: 6 },
  {
    // What transports throw: fetch's TypeError with a cause, DOMExceptions, and things that are not errors at all.
    arbitrary: fc.record({
      kind: fc.constant('throw' as const),
      value: fc.constantFrom<unknown>(
        Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
        new DOMException('The operation was aborted.', 'AbortError'),
        new RangeError('Invalid status code'),
        'a string',
        null,
        undefined,
        42,
        { message: 'not an Error' },
      ),
    }),
    weight: 1,
  },
  // A host transport with a bug: it resolves to something that is not a response.
  {
    arbitrary: fc.record({
      kind: fc.constant('return' as const),
      value: fc.constantFrom<unknown>(undefined, null, {}, { status: 200 }, 'text'),
    }),
    weight: 1,
  },
);

const scenarioArb = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 20 }).chain((ids) =>
  fc.record({
    ids: fc.constant(ids),
    omitted: fc.subarray(ids),
    replies: fc.array(replyArb, { minLength: 1, maxLength: 6 }),
    batchSize: fc.integer({ min: 1, max: 6 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    maxRetries: fc.integer({ min: 0, max: 2 }),
    onError: fc.constantFrom<'throw' | 'collect'>('throw', 'collect'),
  }),
);

function headerGetter(headers: Record<string, string>): TransportResponse['headers'] {
  return { get: (name) => headers[name.toLowerCase()] ?? null };
}

function streamOf(chunks: Uint8Array[], failAfter: number | undefined): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && next === failAfter) {
        controller.error(Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }));
        return;
      }
      if (next >= chunks.length) return controller.close();
      controller.enqueue(chunks[next++]!);
    },
  });
}

/** Answers the n-th request with replies[n mod length]. `echo` answers with tags for the IDs asked, minus `omitted`. */
function scriptedTransport(replies: Reply[], omitted: ReadonlySet<string>): Transport & { calls: number } {
  const transport = (async (_url: string, init: TransportRequest) => {
    const reply = replies[transport.calls++ % replies.length]!;
    switch (reply.kind) {
      case 'throw':
        throw reply.value;
      case 'return':
        return reply.value as TransportResponse;
      case 'echo': {
        const asked = (JSON.parse(init.body ?? '{}') as { image_id: string[] }).image_id;
        const found = asked.filter((id) => !omitted.has(id));
        const text = JSON.stringify({
          is_success: true,
          images_tags: [...found.map((id) => ({ image_id: id, tags: [`t-${id}`] })), { image_id: 'not-asked-for', tags: ['x'] }],
        });
        return { status: reply.status, headers: headerGetter(reply.headers), text: async () => text };
      }
      case 'raw': {
        const { body } = reply;
        if (body.kind === 'text') return { status: reply.status, headers: headerGetter(reply.headers), text: async () => body.text };
        return {
          status: reply.status,
          headers: headerGetter(reply.headers),
          text: async () => {
            throw new Error('text() must not be used when there is a body stream');
          },
          body: streamOf(body.chunks, body.failAfter),
        };
      }
    }
  }) as Transport & { calls: number };
  transport.calls = 0;
  return transport;
}

/** Backoff sleeps end at once; the per-request timeout only ends when its signal aborts. */
function runtime() {
  return {
    sleep: (ms: number, signal?: AbortSignal) =>
      ms === TIMEOUT_MS
        ? new Promise<void>((resolve) => {
            if (signal?.aborted) return resolve();
            signal?.addEventListener('abort', () => resolve(), { once: true });
          })
        : Promise.resolve(),
    now: () => Date.parse('2025-06-01T00:00:00Z'),
    random: () => 0.5,
  };
}

function assertAccountedFor(result: ImageTagsResult, ids: readonly string[]): void {
  assertTypedImages(result.images);
  const seen = [...result.images.map((i) => i.imageId), ...result.missing, ...result.failed.map((f) => f.imageId)];
  assert.deepStrictEqual(seen.sort(), [...ids].sort());
  for (const { error } of result.failed) {
    // A bare ModelArtsError would be an unexpected exception wrapped at the last moment.
    if (!EXPECTED_ERRORS.some((type) => error instanceof type)) throw new Error(`failed entry carries ${describeError(error)}`);
    assert.equal(typeof error.message, 'string');
  }
  // Input order is kept in each list.
  const position = new Map(ids.map((id, i) => [id, i]));
  for (const list of [result.images.map((i) => i.imageId), result.missing, result.failed.map((f) => f.imageId)]) {
    const order = list.map((id) => position.get(id)!);
    assert.deepStrictEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
  }
}

function withinLimit<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the call did not settle within ${HANG_LIMIT_MS} ms`)), HANG_LIMIT_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('getImageTags over a scripted transport', () => {
  it('settles with every ID accounted for and only typed errors, whatever the transport does', { timeout: timeoutFor(20) }, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ ids, omitted, replies, batchSize, concurrency, maxRetries, onError }) => {
        const transport = scriptedTransport(replies, new Set(omitted));
        const client = new ModelArtsCoreClient({
          region: 'cn-north-4',
          projectId: '0123456789abcdef0123456789abcdef',
          auth: { token: 'property-token' },
          fetch: transport,
          runtime: runtime(),
          timeoutMs: TIMEOUT_MS,
          maxResponseBytes: 4_096,
        });
        let result: ImageTagsResult;
        try {
          result = await withinLimit(
            client.getImageTags({ annotationId: '282', imageIds: ids }, { batchSize, concurrency, maxRetries, onError }),
          );
          if (onError === 'throw') expect(result.failed).toEqual([]);
        } catch (error) {
          if (!(error instanceof PartialResultError) || onError !== 'throw')
            throw new Error(`getImageTags rejected with ${describeError(error)}`);
          result = error.result;
          expect(result.failed.length).toBeGreaterThan(0);
        }
        assertAccountedFor(result, ids);

        // Requests stay within the budget: each batch (and each half of a split one) at most maxRetries + 1 times.
        expect(transport.calls).toBeLessThanOrEqual(2 * ids.length * (maxRetries + 1));

        // Only echo replies: exactly the IDs the service knows, the rest missing.
        if (replies.every((r) => r.kind === 'echo')) {
          expect(result.images.map((i) => i.imageId)).toEqual(ids.filter((id) => !omitted.includes(id)));
          expect(result.images.every((i) => i.type === 'classification' && i.tags[0] === `t-${i.imageId}`)).toBe(true);
          expect(result.missing).toEqual(ids.filter((id) => omitted.includes(id)));
        }
      }),
      runs(),
    );
    // Let stray promises surface before checking.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});

describe('the body as bytes: chunking and the size limit', () => {
  it('a valid body split anywhere, even inside a UTF-8 sequence, reads the same; past maxResponseBytes (in bytes) it is refused', {
    timeout: timeoutFor(20),
  }, async () => {
    const encoder = new TextEncoder();
    const scenario = validResponseArb.chain((m) => {
      const bytes = encoder.encode(m.body);
      return fc.record({
        body: fc.constant(m.body),
        bytes: fc.constant(bytes),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 6 }),
        // Around the exact size, where off-by-one and characters-versus-bytes mistakes show.
        slack: fc.integer({ min: -3, max: 3 }),
        streamed: fc.boolean(),
      });
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ body, bytes, cuts, slack, streamed }) => {
        const limit = Math.max(1, bytes.length + slack);
        const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i]!, end));
        const transport: Transport = async () =>
          streamed
            ? { status: 200, headers: headerGetter({}), text: async () => body, body: streamOf(chunks, undefined) }
            : { status: 200, headers: headerGetter({}), text: async () => body };
        const client = new ModelArtsCoreClient({
          region: 'cn-north-4',
          projectId: '0123456789abcdef0123456789abcdef',
          auth: { token: 'property-token' },
          fetch: transport,
          runtime: runtime(),
          timeoutMs: TIMEOUT_MS,
          maxRetries: 0,
          maxResponseBytes: limit,
        });
        // Ask for the IDs the body holds: read whole, it must give exactly what parsing the text gives.
        const expected = parseShowImageTagsBody(body, { status: 200 });
        const ids =
          expected.length > 0
            ? expected.map((i) => i.imageId).filter((id) => id.trim() === id && id !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(id))
            : [];
        const asked = ids.length > 0 ? ids : ['x'];
        const result = await withinLimit(client.getImageTags({ annotationId: '282', imageIds: asked }, { onError: 'collect' }));
        if (limit >= bytes.length) {
          assert.deepStrictEqual(result.failed, []);
          assert.deepStrictEqual(viaJson(result.images), viaJson(expected.filter((i) => asked.includes(i.imageId))));
        } else {
          assert.equal(result.failed.length, asked.length);
          if (!(result.failed[0]!.error instanceof ResponseTooLargeError))
            throw new Error(`expected ResponseTooLargeError, got ${describeError(result.failed[0]!.error)}`);
        }
      }),
      runs(),
    );
  });
});
