import { DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID, DEFAULT_TOKEN, type RunningEmulator, startEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ListedImage, ModelArtsClient, type ModelArtsClientOptions, NotFoundError } from '../src/index.js';
import { expectedTags } from './support/ground-truth.js';
import { collect } from './support/test-client.js';

/* The read side of the annotation-job methods against the emulator over 127.0.0.1, compared with its state. */

const IMAGES = 600;
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ imagesPerJob: IMAGES });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const clientFor = (options: Partial<ModelArtsClientOptions> = {}) =>
  new ModelArtsClient({ endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, auth: { token: DEFAULT_TOKEN }, ...options });

const isTagged = (jobId: string, imageId: string): boolean => expectedTags(emulator, jobId, imageId).tags.length > 0;

describe('listJobs', () => {
  it('lists the seeded jobs, normalised, across pages, signed with AK/SK (query strings included)', async () => {
    const jobs = await clientFor({ auth: { ...DEFAULT_CREDENTIALS } }).listAllJobs({ perPage: 2, sortBy: 'name', order: 'asc' });
    const wire = emulator.jobList();
    expect(jobs.map((job) => job.annotationId).sort()).toEqual(wire.map((job) => String(job.dls_prj_id)).sort());
    expect(jobs.map((job) => job.name)).toEqual([...jobs.map((job) => job.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const detection = jobs.find((job) => job.annotationId === emulator.jobs.detection.id)!;
    expect(detection).toMatchObject({ jobId: '0d2f4a6e-1b3c-4e5f-8a9b-7c6d5e4f3a21', type: 'detection', name: 'street-objects' });
    expect(detection.counts!.total).toBe(IMAGES);
    expect(detection.counts!.tagged! + detection.counts!.untagged!).toBe(IMAGES);
    expect(typeof detection.progress).toBe('number');
  });

  it('finds a job by part of its name', async () => {
    const jobs = await clientFor().listAllJobs({ search: 'STREET' });
    expect(jobs.map((job) => job.annotationId)).toEqual([emulator.jobs.detection.id]);
  });
});

describe('listImages', () => {
  const job = '301'; // about 60% untagged

  it('tagged plus untagged is every image of the job, each once, and matches the statistics', async () => {
    const client = clientFor();
    const tagged = await collect(client.listImages({ annotationId: job }, { perPage: 37 }));
    const untagged = await collect(client.listImages({ annotationId: job, untagged: true }, { perPage: 100 }));
    const ids = [...tagged, ...untagged].map((image) => image.imageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...emulator.imageIds(job)].sort());
    expect(tagged.every((image) => isTagged(job, image.imageId))).toBe(true);
    expect(untagged.some((image) => isTagged(job, image.imageId))).toBe(false);
    const statistics = await client.getTagStatistics(job);
    expect([statistics.tagged, statistics.untagged]).toEqual([tagged.length, untagged.length]);
  });

  it('lists the images of one tag, with the tags the listing carries', async () => {
    const client = clientFor();
    const detection = emulator.jobs.detection.id;
    const [tag] = await client.getTagList(detection);
    const images: ListedImage[] = await collect(client.listImages({ annotationId: detection, tag: tag! }));
    const statistics = await client.getTagStatistics(detection);
    expect(images).toHaveLength(statistics.tags.find((entry) => entry.tag === tag)!.count);
    for (const image of images) {
      expect(image.tags).toEqual(expectedTags(emulator, detection, image.imageId));
      expect(image.url).toMatch(/^obs:\/\//);
    }
  });

  it('a tag no image carries lists nothing; an unknown job is a NotFoundError', async () => {
    expect(await collect(clientFor().listImages({ annotationId: job, tag: 'no-such-tag' }))).toEqual([]);
    await expect(collect(clientFor().listImages({ annotationId: '999' }))).rejects.toThrow(NotFoundError);
  });
});

describe('getAllImageTags', () => {
  for (const job of ['282', '287', '288']) {
    it(`job ${job}: every tagged image once, equal to the ground truth`, async () => {
      const progress: number[] = [];
      const result = await clientFor().getAllImageTags(job, { batchSize: 50, concurrency: 3, onProgress: (p) => progress.push(p.done) });
      const tagged = emulator.imageIds(job).filter((id) => isTagged(job, id));
      expect(result.images.map((image) => image.imageId).sort()).toEqual([...tagged].sort());
      for (const image of result.images) expect(image).toEqual(expectedTags(emulator, job, image.imageId));
      expect(result.missing).toEqual([]);
      expect(progress.at(-1)).toBe(tagged.length);
    });
  }

  it('streams the untagged images of a job as batches', async () => {
    let count = 0;
    for await (const batch of clientFor().iterateAllImageTags('301', { untagged: true })) {
      count += batch.images.length;
      expect(batch.images.every((image) => image.tags.length === 0)).toBe(true);
    }
    expect(count).toBe(emulator.imageIds('301').filter((id) => !isTagged('301', id)).length);
  });

  it('loses and repeats nothing under injected faults on listing and tags/show', async () => {
    const faulty = await startEmulator({
      imagesPerJob: IMAGES,
      faults: { rate: 0.25, kinds: ['429', '500', '503', 'reset', 'truncated', 'html502', 'unsuccessful'], retryAfterSeconds: 0 },
    });
    try {
      const client = new ModelArtsClient({
        endpoint: faulty.url,
        projectId: DEFAULT_PROJECT_ID,
        auth: { token: DEFAULT_TOKEN },
        maxRetries: 8,
      });
      const result = await client.getAllImageTags('287', { batchSize: 40, perPage: 30 });
      const tagged = faulty.imageIds('287').filter((id) => expectedTags(faulty, '287', id).tags.length > 0);
      expect(result.images.map((image) => image.imageId).sort()).toEqual([...tagged].sort());
      expect(Object.values(faulty.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await faulty.close();
    }
  });
});

describe('one-request reads', () => {
  it('getImageTag equals the ground truth for both job types and string-encoded boxes', async () => {
    const client = clientFor();
    for (const job of ['282', '287', '288']) {
      const id = emulator.imageIds(job)[7]!;
      expect(await client.getImageTag(job, id)).toEqual(expectedTags(emulator, job, id));
    }
    await expect(client.getImageTag('282', 'f'.repeat(32))).rejects.toThrow(NotFoundError);
  });

  it('getTagList is every tag an image carries; getObsSyncStatus starts at not-started', async () => {
    const client = clientFor();
    const job = emulator.jobs.classification.id;
    const carried = new Set(emulator.imageIds(job).flatMap((id) => expectedTags(emulator, job, id).tags as string[]));
    expect((await client.getTagList(job)).sort()).toEqual([...carried].sort());
    expect(await client.getObsSyncStatus(job)).toMatchObject({ state: 'not-started', code: 0 });
  });
});
