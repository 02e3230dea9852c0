import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/cli/csv.js';
import { expectedImage, ndjson, startJobCli, withoutExtra, type JobCli } from './support/job-cli.js';
import { assertBuilt, CLI_PATH, run } from './support/run-cli.js';

// `get <job> --all` as users run it (node dist/cli.js): every image of a job, against an emulator on 127.0.0.1.

let job: JobCli;
let faulty: JobCli;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  job = await startJobCli({ imagesPerJob: 1200 });
  // Every kind of transient fault on a fifth of the requests of job 287, listing and tags/show alike.
  faulty = await startJobCli({
    imagesPerJob: 600,
    faults: {
      seed: 5,
      jobs: {
        '301': { rate: 1, kinds: ['503'] },
        '287': { rate: 0.2, kinds: ['429', '500', '503', 'reset', 'truncated', 'html502', 'unsuccessful'] },
      },
      retryAfterSeconds: 0,
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-all-'));
});

afterAll(async () => {
  await job?.close();
  await faulty?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every image of the job as the emulator holds it, by ID. */
function truth(cli: JobCli, jobId: string): Map<string, Record<string, unknown>> {
  return new Map(cli.emulator.imageIds(jobId).map((id) => [id, expectedImage(cli.emulator, jobId, id)]));
}

function byId(lines: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const map = new Map(lines.map((line) => [line.imageId as string, withoutExtra(line)]));
  expect(map.size, 'every image exactly once').toBe(lines.length);
  return map;
}

describe('get --all', () => {
  it('prints every image of a detection job, tagged and untagged, equal to what the emulator holds', async () => {
    const { code, stdout, stderr } = await job.cli(['get', '287', '--all', '--per-page', '100', '--batch-size', '50']);
    expect(code).toBe(0);
    expect(byId(ndjson(stdout))).toEqual(truth(job, '287'));
    expect(stderr).toMatch(/job 287 \(detection\): 1,200 image\(s\) written, 0 missing, 0 failed/);
  });

  it('does the same for a classification job and for tags sent as a JSON string (job 288)', async () => {
    for (const jobId of ['282', '288']) {
      const { code, stdout } = await job.cli(['get', jobId, '--all', '--quiet']);
      expect(code, jobId).toBe(0);
      expect(byId(ndjson(stdout))).toEqual(truth(job, jobId));
    }
  });

  it('loses and repeats nothing while the emulator injects faults into listing and fetching', async () => {
    faulty.emulator.resetStats();
    const failedOut = join(dir, 'failed.csv');
    const { code, stdout } = await faulty.cli(['get', '287', '--all', '--per-page', '50', '--batch-size', '40', '--failed-out', failedOut]);
    const images = byId(ndjson(stdout));
    const failed = parseCsv(readFileSync(failedOut, 'utf8'))
      .slice(1)
      .map((row) => row.cells[0]!);
    // Each image is either printed, equal to the emulator's, or listed as failed (retries ran out): never both, never twice.
    expect(code).toBe(failed.length > 0 ? 2 : 0);
    expect(new Set([...images.keys(), ...failed]).size).toBe(images.size + failed.length);
    expect([...images.keys(), ...failed].sort()).toEqual(faulty.emulator.imageIds('287').slice().sort());
    for (const [id, image] of images) expect(image).toEqual(expectedImage(faulty.emulator, '287', id));
    expect(Object.values(faulty.emulator.stats.faults).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });

  it('exits 1 with the error when the listing fails before any image, for get --all and images alike', async () => {
    for (const args of [
      ['get', '301', '--all'],
      ['images', '301'],
    ]) {
      const { code, stdout, stderr } = await faulty.cli(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stdout, args.join(' ')).toBe('');
      expect(stderr, args.join(' ')).toMatch(/HTTP 503, ModelArts\.6103[^\n]*request ID [0-9a-f]{32}/);
      expect(stderr, args.join(' ')).toContain(`requests went to ${faulty.emulator.url}`);
    }
  });

  it('--tag and --untagged fetch one part of the job', async () => {
    const cars = byId(ndjson((await job.cli(['get', '287', '--all', '--tag', 'car', '-q'])).stdout));
    const expected = [...truth(job, '287')].filter(([, image]) => (image.tags as { tag: string }[]).some((box) => box.tag === 'car'));
    expect(cars).toEqual(new Map(expected));
    const untagged = byId(ndjson((await job.cli(['get', '282', '--all', '--untagged', '-q'])).stdout));
    expect(untagged.size).toBe(0);
  });

  it('writes one JSON document and CSV with one row per box', async () => {
    const json = await job.cli(['get', '287', '--all', '--format', 'json', '-q']);
    const document = JSON.parse(json.stdout) as {
      annotationId: string;
      jobType: string;
      images: unknown[];
      missing: string[];
      requestIds: string[];
    };
    expect(document).toMatchObject({ annotationId: '287', jobType: 'detection', missing: [] });
    expect(document.images).toHaveLength(1200);
    expect(document.requestIds.length).toBeGreaterThan(0);

    const csv = await job.cli(['get', '287', '--all', '--format', 'csv', '-q']);
    const [header, ...rows] = parseCsv(csv.stdout).map((row) => row.cells);
    expect(header).toEqual(['image_id', 'tag', 'xmin', 'ymin', 'xmax', 'ymax', 'width', 'height']);
    const boxes = [...truth(job, '287').values()].reduce((sum, image) => sum + Math.max(1, (image.tags as unknown[]).length), 0);
    expect(rows).toHaveLength(boxes);
  });

  it('writes a table whose batches line up under one header', async () => {
    const { stdout } = await job.cli(['get', '287', '--all', '--format', 'table', '-q', '--batch-size', '30']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('IMAGE ID'))).toHaveLength(1);
    const sizeColumn = lines[0]!.indexOf('SIZE');
    const boxColumn = lines[0]!.indexOf('BOXES');
    for (const line of lines.slice(1)) {
      if (/^[0-9a-f]{32}/.test(line)) expect(line.slice(sizeColumn - 2, sizeColumn)).toBe('  ');
      if (/^[0-9a-f]{32}/.test(line) && line.length > boxColumn) expect(line[boxColumn - 1]).toBe(' ');
    }
  });

  // `script` (util-linux, in every Debian) gives the command a terminal, as a person has one.
  it.runIf(existsSync('/usr/bin/script'))('shows the progress bar on a terminal, up to every image of the job', async () => {
    const command = `"${process.execPath}" "${CLI_PATH}" get 287 --all --batch-size 20 --concurrency 1 --format csv > /dev/null`;
    const { code, stdout } = await run('/usr/bin/script', ['-qfec', command, '/dev/null'], { env: job.env() });
    expect(code).toBe(0);
    const frames = stdout.split('\r').filter((frame) => frame.includes('img/s'));
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.at(-1)).toMatch(/\[█+\] 1,200\/1,200 +100%/);
  });

  it('--report writes the HTML report of the whole job', async () => {
    const report = join(dir, 'job-287.html');
    const { code, stderr } = await job.cli(['get', '287', '--all', '--report', report, '--format', 'csv']);
    expect(code).toBe(0);
    expect(stderr).toContain(`report written to ${report}`);
    const html = readFileSync(report, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as {
      jobs: { annotationId: string; images: [string][] }[];
    };
    expect(data.jobs[0]!.annotationId).toBe('287');
    expect(new Set(data.jobs[0]!.images.map((image) => image[0]))).toEqual(new Set(job.emulator.imageIds('287')));
  });

  it('exits 1 for an unknown job or tag, and refuses IDs with --all', async () => {
    const unknown = await job.cli(['get', '999', '--all']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('HTTP 404');
    const tag = await job.cli(['get', '287', '--all', '--tag', 'unicorn']);
    expect(tag.code).toBe(1);
    expect(tag.stderr).toContain('job 287 has no tag "unicorn"');
    const ids = await job.cli(['get', '287', '--all', job.emulator.imageIds('287')[0]!]);
    expect(ids.code).toBe(1);
    expect(ids.stderr).toContain('--all lists the images of the job itself');
  });
});
