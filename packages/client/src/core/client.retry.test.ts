import { describe, expect, it } from 'vitest';
import { scriptedTransport, json, tagsResponse } from '../../test/support/scripted-transport.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import {
  AbortError,
  AuthenticationError,
  DEFAULT_RETRY_POLICY,
  DeadlineExceededError,
  ModelArtsClient,
  PartialResultError,
  ServerError,
  TimeoutError,
} from '../index.js';
import type { Transport } from './transport.js';

const TIMEOUT = 5_000;
const ids = (n: number, prefix = 'img'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

function client(fetch: Transport, clock: VirtualClock, extra: Partial<ConstructorParameters<typeof ModelArtsClient>[0]> = {}) {
  return new ModelArtsClient({
    endpoint: 'https://modelarts.example.test',
    projectId: '0123456789abcdef0123456789abcdef',
    auth: { token: 'test-token' },
    fetch,
    runtime: clock,
    timeoutMs: TIMEOUT,
    ...extra,
  });
}

describe('retries with injected time', () => {
  it('backs off with capped exponential full jitter, within bounds', async () => {
    const clock = new VirtualClock(undefined, () => 0.999);
    const transport = scriptedTransport(() => json(503, { error_code: 'ModelArts.6103', error_msg: 'busy' }));
    const call = client(transport, clock, { maxRetries: 5 }).getImageTags({ annotationId: '1', imageIds: ['a'] });
    const error = await clock.run(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialResultError);
    const cause = (error as PartialResultError).result.failed[0]!.error;
    expect(cause).toBeInstanceOf(ServerError);
    expect(cause.attempts).toBe(6);
    expect(cause.message).toMatch(/gave up after 6 attempts/);
    expect(cause.requestId).toBe('req-503');
    expect(transport.seen).toHaveLength(6);
    // ceilings 500, 1000, 2000, 4000, 8000 (capped)
    const delays = clock.backoffs(TIMEOUT);
    expect(delays).toHaveLength(5);
    [500, 1000, 2000, 4000, 8000].forEach((ceiling, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(ceiling * 0.99);
      expect(delays[i]).toBeLessThan(ceiling);
    });
  });

  it('uses the full range down to zero (full jitter)', async () => {
    const clock = new VirtualClock(undefined, () => 0);
    const transport = scriptedTransport((_, attempt) => (attempt < 3 ? json(500, {}) : tagsResponse(['a'])));
    const result = await clock.run(client(transport, clock).getImageTags({ annotationId: '1', imageIds: ['a'] }));
    expect(result.images).toHaveLength(1);
    expect(clock.backoffs(TIMEOUT)).toEqual([0, 0]);
  });

  it('honours Retry-After in seconds', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((_, attempt) =>
      attempt === 1 ? json(429, { error_code: 'APIG.0308', error_msg: 'throttled' }, { 'retry-after': '7' }) : tagsResponse(['a']),
    );
    const result = await clock.run(client(transport, clock).getImageTags({ annotationId: '1', imageIds: ['a'] }));
    expect(result.images.map((i) => i.imageId)).toEqual(['a']);
    expect(clock.backoffs(TIMEOUT)).toEqual([7_000]);
  });

  it('caps Retry-After at 60 s, in seconds or as a date, so a bogus header cannot park a job for hours', async () => {
    const clock = new VirtualClock(Date.parse('2025-06-01T00:00:00Z'));
    const asked = ['3600', new Date(clock.time + 86_400_000).toUTCString(), '60.5', '60'];
    const transport = scriptedTransport((_, attempt) =>
      attempt <= asked.length ? json(503, {}, { 'retry-after': asked[attempt - 1]! }) : tagsResponse(['a']),
    );
    const result = await clock.run(client(transport, clock, { maxRetries: 4 }).getImageTags({ annotationId: '1', imageIds: ['a'] }));
    expect(result.images).toHaveLength(1);
    expect(clock.backoffs(TIMEOUT)).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(DEFAULT_RETRY_POLICY.maxRetryAfterMs).toBe(60_000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const clock = new VirtualClock(Date.parse('2025-06-01T00:00:00Z'));
    const at = new Date(clock.time + 12_000).toUTCString();
    const transport = scriptedTransport((_, attempt) => (attempt === 1 ? json(503, {}, { 'retry-after': at }) : tagsResponse(['a'])));
    await clock.run(client(transport, clock).getImageTags({ annotationId: '1', imageIds: ['a'] }));
    expect(clock.backoffs(TIMEOUT)).toEqual([12_000]);
  });

  it('never retries 400, 401, 403 or 404', async () => {
    for (const status of [400, 401, 403, 404]) {
      const clock = new VirtualClock();
      const transport = scriptedTransport(() => json(status, { error_code: 'X', error_msg: 'no' }));
      const result = await clock.run(client(transport, clock).getImageTags({ annotationId: '1', imageIds: ['a'] }, { onError: 'collect' }));
      expect(transport.seen, `status ${status}`).toHaveLength(1);
      expect(result.failed[0]!.error.status).toBe(status);
      expect(result.failed[0]!.error.attempts).toBe(1);
    }
  });

  it('stops sending after a 401, so a wrong key is not locked out, and still accounts for every ID', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport(() => json(401, { error_code: 'APIG.0301', error_msg: 'bad signature' }));
    const result = await clock.run(
      client(transport, clock, { concurrency: 1 }).getImageTags(
        { annotationId: '1', imageIds: ids(500) },
        { onError: 'collect', batchSize: 50 },
      ),
    );
    expect(transport.seen).toHaveLength(1);
    expect(result.failed).toHaveLength(500);
    expect(result.failed.every((f) => f.error instanceof AuthenticationError)).toBe(true);
  });

  it('sends the first batch alone, so wrong credentials cost one request even at high concurrency', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport(() => json(401, { error_code: 'APIG.0301', error_msg: 'bad signature' }));
    const result = await clock.run(
      client(transport, clock, { concurrency: 8 }).getImageTags({ annotationId: '1', imageIds: ids(1_000) }, { onError: 'collect' }),
    );
    expect(transport.seen).toHaveLength(1);
    expect(result.failed).toHaveLength(1_000);
  });

  it('times out a request that never answers, retries it, then reports the timeout', async () => {
    const clock = new VirtualClock(undefined, () => 0);
    const transport = scriptedTransport(() => 'hang');
    const start = clock.time;
    const result = await clock.run(
      client(transport, clock, { maxRetries: 1 }).getImageTags({ annotationId: '1', imageIds: ['a'] }, { onError: 'collect' }),
    );
    const error = result.failed[0]!.error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.attempts).toBe(2);
    expect(transport.seen).toHaveLength(2);
    expect(clock.time - start).toBe(2 * TIMEOUT);
  });

  it('aborts mid-job: finished batches are kept, the rest are failed with AbortError', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const transport = scriptedTransport((request, attempt) => {
      if (attempt === 3) controller.abort();
      return attempt <= 2 ? tagsResponse(request.imageIds) : 'hang';
    });
    const call = client(transport, clock, { concurrency: 1 }).getImageTags(
      { annotationId: '1', imageIds: ids(50) },
      { batchSize: 10, signal: controller.signal },
    );
    const error = (await clock.run(call).catch((e: unknown) => e)) as PartialResultError;
    expect(error).toBeInstanceOf(PartialResultError);
    expect(error.result.images).toHaveLength(20);
    expect(error.result.failed).toHaveLength(30);
    expect(error.result.failed.every((f) => f.error instanceof AbortError)).toBe(true);
    expect(transport.seen).toHaveLength(3);
  });

  it('expires the deadline for the whole call', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport(async (request) => {
      await clock.sleep(1_000);
      return tagsResponse(request.imageIds);
    });
    const result = await clock.run(
      client(transport, clock, { concurrency: 1 }).getImageTags(
        { annotationId: '1', imageIds: ids(50) },
        { batchSize: 10, deadlineMs: 2_500, onError: 'collect' },
      ),
    );
    expect(result.images).toHaveLength(20);
    expect(result.failed).toHaveLength(30);
    expect(result.failed.every((f) => f.error instanceof DeadlineExceededError)).toBe(true);
  });

  it('signs every attempt afresh with the clock of that attempt', async () => {
    const clock = new VirtualClock(Date.parse('2025-06-01T00:00:00Z'), () => 0.9);
    const transport = scriptedTransport((request, attempt) =>
      attempt < 3 ? json(503, {}, { 'retry-after': '2' }) : tagsResponse(request.imageIds),
    );
    await clock.run(
      client(transport, clock, { auth: { accessKey: 'AK-TEST', secretKey: 'SK-TEST' } }).getImageTags({
        annotationId: '1',
        imageIds: ['a'],
      }),
    );
    const dates = transport.seen.map((r) => r.init.headers['x-sdk-date']);
    const signatures = transport.seen.map((r) => r.init.headers.authorization);
    expect(new Set(dates).size).toBe(3);
    expect(new Set(signatures).size).toBe(3);
    expect(transport.seen[0]!.init.headers['x-project-id']).toBe('0123456789abcdef0123456789abcdef');
  });

  it('halves a batch the service rejects for its size, and keeps the smaller size', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((request) =>
      request.imageIds.length > 30 ? json(400, { error_code: 'ModelArts.0104', error_msg: 'too many' }) : tagsResponse(request.imageIds),
    );
    const input = ids(200);
    const result = await clock.run(client(transport, clock).getImageTags({ annotationId: '1', imageIds: input }, { batchSize: 100 }));
    expect(result.images.map((i) => i.imageId)).toEqual(input);
    // The first batch of 100 is refused alone; halves of 50 in flight are refused too; from then on at most 25.
    const refused = transport.seen.filter((r) => r.imageIds.length > 30);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeLessThanOrEqual(6);
    expect(transport.seen.filter((r) => r.imageIds.length <= 30).every((r) => r.imageIds.length === 25)).toBe(true);
  });

  it('isolates one ID the service rejects, instead of failing its whole batch', async () => {
    const clock = new VirtualClock();
    const transport = scriptedTransport((request) =>
      request.imageIds.includes('img-13')
        ? json(400, { error_code: 'ModelArts.0104', error_msg: 'bad id' })
        : tagsResponse(request.imageIds),
    );
    const result = await clock.run(
      client(transport, clock).getImageTags({ annotationId: '1', imageIds: ids(40) }, { batchSize: 20, onError: 'collect' }),
    );
    expect(result.failed.map((f) => f.imageId)).toEqual(['img-13']);
    expect(result.images).toHaveLength(39);
  });
});
