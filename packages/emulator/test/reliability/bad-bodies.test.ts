import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DEFAULT_TOKEN, startEmulator, type RunningEmulator } from '../../src/index.js';
import { send, tagsPath } from '../support/http.js';

// Every malformed body gets 400 with ModelArts.0104 in the ModelArts error
// format and a request ID: never a 5xx, a hang or a dropped connection.
// (e2e/schemathesis fuzzes the same from the OpenAPI document.)

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 100 });
});
afterAll(() => emulator.close());

function post(body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return send(emulator.url, {
    path: tagsPath(CLASSIFICATION_JOB_ID),
    headers: { 'x-auth-token': DEFAULT_TOKEN, ...headers },
    body,
    timeoutMs: 10_000,
  });
}

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

const BAD: [string, string | Buffer, Record<string, string>?][] = [
  ['an empty body', ''],
  ['white space', '  \n'],
  ['not JSON', 'image_id=a'],
  ['truncated JSON', '{"image_id":["a"'],
  ['JSON with a trailing comma', '{"image_id":["a",]}'],
  ['NaN, which JSON does not have', '{"image_id":[NaN]}'],
  ['two JSON documents', '{"image_id":["a"]}{"image_id":["b"]}'],
  ['null', 'null'],
  ['a JSON string', '"a"'],
  ['a JSON array of IDs', '["a","b"]'],
  ['an object without image_id', '{"imageId":["a"]}'],
  ['image_id null', '{"image_id":null}'],
  ['image_id a string', '{"image_id":"a"}'],
  ['image_id an object', '{"image_id":{"0":"a"}}'],
  ['image_id empty', '{"image_id":[]}'],
  ['an ID that is a number', '{"image_id":["a",1]}'],
  ['an ID that is null', '{"image_id":[null]}'],
  ['an ID that is a list', '{"image_id":[["a"]]}'],
  ['an empty ID', '{"image_id":[""]}'],
  ['an ID longer than 1024', JSON.stringify({ image_id: ['x'.repeat(1025)] })],
  ['a duplicated key whose last value is bad', '{"image_id":["a"],"image_id":5}'],
  ['image_id nested 100,000 deep', `{"image_id":${deep(100_000)}}`],
  ['a body nested 100,000 deep', deep(100_000)],
  ['UTF-16 instead of UTF-8', Buffer.from('{"image_id":["a"]}', 'utf16le')],
  ['a form content type', 'image_id=a', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['a text content type', '{"image_id":["a"]}', { 'content-type': 'text/plain' }],
  ['a multipart content type', '{"image_id":["a"]}', { 'content-type': 'multipart/form-data; boundary=x' }],
];

describe('bad bodies get 400 ModelArts.0104', () => {
  for (const [what, body, headers] of BAD) {
    it(what, async () => {
      const response = await post(body, headers);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      const parsed = response.json() as { error_code: string; error_msg: string };
      expect(parsed.error_code).toBe('ModelArts.0104');
      expect(parsed.error_msg).toMatch(/^Parameter error/);
      // The message is short, whatever the body was: a huge body is not echoed back.
      expect(response.text.length).toBeLessThan(600);
    });
  }

  it('and a good body right after them still works on the same emulator', async () => {
    const response = await post(JSON.stringify({ image_id: emulator.jobs.classification.imageIds.slice(0, 2) }));
    expect(response.status).toBe(200);
    expect((response.json() as { images_tags: unknown[] }).images_tags).toHaveLength(2);
  });

  it('tolerates what the document allows: extra fields, JSON media types with parameters, a BOM-less UTF-8 body with any characters', async () => {
    for (const [body, type] of [
      [JSON.stringify({ image_id: ['a'], extra: { nested: [1, 2] } }), 'application/json'],
      [JSON.stringify({ image_id: ['a'] }), 'application/json; charset=utf-8'],
      [JSON.stringify({ image_id: ['a'] }), 'application/vnd.modelarts+json'],
      [JSON.stringify({ image_id: ['猫 😀', 'a\u0000b', '\ud800'] }), 'application/json'],
    ] as const) {
      const response = await post(body, { 'content-type': type });
      expect(response.status, `${type} ${body}`).toBe(200);
      expect((response.json() as { is_success: boolean }).is_success).toBe(true);
    }
  });

  it('answers a 12 MiB body of a million IDs, just under the limit, within seconds', async () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `i${i.toString(36).padStart(8, '0')}`);
    const body = JSON.stringify({ image_id: ids });
    expect(Buffer.byteLength(body)).toBeLessThan(12 * 1024 * 1024);
    const started = performance.now();
    // No idle timeout on the client here: the emulator runs in this process, so while it parses and
    // checks the million IDs (synchronous work, seconds on a loaded machine) the client's timer cannot
    // run either, and when the loop is free again timers fire before the answer waiting in the socket
    // is read: an idle timeout would fail a request that was answered. A hang still fails the test.
    const response = await send(emulator.url, {
      path: tagsPath(CLASSIFICATION_JOB_ID),
      headers: { 'x-auth-token': DEFAULT_TOKEN, 'content-type': 'application/json' },
      body,
    });
    const ms = performance.now() - started;
    expect(response.status).toBe(200);
    expect((response.json() as { images_tags: unknown[] }).images_tags).toEqual([]);
    console.info(`1,000,000 unknown IDs (${(Buffer.byteLength(body) / 1048576).toFixed(1)} MiB) answered in ${ms.toFixed(0)} ms`);
  });
});
