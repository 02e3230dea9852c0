import { inspect } from 'node:util';
import {
  DEFAULT_CREDENTIALS,
  DEFAULT_PROJECT_ID,
  DEFAULT_TOKEN,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  InvalidResponseError,
  ModelArtsClient,
  type ModelArtsClientOptions,
  NotFoundError,
  type PartialResultError,
  ServerError,
  UnsuccessfulResponseError,
} from '../src/index.js';
import { expectedTags as expected } from './support/ground-truth.js';

async function withEmulator<T>(options: EmulatorOptions, use: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

function clientFor(emulator: RunningEmulator, options: Partial<ModelArtsClientOptions> = {}): ModelArtsClient {
  return new ModelArtsClient({ endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN }, ...options });
}

describe('against the emulator over 127.0.0.1', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ imagesPerJob: 2_000 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  for (const auth of ['token', 'aksk'] as const) {
    it(`fetches a classification job with ${auth} auth, matching the ground truth`, async () => {
      const client = clientFor(emulator, { auth: auth === 'token' ? { token: DEFAULT_TOKEN } : { ...DEFAULT_CREDENTIALS } });
      const job = emulator.jobs.classification;
      const ids = job.imageIds.slice(0, 250);
      const result = await client.getImageTags({ annotationId: job.id, imageIds: ids });
      expect(result.jobType).toBe('classification');
      expect(result.images).toEqual(ids.map((id) => expected(emulator, job.id, id)));
      expect(result.missing).toEqual([]);
      expect(result.requestIds).toHaveLength(3);
    });

    it(`fetches a detection job with ${auth} auth, with boxes and sizes`, async () => {
      const client = clientFor(emulator, { auth: auth === 'token' ? { token: DEFAULT_TOKEN } : { ...DEFAULT_CREDENTIALS } });
      const job = emulator.jobs.detection;
      const ids = job.imageIds.slice(100, 400);
      const result = await client.getImageTags({ annotationId: job.id, imageIds: ids });
      expect(result.jobType).toBe('detection');
      expect(result.images).toEqual(ids.map((id) => expected(emulator, job.id, id)));
      expect(result.images.some((image) => image.type === 'detection' && image.tags.length > 0)).toBe(true);
    });
  }

  it('accepts detection tags sent as a JSON string', async () => {
    const job = emulator.jobs.detectionStringTags;
    const ids = job.imageIds.slice(0, 50);
    const result = await clientFor(emulator).getImageTags({ annotationId: job.id, imageIds: ids });
    expect(result.jobType).toBe('detection');
    expect(result.images).toEqual(ids.map((id) => expected(emulator, job.id, id)));
  });

  it('reports unknown IDs as missing, in input order, and de-duplicates', async () => {
    const job = emulator.jobs.classification;
    const [a, b] = job.imageIds;
    const result = await clientFor(emulator).getImageTags({
      annotationId: job.id,
      imageIds: ['nope-1', a!, ` ${a!} `, 'nope-2', b!],
    });
    expect(result.images.map((image) => image.imageId)).toEqual([a, b]);
    expect(result.missing).toEqual(['nope-1', 'nope-2']);
  });

  it('iterates batch by batch, covering every ID once, with progress', async () => {
    const job = emulator.jobs.detection;
    const ids = [...job.imageIds.slice(0, 950), 'missing-1'];
    const seen: string[] = [];
    const progress: number[] = [];
    let batches = 0;
    for await (const batch of clientFor(emulator).iterateImageTags(
      { annotationId: job.id, imageIds: ids },
      { batchSize: 100, concurrency: 3, onProgress: ({ done }) => progress.push(done) },
    )) {
      batches += 1;
      expect(batch.total).toBe(951);
      for (const image of batch.images) expect(image).toEqual(expected(emulator, job.id, image.imageId));
      seen.push(...batch.images.map((i) => i.imageId), ...batch.missing, ...batch.failed.map((f) => f.imageId));
    }
    expect(batches).toBe(10);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(progress.at(-1)).toBe(951);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stops fetching when the consumer stops iterating', async () => {
    emulator.resetStats();
    const job = emulator.jobs.classification;
    for await (const batch of clientFor(emulator).iterateImageTags(
      { annotationId: job.id, imageIds: job.imageIds.slice(0, 2_000) },
      { batchSize: 10, concurrency: 2 },
    )) {
      expect(batch.images.length).toBe(10);
      break;
    }
    // At most the batches in flight plus the back-pressure window were fetched, not all 200.
    expect(emulator.stats.requests).toBeLessThan(10);
  });

  it('turns a 401 into AuthenticationError quoting the request ID and what to fix', async () => {
    const client = clientFor(emulator, { auth: { token: 'wrong-token' } });
    const error = await client.getImageTags({ annotationId: emulator.jobs.classification.id, imageIds: ['x'] }).catch((e: unknown) => e);
    const cause = (error as PartialResultError).result.failed[0]!.error;
    expect(cause).toBeInstanceOf(AuthenticationError);
    expect(cause.status).toBe(401);
    expect(cause.requestId).toBeTruthy();
    expect(cause.message).toContain(`request ID ${cause.requestId}`);
    expect(cause.message).toMatch(/check the token/);
    expect(cause.message).not.toContain('wrong-token');
  });

  it('rejects a request signed with the wrong SK', async () => {
    const client = clientFor(emulator, { auth: { accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: 'not-the-secret' } });
    const result = await client.getImageTags({ annotationId: emulator.jobs.classification.id, imageIds: ['x'] }, { onError: 'collect' });
    expect(result.failed[0]!.error).toBeInstanceOf(AuthenticationError);
    expect(result.failed[0]!.error.errorCode).toMatch(/^APIG\./);
  });

  it('turns an unknown job into NotFoundError', async () => {
    const result = await clientFor(emulator).getImageTags({ annotationId: '999999', imageIds: ['x', 'y'] }, { onError: 'collect' });
    expect(result.failed.map((f) => f.imageId)).toEqual(['x', 'y']);
    expect(result.failed[0]!.error).toBeInstanceOf(NotFoundError);
    expect(result.failed[0]!.error.message).toMatch(/request ID/);
  });

  it('reads a wrong project ID as not found, before any image is lost', async () => {
    const client = clientFor(emulator, { projectId: 'ffffffffffffffffffffffffffffffff' });
    const result = await client.getImageTags({ annotationId: emulator.jobs.classification.id, imageIds: ['x'] }, { onError: 'collect' });
    expect(result.failed[0]!.error).toBeInstanceOf(NotFoundError);
  });
});

describe('failures the emulator injects', () => {
  const job = '282';

  it('is_success: false on HTTP 200 is an error, not an empty result', async () => {
    await withEmulator({ imagesPerJob: 100, faults: { sequence: ['unsuccessful'] } }, async (emulator) => {
      const result = await clientFor(emulator, { maxRetries: 0 }).getImageTags(
        { annotationId: job, imageIds: emulator.jobs.classification.imageIds.slice(0, 5) },
        { onError: 'collect' },
      );
      const error = result.failed[0]!.error;
      expect(error).toBeInstanceOf(UnsuccessfulResponseError);
      expect(error.errorCode).toBeTruthy();
      expect(error.requestId).toBeTruthy();
      expect(result.images).toEqual([]);
    });
  });

  it('a truncated JSON body is an InvalidResponseError, and is retried', async () => {
    await withEmulator({ imagesPerJob: 100, faults: { sequence: ['truncated', 'truncated'] } }, async (emulator) => {
      const ids = emulator.jobs.classification.imageIds.slice(0, 5);
      const once = await clientFor(emulator, { maxRetries: 0 }).getImageTags({ annotationId: job, imageIds: ids }, { onError: 'collect' });
      expect(once.failed[0]!.error).toBeInstanceOf(InvalidResponseError);
      expect(once.failed[0]!.error.message).toMatch(/not valid JSON/);
      const retried = await clientFor(emulator, { maxRetries: 2 }).getImageTags({ annotationId: job, imageIds: ids });
      expect(retried.images).toHaveLength(5);
    });
  });

  it('an HTML page with a 502 is a ServerError with the status, not a JSON crash', async () => {
    await withEmulator({ imagesPerJob: 100, faults: { sequence: ['html502'] } }, async (emulator) => {
      const result = await clientFor(emulator, { maxRetries: 0 }).getImageTags(
        { annotationId: job, imageIds: ['a'] },
        { onError: 'collect' },
      );
      expect(result.failed[0]!.error).toBeInstanceOf(ServerError);
      expect(result.failed[0]!.error.status).toBe(502);
    });
  });

  it('a connection reset is retried', async () => {
    await withEmulator({ imagesPerJob: 100, faults: { sequence: ['reset', 'reset'] } }, async (emulator) => {
      const ids = emulator.jobs.classification.imageIds.slice(0, 3);
      const result = await clientFor(emulator).getImageTags({ annotationId: job, imageIds: ids });
      expect(result.images).toHaveLength(3);
      expect(emulator.stats.requests).toBe(3);
    });
  });

  it('a response delayed past the timeout is a TimeoutError, then retried', async () => {
    await withEmulator({ imagesPerJob: 100, faults: { sequence: ['delay'], delayMs: 5_000 } }, async (emulator) => {
      const ids = emulator.jobs.classification.imageIds.slice(0, 3);
      const result = await clientFor(emulator, { timeoutMs: 300 }).getImageTags({ annotationId: job, imageIds: ids });
      expect(result.images).toHaveLength(3);
      expect(emulator.stats.requests).toBe(2);
    });
  });

  it('chaos: 20,000 IDs through ~10% faults of every kind; every ID exactly once, within the retry budget', async () => {
    const maxRetries = 3;
    const concurrency = 8;
    await withEmulator(
      {
        imagesPerJob: 20_000,
        faults: { rate: 0.1, seed: 7, delayMs: 2_000, retryAfterSeconds: 0, maxBatchSize: 60 },
      },
      async (emulator) => {
        const job = emulator.jobs.detection;
        const unknown = Array.from({ length: 200 }, (_, i) => `unknown-${i}`);
        const ids = [...job.imageIds.slice(0, 19_800), ...unknown];
        const client = clientFor(emulator, { maxRetries, timeoutMs: 1_000, concurrency, runtime: { random: () => 0.05 } });
        const result = await client.getImageTags({ annotationId: job.id, imageIds: ids }, { onError: 'collect', batchSize: 100 });

        const seen = [...result.images.map((i) => i.imageId), ...result.missing, ...result.failed.map((f) => f.imageId)];
        expect(seen).toHaveLength(ids.length);
        expect(new Set(seen).size).toBe(ids.length);
        expect(new Set(seen)).toEqual(new Set(ids));
        for (const image of result.images) expect(image).toEqual(expected(emulator, job.id, image.imageId));
        expect(result.missing.every((id) => id.startsWith('unknown-'))).toBe(true);
        // Anything that failed for good did so after using its whole retry budget.
        for (const { error } of result.failed) expect(error.attempts).toBe(maxRetries + 1);

        const faults = emulator.stats.faults;
        for (const kind of ['429', '500', '503', 'reset', 'delay', 'truncated', 'html502', 'unsuccessful'] as const) {
          expect(faults[kind], kind).toBeGreaterThan(0);
        }
        expect(faults.batchLimit).toBeGreaterThan(0);
        // Every batch of at most 50 (after the limit is found) gets maxRetries + 1 attempts at most,
        // plus the refused oversize batches in flight when the limit was found.
        const budget = (Math.ceil(ids.length / 50) + 2 * concurrency) * (maxRetries + 1);
        expect(emulator.stats.requests).toBeLessThanOrEqual(budget);
      },
    );
  });
});

describe('secrets never leak', () => {
  const SECRETS = ['SENTINEL-AK-7f3a', 'SENTINEL-SK-9c1e', 'SENTINEL-STS-4b2d', 'SENTINEL-TOKEN-2e8f'];

  it('from any error path, inspect, JSON or log of the client', async () => {
    const logs: string[] = [];
    const logger = { debug: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
    const captured: unknown[] = [];
    await withEmulator({ imagesPerJob: 100, faults: { rate: 1, seed: 3 } }, async (emulator) => {
      const clients = [
        clientFor(emulator, {
          auth: { accessKey: SECRETS[0]!, secretKey: SECRETS[1]!, securityToken: SECRETS[2]! },
          logger,
          maxRetries: 1,
          timeoutMs: 200,
        }),
        clientFor(emulator, { auth: { token: SECRETS[3]! }, logger, maxRetries: 1, timeoutMs: 200 }),
        clientFor(emulator, { auth: { token: async () => SECRETS[3]! }, logger, maxRetries: 0, timeoutMs: 200 }),
      ];
      for (const client of clients) {
        captured.push(client);
        for (const annotationId of ['282', '999']) {
          const error = await client.getImageTags({ annotationId, imageIds: ['a', 'b'] }).catch((e: unknown) => e);
          captured.push(error, (error as PartialResultError).result);
        }
        captured.push(await client.getImageTags({ annotationId: 'bad id', imageIds: ['a'] }).catch((e: unknown) => e));
      }
    });
    const unreachable = new ModelArtsClient({
      endpoint: 'http://127.0.0.1:9',
      projectId: DEFAULT_PROJECT_ID,
      auth: { token: SECRETS[3]! },
      maxRetries: 0,
    });
    captured.push(await unreachable.getImageTags({ annotationId: '1', imageIds: ['a'] }).catch((e: unknown) => e));
    for (const bad of [{ token: `${SECRETS[3]}\n` }, { accessKey: SECRETS[0]!, secretKey: '' }]) {
      try {
        new ModelArtsClient({ region: 'cn-north-4', projectId: DEFAULT_PROJECT_ID, auth: bad });
      } catch (error) {
        captured.push(error);
      }
    }

    const texts: string[] = [...logs];
    for (const value of captured) {
      texts.push(inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? '', String(value));
      for (let e: unknown = value; e instanceof Error; e = e.cause) texts.push(e.message, e.stack ?? '');
    }
    expect(captured.filter((v) => v instanceof Error).length).toBeGreaterThan(10);
    const all = texts.join('\n');
    for (const secret of SECRETS) expect(all).not.toContain(secret);
  });
});
