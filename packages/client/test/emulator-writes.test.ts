import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, type RunningEmulator, startEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  DeadlineExceededError,
  type DetectionImageTags,
  InputValidationError,
  ModelArtsClient,
  type ModelArtsClientOptions,
  NotFoundError,
  ObsSyncFailedError,
  PartialWriteError,
} from '../src/index.js';
import { expectedTags } from './support/ground-truth.js';

/* The write side (tags, deletes, OBS sync, validation) against the emulator over 127.0.0.1, checked in its state. */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: 300, obsSync: { durationMs: 30, addImages: 4 } });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.resetStats();
});

const clientOf = (target: RunningEmulator, options: Partial<ModelArtsClientOptions> = {}) =>
  new ModelArtsClient({ endpoint: target.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN }, ...options });
const clientFor = (options: Partial<ModelArtsClientOptions> = {}) => clientOf(emulator, options);

describe('setImageTags', () => {
  it('writes classification tags in batches, and they are what is read back', async () => {
    const job = emulator.jobs.classification.id;
    const ids = emulator.imageIds(job).slice(0, 25);
    const client = clientFor();
    const result = await client.setImageTags(
      job,
      ids.map((imageId, i) => ({ imageId, tags: [`written-${i % 3}`, '新'] })),
      { batchSize: 10 },
    );
    expect(result.succeeded).toEqual(ids);
    expect(emulator.stats.operations.updateImageTags).toBe(3);
    const read = await client.getImageTags({ annotationId: job, imageIds: ids });
    expect(read.images.map((image) => image.tags)).toEqual(ids.map((_, i) => [`written-${i % 3}`, '新']));
    expect(await client.getTagList(job)).toContain('written-2');
  });

  it('round-trips detection boxes with the image size, the string-tags job included', async () => {
    const client = clientFor();
    for (const job of [emulator.jobs.detection.id, emulator.jobs.detectionStringTags.id]) {
      const id = emulator.imageIds(job)[3]!;
      const current = (await client.getImageTag(job, id)) as DetectionImageTags;
      const { width, height } = current.size!;
      const box = { xmin: 1, ymin: 2, xmax: width - 1, ymax: height - 2 };
      await client.setImageTags(job, [{ imageId: id, tags: [{ tag: 'written', box }], size: current.size! }]);
      expect(await client.getImageTag(job, id)).toEqual({ ...current, tags: [{ tag: 'written', box, extra: {} }] });
      expect(expectedTags(emulator, job, id).tags).toEqual([{ tag: 'written', box, extra: {} }]);
    }
  });

  it('refuses a malformed box before any request', async () => {
    const job = emulator.jobs.detection.id;
    const id = emulator.imageIds(job)[0]!;
    const box = { xmin: 50, ymin: 10, xmax: 20, ymax: 40 };
    await expect(clientFor().setImageTags(job, [{ imageId: id, tags: [{ tag: 't', box }] }])).rejects.toThrow(InputValidationError);
    expect(emulator.stats.requests).toBe(0);
  });

  it('a batch naming an image the job does not hold is refused whole: nothing of it is written', async () => {
    const job = emulator.jobs.classification.id;
    const known = emulator.imageIds(job).slice(0, 2);
    const before = known.map((id) => expectedTags(emulator, job, id));
    const error = await clientFor()
      .setImageTags(
        job,
        [...known, 'f'.repeat(32)].map((imageId) => ({ imageId, tags: ['x'] })),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialWriteError);
    const { result } = error as PartialWriteError;
    expect(result.succeeded).toEqual([]);
    expect(result.failed.every((f) => f.error instanceof BadRequestError)).toBe(true);
    expect(known.map((id) => expectedTags(emulator, job, id))).toEqual(before);
  });

  it('writes exactly once in effect under resets and truncated answers (the write applies, then the answer is lost)', async () => {
    const faulty = await startEmulator({ imagesPerJob: 300, faults: { sequence: ['reset', 'truncated', null, '503'] } });
    try {
      const job = faulty.jobs.classification.id;
      const ids = faulty.imageIds(job).slice(0, 6);
      const result = await clientOf(faulty).setImageTags(
        job,
        ids.map((imageId) => ({ imageId, tags: ['again'] })),
        { batchSize: 3 },
      );
      expect(result.succeeded).toEqual(ids);
      expect(ids.map((id) => expectedTags(faulty, job, id).tags)).toEqual(ids.map(() => ['again']));
      expect(faulty.stats.operations.updateImageTags).toBe(5);
    } finally {
      await faulty.close();
    }
  });
});

describe('deleteImages', () => {
  it('deletes in batches; deleted images are gone from every operation; a second delete is harmless', async () => {
    const job = emulator.jobs.detection.id;
    const gone = emulator.imageIds(job).slice(10, 15);
    const client = clientFor();
    expect((await client.deleteImages(job, gone, { batchSize: 2 })).succeeded).toEqual(gone);
    expect(emulator.stats.operations.deleteImages).toBe(3);
    expect(emulator.imageIds(job).filter((id) => gone.includes(id))).toEqual([]);
    await expect(client.getImageTag(job, gone[0]!)).rejects.toThrow(NotFoundError);
    expect((await client.getImageTags({ annotationId: job, imageIds: gone })).missing).toEqual(gone);
    expect((await client.deleteImages(job, gone)).succeeded).toEqual(gone);
  });
});

describe('syncFromObs', () => {
  it('waits until the sync is done; the new images are listed', async () => {
    const job = emulator.jobs.classification.id;
    const before = emulator.imageIds(job).length;
    const status = await clientFor().syncFromObs(job, { pollIntervalMs: 10, maxPollIntervalMs: 20 });
    expect(status.state).toBe('done');
    expect(emulator.imageIds(job)).toHaveLength(before + 4);
    expect(emulator.stats.operations.startObsSync).toBe(1);
    const untagged = [];
    for await (const image of clientFor().listImages({ annotationId: job, untagged: true })) untagged.push(image.imageId);
    expect(untagged).toEqual(expect.arrayContaining(emulator.imageIds(job).slice(before)));
  });

  it('a failed sync is an ObsSyncFailedError; one that never ends stops at the deadline', async () => {
    const job = emulator.jobs.detection.id;
    emulator.setObsSync({ outcome: 'failed' }, job);
    await expect(clientFor().syncFromObs(job, { pollIntervalMs: 10 })).rejects.toThrow(ObsSyncFailedError);
    emulator.setObsSync({ outcome: 'hang' }, job);
    const error = await clientFor()
      .syncFromObs(job, { pollIntervalMs: 10, deadlineMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(emulator.obsSyncStatus(job)).toBe(3);
  });

  it('after a reset connection on the start, reads the status instead of starting a second sync', async () => {
    // Long enough that the status read right after the reset still finds the sync running, however busy the machine.
    const faulty = await startEmulator({ imagesPerJob: 300, obsSync: { durationMs: 1_000 }, faults: { sequence: ['reset'] } });
    try {
      const status = await clientOf(faulty).syncFromObs(faulty.jobs.classification.id, { pollIntervalMs: 50, maxPollIntervalMs: 100 });
      expect(status.state).toBe('done');
      expect(faulty.stats.operations.startObsSync).toBe(1);
    } finally {
      await faulty.close();
    }
  });

  it('retries the start after a 503, which the service answers without starting anything', async () => {
    const faulty = await startEmulator({
      imagesPerJob: 300,
      obsSync: { durationMs: 30 },
      faults: { sequence: ['503'], retryAfterSeconds: 0 },
    });
    try {
      await clientOf(faulty).syncFromObs(faulty.jobs.classification.id, { pollIntervalMs: 10, wait: false });
      expect(faulty.stats.operations.startObsSync).toBe(2);
    } finally {
      await faulty.close();
    }
  });
});

describe('validation', () => {
  it('saves a pass rate and reads it back with the validation images', async () => {
    const client = clientFor();
    const jobId = (await client.listAllJobs()).find((job) => job.annotationId === emulator.jobs.classification.id)!.jobId;
    await client.saveValidation(jobId, 87.5);
    const data = await client.getValidation(jobId);
    expect(data.lastPassRate).toBe(87.5);
    expect(data.images.length).toBeGreaterThan(0);
    for (const image of data.images) expect(image.tags).toEqual(expectedTags(emulator, emulator.jobs.classification.id, image.imageId));
    await expect(client.getValidation('00000000-0000-0000-0000-000000000000')).rejects.toThrow(NotFoundError);
  });
});
