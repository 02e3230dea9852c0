import { afterEach, describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_CREDENTIALS,
  DETECTION_JOB_ID,
  startEmulator,
  type EmulatorOptions,
  type FaultKind,
  type RunningEmulator,
} from '../../src/index.js';
import { paths } from '../support/api.js';
import { send } from '../support/http.js';
import { signTestRequest } from '../support/sign-request.js';

const api = paths();
let emulator: RunningEmulator;

async function start(options: EmulatorOptions): Promise<RunningEmulator> {
  emulator = await startEmulator({ imagesPerJob: 250, ...options });
  return emulator;
}
afterEach(() => emulator?.close());

/** Sends a request signed with AK/SK, query string included. */
async function signed(method: string, path: string, body?: unknown, tamper?: (path: string) => string) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const added = signTestRequest({ method, url: emulator.url + path, headers, body: text }, DEFAULT_CREDENTIALS);
  return send(emulator.url, { method, path: tamper ? tamper(path) : path, headers: { ...headers, ...added }, body: text });
}

describe('authentication of every operation', () => {
  const operations = (imageId: string, other: string): [string, string, unknown?][] => [
    ['GET', api.jobs],
    ['GET', `${api.images(DETECTION_JOB_ID)}?tag_name=car&per_page=5&page=1`],
    ['GET', api.imageTags(DETECTION_JOB_ID, imageId)],
    ['GET', api.tags(DETECTION_JOB_ID)],
    ['GET', api.stats(DETECTION_JOB_ID)],
    ['GET', api.syncStatus(DETECTION_JOB_ID)],
    ['GET', api.validation('0d2f4a6e-1b3c-4e5f-8a9b-7c6d5e4f3a21')],
    ['POST', api.tagsShow(DETECTION_JOB_ID), { image_id: [imageId] }],
    ['PUT', api.images(DETECTION_JOB_ID), { images: [{ image_id: imageId, tags: [] }] }],
    ['POST', api.validation('0d2f4a6e-1b3c-4e5f-8a9b-7c6d5e4f3a21'), { pass_rate: 50 }],
    ['POST', api.sync(DETECTION_JOB_ID)],
    ['POST', api.deleteImages(DETECTION_JOB_ID), { image_id: [other] }],
    ['DELETE', api.image(DETECTION_JOB_ID, imageId)],
  ];

  it('refuses a request without credentials, or with a wrong token, with 401 and changes nothing', async () => {
    await start({});
    const [imageId, other] = emulator.imageIds(DETECTION_JOB_ID) as string[];
    for (const [method, path, body] of operations(imageId!, other!)) {
      for (const headers of [{}, { 'x-auth-token': 'wrong' }] as Record<string, string>[]) {
        const response = await send(emulator.url, {
          method,
          path,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.json()).toMatchObject({ error_code: 'APIG.0301' });
      }
    }
    expect(emulator.imageIds(DETECTION_JOB_ID)).toHaveLength(250);
    expect(emulator.obsSyncStatus(DETECTION_JOB_ID)).toBe(0);
    expect(Object.keys(emulator.stats.operations)).toHaveLength(13);
  });

  it('serves every operation signed with AK/SK, query strings included in the canonical request', async () => {
    await start({});
    const [imageId, other] = emulator.imageIds(DETECTION_JOB_ID) as string[];
    for (const [method, path, body] of operations(imageId!, other!)) {
      const response = await signed(method, path, body);
      expect(response.status, `${method} ${path}: ${response.text}`).toBe(200);
    }
    expect(emulator.stats.auth.signature).toBe(13);
  });

  it('refuses a signed request whose query changed after signing', async () => {
    await start({});
    const path = `${api.images(CLASSIFICATION_JOB_ID)}?per_page=5&page=1`;
    expect((await signed('GET', path)).status).toBe(200);
    for (const tamper of [(p: string) => p.replace('page=1', 'page=2'), (p: string) => `${p}&tag_name=cat`]) {
      const response = await signed('GET', path, undefined, tamper);
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ error_code: 'APIG.0301' });
    }
  });

  it('answers 405 with Allow for a method a path lacks', async () => {
    await start({});
    const response = await send(emulator.url, { method: 'PATCH', path: api.images(CLASSIFICATION_JOB_ID), headers: {} });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, PUT');
  });
});

describe('faults', () => {
  it('lose or duplicate nothing when a client retries failed pages of the image list', async () => {
    await start({ faults: { rate: 0.3, kinds: ['429', '500', '503', 'reset', 'truncated', 'html502', 'unsuccessful'], seed: 3 } });
    const ids: string[] = [];
    let failures = 0;
    for (let page = 0; ; page++) {
      let images: { image_id: string }[] | undefined;
      while (images === undefined) {
        const response = await send(emulator.url, {
          method: 'GET',
          path: `${api.images(DETECTION_JOB_ID)}?per_page=20&page=${page}`,
          headers: { 'x-auth-token': 'emulator-token' },
        }).catch(() => undefined);
        try {
          const body = response?.status === 200 ? (response.json() as { is_success: boolean; images: { image_id: string }[] }) : undefined;
          if (body?.is_success) images = body.images;
        } catch {
          // A truncated body: ask again.
        }
        if (images === undefined) failures += 1;
      }
      ids.push(...images.map((image) => image.image_id));
      if (images.length < 20) break;
    }
    expect(failures).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    const tagged = emulator.imageIds(DETECTION_JOB_ID).filter((id) => (emulator.groundTruth(DETECTION_JOB_ID, id)!.tags as []).length > 0);
    expect(ids).toEqual(tagged);
  });

  it.each<[FaultKind, boolean]>([
    ['500', false],
    ['503', false],
    ['429', false],
    ['html502', false],
    ['unsuccessful', false],
    ['truncated', true],
    ['reset', true],
  ])('a write that meets %s was applied: %s, and writing it again leaves the same state', async (kind, applied) => {
    await start({ faults: { sequence: [kind] } });
    const imageId = emulator.imageIds(CLASSIFICATION_JOB_ID)[0]!;
    const body = JSON.stringify({ images: [{ image_id: imageId, tags: ['retried'] }] });
    const put = () =>
      send(emulator.url, {
        method: 'PUT',
        path: api.images(CLASSIFICATION_JOB_ID),
        headers: { 'x-auth-token': 'emulator-token', 'content-type': 'application/json' },
        body,
      });
    const first = await put().catch(() => undefined);
    expect(first?.status === 200 && first.text === '{"is_success":true}').toBe(false);
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, imageId)?.tags.includes('retried' as never)).toBe(applied);
    expect(emulator.stats.faults[kind]).toBe(1);
    expect((await put()).status).toBe(200);
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, imageId)).toEqual({ image_id: imageId, tags: ['retried'] });
  });

  it('limit the batch of writes and deletes by maxBatchSize, naming the field', async () => {
    await start({ faults: { maxBatchSize: 2 } });
    const ids = emulator.imageIds(CLASSIFICATION_JOB_ID).slice(0, 3);
    const response = await send(emulator.url, {
      method: 'PUT',
      path: api.images(CLASSIFICATION_JOB_ID),
      headers: { 'x-auth-token': 'emulator-token', 'content-type': 'application/json' },
      body: JSON.stringify({ images: ids.map((image_id) => ({ image_id, tags: [] })) }),
    });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error_msg: 'Parameter error: images has 3 items, at most 2 are allowed.' });
    expect(emulator.stats.faults.batchLimit).toBe(1);
    expect(emulator.groundTruth(CLASSIFICATION_JOB_ID, ids[0]!)?.tags).not.toEqual([]);
  });
});
