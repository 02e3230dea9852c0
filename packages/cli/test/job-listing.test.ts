import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/cli/csv.js';
import { startJobCli, ndjson, type JobCli } from './support/job-cli.js';
import { assertBuilt } from './support/run-cli.js';

// `jobs`, `images` and `stats` as users run them (node dist/cli.js), against an emulator on 127.0.0.1.

let job: JobCli;

beforeAll(async () => {
  assertBuilt();
  job = await startJobCli({ imagesPerJob: 400 });
});

afterAll(async () => {
  await job?.close();
});

/** The IDs the emulator holds for a selection, from its own state (not through the client). */
function truthIds(jobId: string, select: (tags: unknown) => boolean): string[] {
  return job.emulator.imageIds(jobId).filter((id) => {
    const entry = job.emulator.groundTruth(jobId, id)!;
    return select(typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags);
  });
}
const tagNames = (tags: unknown) => (tags as (string | { tag: string })[]).map((tag) => (typeof tag === 'string' ? tag : tag.tag));

describe('modelarts-tags jobs', () => {
  it('lists every job of the job list in each format', async () => {
    const entries = job.emulator.jobList();
    const lines = ndjson((await job.cli(['jobs'])).stdout);
    expect(lines.map((line) => line.annotationId).sort()).toEqual(entries.map((entry) => String(entry.dls_prj_id)).sort());
    const json = JSON.parse((await job.cli(['jobs', '--format', 'json'])).stdout) as { jobs: { annotationId: string; counts: unknown }[] };
    expect(json.jobs).toHaveLength(entries.length);
    const detection = json.jobs.find((entry) => entry.annotationId === '287')!;
    expect(detection.counts).toMatchObject({ total: 400 });

    const [header, ...rows] = parseCsv((await job.cli(['jobs', '--format', 'csv'])).stdout).map((row) => row.cells);
    expect(header!.slice(0, 4)).toEqual(['annotation_id', 'job_id', 'name', 'type']);
    expect(rows).toHaveLength(entries.length);

    const table = await job.cli(['jobs', '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ANNOTATION ID\s+TYPE\s+PROGRESS/);
    for (const entry of entries) expect(table.stdout).toContain(entry.name);
  });

  it('--search, --sort and --order pick and order the jobs', async () => {
    const found = ndjson((await job.cli(['jobs', '--search', 'STREET'])).stdout);
    expect(found.map((line) => line.name)).toEqual(['street-objects']);
    const byName = ndjson((await job.cli(['jobs', '--sort', 'name', '--order', 'desc'])).stdout).map((line) => line.name as string);
    expect(byName).toEqual([...byName].sort().reverse());
    const none = await job.cli(['jobs', '--search', 'no such job', '--format', 'table']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no annotation job has a name containing "no such job"');
  });

  it('refuses a bad --sort or --order before connecting', async () => {
    for (const args of [
      ['jobs', '--sort', 'size'],
      ['jobs', '--order', 'up'],
      ['jobs', 'extra'],
    ]) {
      const { code, stderr } = await job.cli(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr).toMatch(/\nRun "modelarts-tags jobs --help" for the options\.\n$/);
    }
  });
});

describe('modelarts-tags images', () => {
  it('lists every tagged image, the untagged ones, and those of one tag, each once', async () => {
    const tagged = ndjson((await job.cli(['images', '287', '--per-page', '7'])).stdout).map((line) => line.imageId);
    expect(tagged.sort()).toEqual(truthIds('287', (tags) => tagNames(tags).length > 0).sort());
    const untagged = await job.cli(['images', '287', '--untagged', '--format', 'csv']);
    expect(untagged.code).toBe(0);
    const [header, ...rows] = parseCsv(untagged.stdout).map((row) => row.cells);
    expect(header).toEqual(['image_id', 'url']);
    expect(rows.map((row) => row[0]).sort()).toEqual(truthIds('287', (tags) => tagNames(tags).length === 0).sort());
    const cars = ndjson((await job.cli(['images', '287', '--tag', 'car'])).stdout).map((line) => line.imageId);
    expect(cars.sort()).toEqual(truthIds('287', (tags) => tagNames(tags).includes('car')).sort());
  });

  it('writes one JSON document as the pages come', async () => {
    const { code, stdout, stderr } = await job.cli(['images', '282', '--format', 'json', '--per-page', '50']);
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as { annotationId: string; images: { imageId: string; tags: string[] }[]; count: number };
    expect(document.annotationId).toBe('282');
    expect(document.count).toBe(400);
    expect(document.images[0]!.tags).toEqual(job.emulator.groundTruth('282', document.images[0]!.imageId)!.tags);
    expect(stderr).toContain('400 image(s) of job 282 listed');
  });

  it("names the job's tags for an unknown tag, and the jobs for an unknown job", async () => {
    const tag = await job.cli(['images', '287', '--tag', 'unicorn']);
    expect(tag.code).toBe(1);
    expect(tag.stdout).toBe('');
    expect(tag.stderr).toContain('job 287 has no tag "unicorn"; its tags: ');
    expect(tag.stderr).toContain('car');
    const unknown = await job.cli(['images', '999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HTTP 404');
    expect(unknown.stderr).toContain(`requests went to ${job.emulator.url}`);
  });

  it('refuses --per-page outside 1..100, both selections, or a bad job ID before any request', async () => {
    job.emulator.resetStats();
    for (const args of [
      ['images', '287', '--per-page', '0'],
      ['images', '287', '--per-page', '101'],
      ['images', '287', '--tag', 'car', '--untagged'],
      ['images', '28 7'],
      ['images'],
    ]) {
      const { code, stderr } = await job.cli(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stderr, args.join(' ')).toMatch(/^modelarts-tags: /);
    }
    expect(job.emulator.stats.requests).toBe(0);
  });
});

describe('modelarts-tags stats', () => {
  it("prints the tag list with images per tag and the job's progress", async () => {
    const counts = new Map<string, number>();
    for (const id of job.emulator.imageIds('287')) {
      const entry = job.emulator.groundTruth('287', id)!;
      for (const tag of new Set(tagNames(typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags)))
        counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    const lines = ndjson((await job.cli(['stats', '287'])).stdout);
    expect(new Map(lines.map((line) => [line.tag as string, line.images as number]))).toEqual(counts);

    const json = JSON.parse((await job.cli(['stats', '287', '--format', 'json'])).stdout) as {
      tagged: number;
      untagged: number;
      job: { name: string };
    };
    const untagged = truthIds('287', (tags) => tagNames(tags).length === 0).length;
    expect(json).toMatchObject({ tagged: 400 - untagged, untagged, job: { name: 'street-objects' } });

    const table = await job.cli(['stats', '287', '--format', 'table']);
    expect(table.stdout).toMatch(/^job 287 "street-objects" \(detection\), [\d.]+% tagged; /);
    expect(table.stdout).toMatch(/\nTAG\s+IMAGES\s+SHARE\n/);
  });

  it('exits 1 for an unknown job', async () => {
    const { code, stdout, stderr } = await job.cli(['stats', '4242']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('HTTP 404');
  });
});
