import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  DETECTION_JOB_ID,
  DETECTION_STRING_TAGS_JOB_ID,
  startEmulator,
  type RunningEmulator,
} from '../src/index.js';
import { postTags, send, tagsPath, type TestResponse } from './support/http.js';
import { responseSchemas } from './support/spec-schemas.js';

const { checkSuccess, checkError } = responseSchemas();
let emulator: RunningEmulator;
const requestIds: string[] = [];

/** Every response must carry a fresh X-Request-Id and a body the OpenAPI document allows. */
function conforming(response: TestResponse): TestResponse {
  const requestId = response.headers['x-request-id'];
  expect(requestId).toMatch(/^[0-9a-f]{32}$/);
  requestIds.push(requestId as string);
  const body = response.json();
  expect(response.status === 200 ? checkSuccess(body) : checkError(body)).toBeUndefined();
  return response;
}

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 300, seed: 7, bodyLimitBytes: 64 * 1024 });
});
afterAll(() => emulator.close());

describe('startEmulator', () => {
  it('listens on an ephemeral loopback port', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.projectId).toBe(DEFAULT_PROJECT_ID);
  });

  it('describes its jobs', () => {
    expect(emulator.jobs.classification).toMatchObject({ id: CLASSIFICATION_JOB_ID, type: 'classification' });
    expect(emulator.jobs.detection).toMatchObject({ id: DETECTION_JOB_ID, type: 'detection', tagsEncoding: 'array' });
    expect(emulator.jobs.detectionStringTags).toMatchObject({ id: DETECTION_STRING_TAGS_JOB_ID, tagsEncoding: 'string' });
    expect(emulator.jobs.classification.imageIds).toHaveLength(300);
    expect(emulator.job(DETECTION_JOB_ID)).toBe(emulator.jobs.detection);
    expect(emulator.job('999')).toBeUndefined();
  });
});

describe('tags/show', () => {
  it.each([
    ['classification', CLASSIFICATION_JOB_ID],
    ['detection', DETECTION_JOB_ID],
    ['detection with string tags', DETECTION_STRING_TAGS_JOB_ID],
  ])('answers a %s job with its ground truth, in request order', async (_, jobId) => {
    const imageIds = emulator.job(jobId)!.imageIds.slice(10, 110);
    const response = conforming(await postTags(emulator.url, jobId, imageIds));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      is_success: true,
      images_tags: imageIds.map((id) => emulator.groundTruth(jobId, id)),
    });
  });

  it('leaves unknown images out and answers a repeated image once', async () => {
    const [first, second] = emulator.jobs.classification.imageIds;
    const response = conforming(await postTags(emulator.url, CLASSIFICATION_JOB_ID, [first!, 'f'.repeat(32), second!, first!, 'unknown']));
    const body = response.json() as { images_tags: { image_id: string }[] };
    expect(body.images_tags.map((entry) => entry.image_id)).toEqual([first, second]);
  });

  it('answers an empty list when no image is known', async () => {
    const response = conforming(await postTags(emulator.url, DETECTION_JOB_ID, ['nope']));
    expect(response.json()).toEqual({ is_success: true, images_tags: [] });
  });

  it('has no ground truth for unknown jobs or images', () => {
    expect(emulator.groundTruth('999', emulator.jobs.classification.imageIds[0]!)).toBeUndefined();
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, 'nope')).toBeUndefined();
  });
});

describe('bad requests', () => {
  const post = (body: string, headers: Record<string, string> = {}, jobId = CLASSIFICATION_JOB_ID) =>
    send(emulator.url, {
      path: tagsPath(jobId),
      headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN, ...headers },
      body,
    });

  it.each([
    ['a body that is not JSON', 'image_id=a'],
    ['no body', ''],
    ['the wrong shape', '{"image_ids":["a"]}'],
    ['an empty list', '{"image_id":[]}'],
    ['a non-string ID', '{"image_id":[42]}'],
  ])('answers 400 ModelArts.0104 to %s', async (_, body) => {
    const response = conforming(await post(body));
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'ModelArts.0104' });
  });

  it('answers 400 to a body that is not sent as JSON', async () => {
    const response = conforming(await post('{"image_id":["a"]}', { 'content-type': 'text/plain' }));
    expect(response.status).toBe(400);
  });

  it('answers 400 to a body without Content-Type, naming the missing header', async () => {
    const response = conforming(
      await send(emulator.url, {
        path: tagsPath(CLASSIFICATION_JOB_ID),
        headers: { 'x-auth-token': DEFAULT_TOKEN },
        body: '{"image_id":["a"]}',
      }),
    );
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'ModelArts.0104' });
    expect((response.json() as { error_msg: string }).error_msg).toContain('Content-Type header is missing');
  });

  it.each(['gzip', 'deflate', 'br', 'identity, gzip'])(
    'answers 415 to a body sent with Content-Encoding %s instead of reading it as JSON',
    async (encoding) => {
      const response = conforming(await post('{"image_id":["a"]}', { 'content-encoding': encoding }));
      expect(response.status).toBe(415);
      expect(response.json()).toMatchObject({ error_code: 'APIG.0201' });
      expect((response.json() as { error_msg: string }).error_msg).toContain(encoding.replace('identity, ', ''));
    },
  );

  it('accepts Content-Encoding identity as no encoding', async () => {
    const imageId = emulator.jobs.classification.imageIds[0]!;
    const response = conforming(await post(JSON.stringify({ image_id: [imageId] }), { 'content-encoding': 'identity' }));
    expect(response.status).toBe(200);
  });

  it('quotes at most 40 characters of a hostile Content-Encoding', async () => {
    const response = conforming(await post('{"image_id":["a"]}', { 'content-encoding': 'x'.repeat(5000) }));
    expect(response.status).toBe(415);
    expect((response.json() as { error_msg: string }).error_msg.length).toBeLessThan(200);
  });

  it('answers 400 to a path parameter outside its documented pattern', async () => {
    const response = conforming(
      await send(emulator.url, {
        path: `/v1/${DEFAULT_PROJECT_ID}/data-annotations/a%20b/tags/show`,
        headers: { 'x-auth-token': DEFAULT_TOKEN },
        body: '{"image_id":["a"]}',
      }),
    );
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'ModelArts.0104' });
  });

  it('answers 401 without credentials, before looking at the body', async () => {
    const response = conforming(await post('not json', { 'x-auth-token': '' }));
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error_code: 'APIG.0301' });
  });

  it('answers 401 to a wrong token and never echoes it', async () => {
    const response = conforming(await post('{"image_id":["a"]}', { 'x-auth-token': 'wrong-token-sentinel' }));
    expect(response.status).toBe(401);
    expect(response.text).not.toContain('wrong-token-sentinel');
  });

  it('answers 401 when no credentials are sent at all', async () => {
    const response = conforming(await send(emulator.url, { path: tagsPath(CLASSIFICATION_JOB_ID), body: '{"image_id":["a"]}' }));
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error_msg: expect.stringMatching(/neither X-Auth-Token nor/) });
  });

  it('answers 404 to an unknown job', async () => {
    const response = conforming(await post('{"image_id":["a"]}', {}, '999'));
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error_code: 'ModelArts.4104' });
  });

  it('answers 404 to an unknown project', async () => {
    const response = conforming(
      await send(emulator.url, {
        path: tagsPath(CLASSIFICATION_JOB_ID, 'f'.repeat(32)),
        headers: { 'x-auth-token': DEFAULT_TOKEN },
        body: '{"image_id":["a"]}',
      }),
    );
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error_code: 'ModelArts.4104' });
  });

  it('answers 404 APIG.0101 to a path it does not serve', async () => {
    const response = conforming(await send(emulator.url, { method: 'GET', path: '/v1/x/data-annotations' }));
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error_code: 'APIG.0101' });
  });

  it('answers 405 with Allow to another method on the operation path', async () => {
    const response = conforming(
      await send(emulator.url, { method: 'GET', path: tagsPath(CLASSIFICATION_JOB_ID), headers: { 'x-auth-token': DEFAULT_TOKEN } }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('answers 413 to a body over the limit and closes the connection', async () => {
    const response = conforming(await post(JSON.stringify({ image_id: ['x'.repeat(1000)] }).repeat(70)));
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
  });

  it('answers 413 to a streamed body that grows past the limit', async () => {
    const big = Buffer.alloc(200 * 1024, 'a');
    const response = await send(emulator.url, {
      path: tagsPath(CLASSIFICATION_JOB_ID),
      headers: { 'x-auth-token': DEFAULT_TOKEN, 'transfer-encoding': 'chunked' },
      body: big,
    }).catch((error: Error) => error);
    // The server may hang up before the client finishes sending; either way it never accepts the body.
    if (response instanceof Error) expect(response.message).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    else expect(response.status).toBe(413);
  });
});

describe('accounting', () => {
  it('gave every response its own request ID', () => {
    expect(requestIds.length).toBeGreaterThan(15);
    expect(new Set(requestIds).size).toBe(requestIds.length);
  });

  it('counts requests, responses, jobs and authentication', async () => {
    emulator.resetStats();
    expect(emulator.stats.requests).toBe(0);
    await postTags(emulator.url, DETECTION_JOB_ID, emulator.jobs.detection.imageIds.slice(0, 5));
    await postTags(emulator.url, DETECTION_JOB_ID, ['a'], { headers: { 'x-auth-token': 'bad' } });
    await postTags(emulator.url, '999', ['a']);
    expect(emulator.stats).toMatchObject({
      requests: 3,
      responses: { 200: 1, 401: 1, 404: 1 },
      jobs: { [DETECTION_JOB_ID]: { requests: 1, imageIds: 5 } },
      auth: { token: 2, signature: 0, rejected: 1 },
    });
  });
});

describe('lifecycle and options', () => {
  it('refuses tokens when told to accept none', async () => {
    const strict = await startEmulator({ imagesPerJob: 1, tokens: [] });
    try {
      const response = await postTags(strict.url, CLASSIFICATION_JOB_ID, ['a']);
      expect(response.status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('serves another project when configured', async () => {
    const other = await startEmulator({ imagesPerJob: 1, projectId: 'myproject' });
    try {
      const response = await send(other.url, {
        path: tagsPath(CLASSIFICATION_JOB_ID, 'myproject'),
        headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN },
        body: JSON.stringify({ image_id: other.jobs.classification.imageIds }),
      });
      expect(response.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('stops listening on close, and close can be called twice', async () => {
    const shortLived = await startEmulator({ imagesPerJob: 1 });
    await shortLived.close();
    await shortLived.close();
    await expect(postTags(shortLived.url, CLASSIFICATION_JOB_ID, ['a'])).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each([
    [{ imagesPerJob: -1 }, /imagesPerJob/],
    [{ port: 70_000 }, /port/],
    [{ tokens: [''] }, /tokens/],
    [{ keys: [{ accessKey: 'a', secretKey: '' }] }, /keys/],
    [{ faults: { rate: 3 } }, /faults.rate/],
    [{ specPath: '/nonexistent/modelarts.yaml' }, /ENOENT/],
  ])('refuses bad options %o', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it('reports a port already in use', async () => {
    const first = await startEmulator({ imagesPerJob: 1 });
    try {
      await expect(startEmulator({ imagesPerJob: 1, port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
