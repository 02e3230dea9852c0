import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_JOB_ID,
  DEFAULT_CREDENTIALS,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from '../src/index.js';
import { send, tagsPath } from './support/http.js';
import { signTestRequest, type SignOptions, type TestCredentials } from './support/sign-request.js';

// The emulator's clock is pinned, so "16 minutes ago" means exactly that.
const NOW = Date.parse('2025-03-04T05:06:07Z');
const MINUTE = 60_000;
const SECOND_PAIR = { accessKey: 'SECONDAK', secretKey: 'second-secret-sentinel' };
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 50, clock: () => NOW, keys: [DEFAULT_CREDENTIALS, SECOND_PAIR] });
});
afterAll(() => emulator.close());

interface SignedCall {
  credentials?: TestCredentials;
  date?: Date;
  /** Headers that are signed and sent. */
  headers?: Record<string, string>;
  /** Changes the request after signing. */
  tamper?: (request: { headers: Record<string, string>; body: string }) => void;
  options?: SignOptions;
}

async function signedPost(call: SignedCall = {}) {
  const url = emulator.url + tagsPath(CLASSIFICATION_JOB_ID);
  const body = JSON.stringify({ image_id: emulator.jobs.classification.imageIds.slice(0, 3) });
  const headers = { 'content-type': 'application/json', 'x-project-id': DEFAULT_PROJECT_ID, ...call.headers };
  const added = signTestRequest({ method: 'POST', url, headers, body }, call.credentials ?? DEFAULT_CREDENTIALS, {
    date: call.date ?? new Date(NOW),
    ...call.options,
  });
  const request = { headers: { ...headers, ...added }, body };
  call.tamper?.(request);
  return send(emulator.url, { path: tagsPath(CLASSIFICATION_JOB_ID), headers: request.headers, body: request.body });
}

async function expectRejected(call: SignedCall, reason: RegExp): Promise<void> {
  const response = await signedPost(call);
  expect(response.status).toBe(401);
  const body = response.json() as { error_code: string; error_msg: string };
  expect(body.error_code).toBe('APIG.0301');
  expect(body.error_msg).toMatch(reason);
  expect(response.headers['x-request-id']).toBeTruthy();
  for (const secret of [DEFAULT_CREDENTIALS.secretKey, SECOND_PAIR.secretKey]) expect(response.text).not.toContain(secret);
}

describe('AK/SK signed requests', () => {
  it('are served when the signature is right', async () => {
    const response = await signedPost();
    expect(response.status).toBe(200);
    expect((response.json() as { images_tags: unknown[] }).images_tags).toHaveLength(3);
  });

  it('are served for every configured key pair', async () => {
    expect((await signedPost({ credentials: SECOND_PAIR })).status).toBe(200);
  });

  it('are served when signed 14 minutes ago', async () => {
    expect((await signedPost({ date: new Date(NOW - 14 * MINUTE) })).status).toBe(200);
  });

  it('are served with the derived (V11) algorithm', async () => {
    const response = await signedPost({ options: { derived: { region: 'cn-north-4', service: 'modelarts' } } });
    expect(response.status).toBe(200);
  });

  it('are served with a security token signed along', async () => {
    expect((await signedPost({ headers: { 'x-security-token': 'temporary-token' } })).status).toBe(200);
  });

  it('are counted as signature logins', async () => {
    emulator.resetStats();
    await signedPost();
    await signedPost({ credentials: { ...DEFAULT_CREDENTIALS, secretKey: 'wrong' } });
    expect(emulator.stats.auth).toEqual({ token: 0, signature: 1, rejected: 1 });
  });
});

describe('AK/SK rejections', () => {
  it('a body changed after signing', () =>
    expectRejected({ tamper: (r) => (r.body = r.body.replace(']', ',"extra"]')) }, /signature does not match/));

  it('a request signed with the wrong SK', () =>
    expectRejected({ credentials: { ...DEFAULT_CREDENTIALS, secretKey: 'not-the-secret' } }, /signature does not match/));

  it('a request dated 16 minutes ago', () => expectRejected({ date: new Date(NOW - 16 * MINUTE) }, /more than 15 minutes/));

  it('a request dated 16 minutes ahead', () => expectRejected({ date: new Date(NOW + 16 * MINUTE) }, /more than 15 minutes/));

  it('an unknown AK', () => expectRejected({ credentials: { accessKey: 'NOBODY', secretKey: 'x' } }, /access key is unknown/));

  it('a signed header that was not sent', () =>
    expectRejected({ tamper: (r) => delete r.headers['x-project-id'] }, /signed header x-project-id is missing/));

  it('a signed header whose value changed', () =>
    expectRejected({ tamper: (r) => (r.headers['x-project-id'] = 'f'.repeat(32)) }, /signature does not match/));

  it('SignedHeaders without host', () =>
    expectRejected({ tamper: (r) => (r.headers.authorization = r.headers.authorization!.replace(';host;', ';')) }, /must include host/));

  it('SignedHeaders without x-sdk-date', () =>
    expectRejected(
      { tamper: (r) => (r.headers.authorization = r.headers.authorization!.replace(';x-sdk-date', '')) },
      /must include x-sdk-date/,
    ));

  it('a request sent to another host than it was signed for', () =>
    expectRejected({ tamper: (r) => (r.headers.host = 'modelarts.cn-north-4.myhuaweicloud.com') }, /signature does not match/));
});

describe('tokens alongside AK/SK', () => {
  it('are still accepted', async () => {
    const response = await send(emulator.url, {
      path: tagsPath(CLASSIFICATION_JOB_ID),
      headers: { 'content-type': 'application/json', 'x-auth-token': DEFAULT_TOKEN },
      body: '{"image_id":["a"]}',
    });
    expect(response.status).toBe(200);
  });
});
