import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLASSIFICATION_JOB_ID,
  DETECTION_JOB_ID,
  startEmulator,
  type FaultConfig,
  type FaultKind,
  type RunningEmulator,
} from '../src/index.js';
import { postTags, type TestResponse } from './support/http.js';
import { responseSchemas } from './support/spec-schemas.js';

const { checkError } = responseSchemas();
const running: RunningEmulator[] = [];

async function emulatorWith(faults: FaultConfig, seed = 11): Promise<RunningEmulator> {
  const emulator = await startEmulator({ imagesPerJob: 400, seed, faults });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** The emulator with one scripted fault on the first request, and that first request's outcome. */
async function firstRequestWith(kind: FaultKind, extra: FaultConfig = {}) {
  const emulator = await emulatorWith({ sequence: [kind], ...extra });
  const imageIds = emulator.jobs.classification.imageIds.slice(0, 20);
  const outcome = await postTags(emulator.url, CLASSIFICATION_JOB_ID, imageIds).catch((error: Error) => error);
  return { emulator, imageIds, outcome };
}

describe('each fault kind', () => {
  it("'429' answers Too Many Requests with Retry-After in seconds", async () => {
    const { outcome, emulator } = await firstRequestWith('429', { retryAfterSeconds: 3 });
    if (outcome instanceof Error) throw outcome;
    expect(outcome.status).toBe(429);
    expect(outcome.headers['retry-after']).toBe('3');
    expect(outcome.json()).toMatchObject({ error_code: 'ModelArts.6101' });
    expect(checkError(outcome.json())).toBeUndefined();
    expect(emulator.stats.faults['429']).toBe(1);
  });

  it.each([
    ['500', 500, 'ModelArts.6102'],
    ['503', 503, 'ModelArts.6103'],
  ] as const)("'%s' answers %i with a ModelArts error body", async (kind, status, code) => {
    const { outcome } = await firstRequestWith(kind);
    if (outcome instanceof Error) throw outcome;
    expect(outcome.status).toBe(status);
    expect(outcome.json()).toMatchObject({ error_code: code });
    expect(outcome.headers['x-request-id']).toBeTruthy();
  });

  it("'reset' resets the connection", async () => {
    const { outcome, emulator } = await firstRequestWith('reset');
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(emulator.stats.faults.reset).toBe(1);
  });

  it("'truncated' answers 200 with JSON cut half-way", async () => {
    const { outcome } = await firstRequestWith('truncated');
    if (outcome instanceof Error) throw outcome;
    expect(outcome.status).toBe(200);
    expect(outcome.text.startsWith('{"is_success":true,"images_tags":[')).toBe(true);
    expect(() => outcome.json()).toThrow(SyntaxError);
  });

  it("'html502' answers 502 with an HTML page", async () => {
    const { outcome } = await firstRequestWith('html502');
    if (outcome instanceof Error) throw outcome;
    expect(outcome.status).toBe(502);
    expect(outcome.headers['content-type']).toMatch(/^text\/html/);
    expect(outcome.text).toContain('<h1>502 Bad Gateway</h1>');
  });

  it("'unsuccessful' answers 200 with is_success false", async () => {
    const { outcome } = await firstRequestWith('unsuccessful');
    if (outcome instanceof Error) throw outcome;
    expect(outcome.status).toBe(200);
    expect(outcome.json()).toEqual({ is_success: false, error_code: 'ModelArts.6101', error_msg: 'System busy.' });
  });

  it("'delay' holds a correct answer for delayMs", async () => {
    const emulator = await emulatorWith({ sequence: ['delay'], delayMs: 300 });
    const imageIds = emulator.jobs.classification.imageIds.slice(0, 5);
    const started = performance.now();
    const response = await postTags(emulator.url, CLASSIFICATION_JOB_ID, imageIds);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
    expect((response.json() as { images_tags: unknown[] }).images_tags).toEqual(
      imageIds.map((id) => emulator.groundTruth(CLASSIFICATION_JOB_ID, id)),
    );
  });

  it("'delay' outlasts a client timeout", async () => {
    const emulator = await emulatorWith({ sequence: ['delay'], delayMs: 5_000 });
    await expect(postTags(emulator.url, CLASSIFICATION_JOB_ID, ['a'], { timeoutMs: 100 })).rejects.toThrow(/client timeout/);
  });

  it('close() does not wait for delayed answers', async () => {
    const emulator = await emulatorWith({ sequence: ['delay'], delayMs: 60_000 });
    const pending = postTags(emulator.url, CLASSIFICATION_JOB_ID, ['a']).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('batch-size limit', () => {
  it('answers 400 ModelArts.0104 above maxBatchSize and serves up to it', async () => {
    const emulator = await emulatorWith({ maxBatchSize: 50 });
    const ids = emulator.jobs.detection.imageIds;
    const atLimit = await postTags(emulator.url, DETECTION_JOB_ID, ids.slice(0, 50));
    const aboveLimit = await postTags(emulator.url, DETECTION_JOB_ID, ids.slice(0, 51));
    expect(atLimit.status).toBe(200);
    expect(aboveLimit.status).toBe(400);
    expect(aboveLimit.json()).toEqual({
      error_code: 'ModelArts.0104',
      error_msg: 'Parameter error: image_id has 51 items, at most 50 are allowed.',
    });
    expect(emulator.stats.faults.batchLimit).toBe(1);
  });
});

describe('random faults', () => {
  const kinds: FaultKind[] = ['429', '500', '503', 'truncated', 'html502', 'unsuccessful', 'reset'];

  /** What a client would make of a response: 'ok', 'truncated', 'unsuccessful', the status, or the socket error. */
  function classify(response: TestResponse): string {
    if (response.status !== 200) return String(response.status);
    try {
      return (response.json() as { is_success: boolean }).is_success ? 'ok' : 'unsuccessful';
    } catch {
      return 'truncated';
    }
  }

  /** Sends 200 distinct batches of 2 IDs, 8 at a time, and classifies each outcome. */
  async function outcomes(emulator: RunningEmulator, jobId = CLASSIFICATION_JOB_ID): Promise<string[]> {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const ids = emulator.job(jobId)!.imageIds;
    try {
      return await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          postTags(emulator.url, jobId, [ids[2 * i]!, ids[2 * i + 1]!], { agent }).then(classify, (error: NodeJS.ErrnoException) =>
            String(error.code),
          ),
        ),
      );
    } finally {
      agent.destroy();
    }
  }

  const count = (results: string[], outcome: string) => results.filter((result) => result === outcome).length;

  it('are reproducible from the seed, whatever the arrival order', async () => {
    const first = await outcomes(await emulatorWith({ rate: 0.3, kinds }, 5));
    const second = await outcomes(await emulatorWith({ rate: 0.3, kinds }, 5));
    expect(second).toEqual(first);
    const other = await outcomes(await emulatorWith({ rate: 0.3, kinds }, 6));
    expect(other).not.toEqual(first);
  });

  it('hit about the configured share and are counted per kind', async () => {
    const emulator = await emulatorWith({ rate: 0.3, kinds });
    const results = await outcomes(emulator);
    const { faults } = emulator.stats;
    const injected = Object.values(faults).reduce((sum, n) => sum + n, 0);
    expect(emulator.stats.requests).toBe(200);
    expect(injected).toBeGreaterThan(30);
    expect(injected).toBeLessThan(90);
    // Each request is either healthy or exactly one counted fault of the kind the client saw.
    expect(count(results, 'ok')).toBe(200 - injected);
    expect(count(results, '429')).toBe(faults['429']);
    expect(count(results, '500')).toBe(faults['500']);
    expect(count(results, '503')).toBe(faults['503']);
    expect(count(results, '502')).toBe(faults.html502);
    expect(count(results, 'truncated')).toBe(faults.truncated);
    expect(count(results, 'unsuccessful')).toBe(faults.unsuccessful);
    expect(count(results, 'ECONNRESET')).toBe(faults.reset);
    for (const kind of kinds) expect(faults[kind]).toBeGreaterThan(0);
  });

  it('can be confined to one job', async () => {
    const emulator = await emulatorWith({ jobs: { [DETECTION_JOB_ID]: { rate: 1, kinds: ['503'] } } });
    expect(new Set(await outcomes(emulator, DETECTION_JOB_ID))).toEqual(new Set(['503']));
    expect(new Set(await outcomes(emulator, CLASSIFICATION_JOB_ID))).toEqual(new Set(['ok']));
  });
});
