import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  InputValidationError,
  MAX_IMAGE_ID_LENGTH,
  ModelArtsClient,
  type Transport,
  type TransportRequest,
} from '../../src/index.js';
import { rejection } from '../support/rejection.js';

// Bad input is refused before any request, with a message that names the
// value and its position; odd but valid input is sent exactly as given.
// (src/input.test.ts covers normalizeImageIds on its own; these go through
// the client, with a transport that counts what would have been sent.)

const PROJECT = '0123456789abcdef0123456789abcdef';

/** Answers every request with tags for the IDs asked; counts requests and keeps their bodies. */
function countingTransport(): Transport & { bodies: string[]; urls: string[] } {
  const bodies: string[] = [];
  const urls: string[] = [];
  const transport = (async (url: string, init: TransportRequest) => {
    urls.push(url);
    bodies.push(init.body ?? '');
    const ids = (JSON.parse(init.body ?? '{}') as { image_id: string[] }).image_id;
    const text = JSON.stringify({ is_success: true, images_tags: ids.map((image_id) => ({ image_id, tags: ['t'] })) });
    return { status: 200, headers: { get: () => null }, text: async () => text };
  }) as unknown as Transport & { bodies: string[]; urls: string[] };
  transport.bodies = bodies;
  transport.urls = urls;
  return transport;
}

function clientWith(transport: Transport, options: { batchSize?: number; concurrency?: number } = {}): ModelArtsClient {
  return new ModelArtsClient({
    region: 'cn-north-4',
    projectId: PROJECT,
    auth: { token: 'input-validation-token' },
    fetch: transport,
    ...options,
  });
}

describe('getImageTags refuses bad input before sending anything', () => {
  const sparse: unknown[] = ['a'];
  sparse[2] = 'c';
  const table: { what: string; annotationId?: unknown; imageIds: unknown; message: RegExp; index?: number }[] = [
    {
      what: 'a string from an expression instead of a list',
      imageIds: 'id-1,id-2',
      message: /imageIds must be an array of strings, not "id-1,id-2"/,
    },
    {
      what: 'an object from an expression',
      imageIds: { image_id: ['a'] },
      message: /must be an array of strings, not \{"image_id":\["a"\]\}/,
    },
    { what: 'an array-like object', imageIds: { 0: 'a', length: 1 }, message: /must be an array of strings/ },
    { what: 'a Set', imageIds: new Set(['a']), message: /must be an array of strings/ },
    { what: 'null', imageIds: null, message: /must be an array of strings, not null/ },
    { what: 'undefined', imageIds: undefined, message: /must be an array of strings, not undefined/ },
    { what: 'an empty list', imageIds: [], message: /imageIds is empty/ },
    { what: 'a number among strings', imageIds: ['a', 42], message: /imageIds\[1\] is number 42, not a string/, index: 1 },
    { what: 'a nested list', imageIds: ['a', ['b']], message: /imageIds\[1\] is object \["b"\], not a string/, index: 1 },
    { what: 'a hole in a sparse list', imageIds: sparse, message: /imageIds\[1\] is undefined/, index: 1 },
    { what: 'a BigInt', imageIds: [1n], message: /imageIds\[0\] is bigint/, index: 0 },
    { what: 'a Symbol', imageIds: [Symbol('x')], message: /imageIds\[0\] is symbol/, index: 0 },
    { what: 'an empty string', imageIds: ['a', ''], message: /imageIds\[1\] is empty/, index: 1 },
    {
      what: 'white space only, Unicode spaces included',
      imageIds: ['a', ' \t\u00a0\u3000\ufeff '],
      message: /imageIds\[1\] is empty/,
      index: 1,
    },
    {
      what: 'an absurdly long ID',
      imageIds: ['x'.repeat(MAX_IMAGE_ID_LENGTH + 1)],
      message: /imageIds\[0\] is 1025 characters long/,
      index: 0,
    },
    {
      what: 'a control character inside',
      imageIds: ['ok', 'a\u0000b'],
      message: /imageIds\[1\] .* contains the control character U\+0000 at position 1/,
      index: 1,
    },
    { what: 'a line break inside', imageIds: ['a\r\nb'], message: /U\+000D/, index: 0 },
    { what: 'a C1 control character', imageIds: ['a\u0085b'], message: /U\+0085/, index: 0 },
    {
      what: 'an annotation ID with a slash',
      annotationId: '282/../1',
      imageIds: ['a'],
      message: /annotation job ID "282\/..\/1" is not valid/,
    },
    {
      what: 'an annotation ID that is a dot segment',
      annotationId: '..',
      imageIds: ['a'],
      message: /annotation job ID ".." is not valid.*not "\." or "\.\."/,
    },
    { what: 'an annotation ID that is a single dot', annotationId: '.', imageIds: ['a'], message: /annotation job ID "\." is not valid/ },
    {
      what: 'an annotation ID with surrounding white space',
      annotationId: ' 282\n',
      imageIds: ['a'],
      message: /annotation job ID " 282\\n" is not valid/,
    },
    {
      what: 'an annotation ID in full-width digits',
      annotationId: '２８２',
      imageIds: ['a'],
      message: /annotation job ID "２８２" is not valid/,
    },
    { what: 'an annotation ID with a percent-encoded slash', annotationId: '282%2F1', imageIds: ['a'], message: /is not valid/ },
    { what: 'a number as annotation ID', annotationId: 282, imageIds: ['a'], message: /annotation job ID 282 is not valid/ },
  ];
  for (const { what, annotationId = '282', imageIds, message, index } of table) {
    it(`${what}: InputValidationError naming it, nothing sent`, async () => {
      const transport = countingTransport();
      const error = await rejection(() =>
        clientWith(transport).getImageTags({ annotationId: annotationId as string, imageIds: imageIds as string[] }),
      );
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as Error).message).toMatch(message);
      expect((error as InputValidationError).index).toBe(index);
      expect(transport.bodies).toEqual([]);
    });
  }

  it('the async iterator validates before its first request too', async () => {
    const transport = countingTransport();
    const error = await rejection(async () => {
      for await (const _ of clientWith(transport).iterateImageTags({ annotationId: '282', imageIds: ['a', 7 as unknown as string] }));
    });
    expect(error).toBeInstanceOf(InputValidationError);
    expect(transport.bodies).toEqual([]);
  });

  it('a dot-segment project ID is a ConfigurationError: the URL parser would send the request elsewhere', () => {
    // What would happen: the path segment is resolved away.
    expect(new URL(`https://h/v1/${PROJECT}/data-annotations/../tags/show`).pathname).toBe(`/v1/${PROJECT}/tags/show`);
    for (const projectId of ['.', '..']) {
      expect(() => new ModelArtsClient({ region: 'cn-north-4', projectId, auth: { token: 'x'.repeat(8) } })).toThrow(ConfigurationError);
    }
  });

  it('bad options are a ConfigurationError, before anything is sent', async () => {
    const transport = countingTransport();
    for (const options of [
      { batchSize: 0 },
      { batchSize: 1.5 },
      { concurrency: -1 },
      { timeoutMs: Number.NaN },
      { deadlineMs: 0 },
      { maxRetries: -1 },
    ]) {
      const error = await rejection(() => clientWith(transport).getImageTags({ annotationId: '282', imageIds: ['a'] }, options));
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(new RegExp(Object.keys(options)[0]!));
    }
    expect(transport.bodies).toEqual([]);
  });
});

describe('odd but valid IDs are sent exactly as given', () => {
  it('Unicode IDs: astral, combining, right-to-left, NFC and NFD kept apart', async () => {
    const ids = ['猫 图片 1.jpg', 'café', 'cafe\u0301', 'صورة-١', '😀🏳️‍🌈', '\u200bzero-width-space', 'a\u2028b', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'];
    const transport = countingTransport();
    const result = await clientWith(transport).getImageTags({ annotationId: '282', imageIds: ids });
    expect(result.images.map((i) => i.imageId)).toEqual(ids);
    const sent = transport.bodies.flatMap((body) => (JSON.parse(body) as { image_id: string[] }).image_id);
    expect(sent).toEqual(ids);
  });

  it('a lone surrogate is sent as a JSON escape, never as broken UTF-8', async () => {
    const transport = countingTransport();
    await clientWith(transport).getImageTags({ annotationId: '282', imageIds: ['bad\ud800half'] });
    expect(transport.bodies[0]).toContain('bad\\ud800half');
  });

  it('IDs with surrounding white space are trimmed, then de-duplicated keeping the first position', async () => {
    const transport = countingTransport();
    const result = await clientWith(transport, { batchSize: 2 }).getImageTags({
      annotationId: '282',
      imageIds: [' b ', 'a', '\tb\n', '\u00a0a\u3000', 'c', '\ufeffc'],
    });
    expect(result.images.map((i) => i.imageId)).toEqual(['b', 'a', 'c']);
    expect(transport.bodies.map((b) => JSON.parse(b) as unknown)).toEqual([{ image_id: ['b', 'a'] }, { image_id: ['c'] }]);
  });

  it('an ID of exactly the maximum length is accepted', async () => {
    const transport = countingTransport();
    const id = 'x'.repeat(MAX_IMAGE_ID_LENGTH);
    const result = await clientWith(transport).getImageTags({ annotationId: '282', imageIds: [id] });
    expect(result.images).toHaveLength(1);
  });
});

describe('a million IDs', () => {
  const MILLION = 1_000_000;
  const ids = Array.from({ length: MILLION }, (_, i) => `image-${i.toString(16).padStart(8, '0')}`);

  it('are validated in one pass, then batched lazily: nothing is built ahead of the requests', async () => {
    // Hold the first requests: if bodies were built up front, they would all exist by now.
    const stringify = vi.spyOn(JSON, 'stringify');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    const transport: Transport = async (_url, init) => {
      sent++;
      await gate;
      const asked = (JSON.parse(init.body!) as { image_id: string[] }).image_id;
      const text = `{"is_success":true,"images_tags":[${asked.map((id) => `{"image_id":"${id}","tags":[]}`).join(',')}]}`;
      return { status: 200, headers: { get: () => null }, text: async () => text };
    };
    const client = clientWith(transport, { batchSize: 100, concurrency: 8 });
    const started = performance.now();
    const call = client.getImageTags({ annotationId: '282', imageIds: ids });
    // Validation is synchronous: by the time the call returns its promise, it is done.
    const validatedMs = performance.now() - started;
    // The first batch goes alone (wrong credentials cost one request), so one request is in flight.
    while (sent < 1) await new Promise((resolve) => setImmediate(resolve));
    const firstRequestsMs = performance.now() - started;
    const bodiesBeforeRelease = stringify.mock.calls.filter(([value]) => isRequestBody(value)).length;
    stringify.mockRestore();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toBe(1);
    expect(bodiesBeforeRelease).toBe(1);

    release();
    const result = await call;
    const totalMs = performance.now() - started;
    expect(result.images).toHaveLength(MILLION);
    expect(result.missing).toEqual([]);
    expect(sent).toBe(MILLION / 100);
    console.info(
      `1,000,000 IDs: validated in ${validatedMs.toFixed(0)} ms, first request in flight after ${firstRequestsMs.toFixed(0)} ms ` +
        `with 1 body built, all 10,000 requests done in ${totalMs.toFixed(0)} ms`,
    );
  });

  it('the async iterator stops sending when the consumer stops: three batches read, a handful of requests made', async () => {
    const transport = countingTransport();
    let batches = 0;
    for await (const batch of clientWith(transport, { batchSize: 100, concurrency: 4 }).iterateImageTags({
      annotationId: '282',
      imageIds: ids,
    })) {
      expect(batch.images).toHaveLength(100);
      if (++batches === 3) break;
    }
    // Read-ahead is bounded by the concurrency: at most a few batches beyond what was consumed.
    expect(transport.bodies.length).toBeLessThanOrEqual(3 + 2 * 4);
  });
});

function isRequestBody(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'image_id' in value;
}
