import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectionEntry } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/cli/csv.js';
import { ndjson, startJobCli, type JobCli } from './support/job-cli.js';
import { assertBuilt, cleanEnv, runCliProcess } from './support/run-cli.js';

// `set`, `delete` and `sync` as users run them (node dist/cli.js), against an emulator on 127.0.0.1.

let job: JobCli;
let dir: string;
const UNKNOWN_ID = '00000000000000000000000000000000';

beforeAll(async () => {
  assertBuilt();
  job = await startJobCli({ imagesPerJob: 300 });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-writes-'));
});

beforeEach(() => job.emulator.reset());

afterAll(async () => {
  await job?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
  return path;
}

const ids = (jobId: string) => job.emulator.imageIds(jobId);

describe('modelarts-tags set', () => {
  it('writes classification and detection tags, which the job then returns', async () => {
    const [a, b] = ids('282');
    const classes = await job.cli([
      'set',
      '282',
      '--file',
      file('c.jsonl', [
        { image_id: a, tags: ['rose'] },
        { imageId: b, tags: [] },
      ]),
    ]);
    expect(classes.code, classes.stderr).toBe(0);
    expect(classes.stderr).toContain('job 282: the tags of 2 of 2 image(s) written, 0 failed');
    expect(job.emulator.groundTruth('282', a!)!.tags).toEqual(['rose']);
    expect(job.emulator.groundTruth('282', b!)!.tags).toEqual([]);

    const [c, d] = ids('287');
    const lines = [
      { image_id: c, tags: [{ tag: 'car', pos: [1, 2, 30, 40] }] },
      { image_id: d, tags: [{ tag: 'dog', box: { xmin: 0, ymin: 0, xmax: 5, ymax: 6 } }] },
    ];
    const boxes = await job.cli(['set', '287', '--file', '-'], { input: lines.map((line) => JSON.stringify(line)).join('\n') });
    expect(boxes.code, boxes.stderr).toBe(0);
    expect((job.emulator.groundTruth('287', c!) as DetectionEntry).tags).toEqual([{ tag: 'car', pos: [1, 2, 30, 40] }]);
    expect((job.emulator.groundTruth('287', d!) as DetectionEntry).tags).toEqual([{ tag: 'dog', pos: [0, 0, 5, 6] }]);
  });

  it('takes back what get printed, unchanged', async () => {
    const sample = ids('287').slice(0, 20);
    const before = sample.map((id) => job.emulator.groundTruth('287', id));
    const printed = await job.cli(['get', '287', ...sample]);
    const { code, stderr } = await job.cli(['set', '287', '--file', '-'], { input: printed.stdout });
    expect(code, stderr).toBe(0);
    expect(sample.map((id) => job.emulator.groundTruth('287', id))).toEqual(before);
  });

  it('names every malformed line with its number and writes nothing', async () => {
    const [a] = ids('287');
    const path = file('bad.jsonl', [
      { image_id: a, tags: [{ tag: 'car', pos: [1, 2, 30, 40] }] },
      '',
      'not json',
      { image_id: a, tags: 'car' },
      { image_id: a, tags: [{ tag: 'car', pos: [1, 2, 3] }] },
      { tags: [] },
      { image_id: a, tags: [], note: 'x' },
    ]);
    job.emulator.resetStats();
    const { code, stderr } = await job.cli(['set', '287', '--file', path]);
    expect(code).toBe(1);
    expect(stderr).toContain(`5 line(s) of ${path} cannot be written; nothing was sent`);
    for (const line of [3, 4, 5, 6, 7]) expect(stderr).toContain(`${path}:${line}: `);
    expect(stderr).toContain(`${path}:5: tags[0].pos must be [xmin, ymin, xmax, ymax]`);
    expect(job.emulator.stats.requests).toBe(0);
  });

  it('refuses boxes that are inverted or outside the image, with their line, and writes nothing', async () => {
    const [a, b] = ids('287');
    const width = (job.emulator.groundTruth('287', b!) as DetectionEntry).size![0]!;
    for (const [tags, message] of [
      [[{ tag: 'car', pos: [10, 2, 3, 40] }], 'tags[0].box needs xmin < xmax'],
      [[{ tag: 'car', pos: [1, 2, width + 1, 40] }], `tags[0].box (1,2)-(${width + 1},40) is outside the image size`],
    ] as const) {
      const path = file('boxes.jsonl', [
        { image_id: a, tags: [] },
        { image_id: b, tags },
      ]);
      job.emulator.resetStats();
      const { code, stderr } = await job.cli(['set', '287', '--file', path]);
      expect(code).toBe(1);
      expect(stderr).toContain(`${path}:2: ${message}`);
      expect(job.emulator.stats.operations.updateImageTags ?? 0).toBe(0);
    }
  });

  it('refuses a malformed box before the embedded emulator starts', async () => {
    const [a, b] = ids('287');
    for (const [lines, message] of [
      [
        [
          { image_id: a, tags: [] },
          { image_id: b, tags: [{ tag: 'car', pos: [1, 9, 30, 2] }] },
        ],
        ':2: tags[0].box needs ymin < ymax',
      ],
      [
        [{ image_id: a, tags: [{ tag: 'car', pos: [0, 0, 9, 9] }], size: [8, 8] }],
        ':1: tags[0].box (0,0)-(9,9) is outside the image size 8x8',
      ],
      [
        [
          { image_id: a, tags: [] },
          { image_id: ` ${a}`, tags: [] },
        ],
        `:2: imageId ${a} is given twice`,
      ],
    ] as const) {
      const path = file('early.jsonl', lines);
      const { code, stderr } = await runCliProcess(['set', '287', '--file', path], { env: cleanEnv() });
      expect(code).toBe(1);
      expect(stderr).toContain(`${path}${message}`);
      expect(stderr).toContain('nothing was written');
      expect(stderr).not.toContain('embedded emulator');
    }
  });

  it('refuses image IDs the job does not hold, and tags of the other job type, before writing', async () => {
    const [a] = ids('287');
    const unknown = file('unknown.jsonl', [
      { image_id: a, tags: [] },
      { image_id: UNKNOWN_ID, tags: [] },
    ]);
    const missing = await job.cli(['set', '287', '--file', unknown]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`1 image(s) are not in job 287; nothing was written:\n${unknown}:2: ${UNKNOWN_ID}`);
    const names = await job.cli(['set', '287', '--file', file('names.jsonl', [{ image_id: a, tags: ['car'] }])]);
    expect(names.code).toBe(1);
    expect(names.stderr).toContain('job 287 is a detection job, so its tags are boxes');
    expect(job.emulator.stats.operations.updateImageTags ?? 0).toBe(0);
  });

  it('exits 2 and lists the images of a refused batch in --failed-out, the other batches written', async () => {
    // The service takes at most 3 images per write here: the batch of 4 is refused, the batch of 3 written.
    const limited = await startJobCli({ imagesPerJob: 50, faults: { maxBatchSize: 3 } });
    try {
      const sample = limited.emulator.imageIds('282').slice(0, 7);
      const failedOut = join(dir, 'set-failed.csv');
      const input = sample.map((id) => JSON.stringify({ image_id: id, tags: ['rose'] })).join('\n');
      const { code, stderr } = await limited.cli(['set', '282', '--file', '-', '--batch-size', '4', '--failed-out', failedOut], { input });
      expect(code, stderr).toBe(2);
      expect(stderr).toContain('job 282: the tags of 3 of 7 image(s) written, 4 failed');
      const failed = parseCsv(readFileSync(failedOut, 'utf8'))
        .slice(1)
        .map((row) => row.cells[0]);
      expect(failed).toEqual(sample.slice(0, 4));
      for (const id of sample.slice(4)) expect(limited.emulator.groundTruth('282', id)!.tags).toEqual(['rose']);
      for (const id of sample.slice(0, 4)) expect(limited.emulator.groundTruth('282', id)!.tags).not.toEqual(['rose']);
    } finally {
      await limited.close();
    }
  });

  it('says that the embedded emulator only changes in memory', async () => {
    const { code, stderr } = await runCliProcess(['set', '282', '--file', '-'], {
      env: cleanEnv(),
      input: JSON.stringify({ image_id: ids('282')[0], tags: ['x'] }),
    });
    expect(code).toBe(0);
    expect(stderr).toContain("writing tags changes only this emulator's memory, which is gone when the command ends");
  });
});

describe('modelarts-tags delete', () => {
  it('deletes nothing without --yes, then deletes the images with it', async () => {
    const gone = ids('282').slice(0, 3);
    const asked = await job.cli(['delete', '282', ...gone]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('this would delete 3 image(s) of job 282 and their tags for good; add --yes');
    expect(job.emulator.stats.operations.deleteImages ?? 0).toBe(0);

    const failedOut = join(dir, 'delete-failed.csv');
    const { code, stderr } = await job.cli(['delete', '282', '--file', '-', '--yes', '--failed-out', failedOut], {
      input: gone.join('\n'),
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('job 282: 3 of 3 image(s) deleted, 0 failed');
    for (const id of gone) expect(job.emulator.groundTruth('282', id)).toBeUndefined();
    expect(parseCsv(readFileSync(failedOut, 'utf8'))).toHaveLength(1);
    const listed = ndjson((await job.cli(['images', '282'])).stdout).map((line) => line.imageId);
    expect(listed).not.toContain(gone[0]);
  });
});

describe('modelarts-tags sync', () => {
  it('--wait prints each status change and the images the sync added', async () => {
    job.emulator.setObsSync({ durationMs: 300, addImages: 7, outcome: 'done' });
    const { code, stdout, stderr } = await job.cli(['sync', '287', '--wait']);
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/job 287: running \(sync_status 3\) \(sync started\)$/);
    expect(lines.at(-1)).toMatch(/job 287: done \(sync_status 1\)$/);
    expect(stderr).toContain('job 287 has 307 image(s), 7 more than before the sync');
    expect(job.emulator.imageIds('287')).toHaveLength(307);
  });

  it('exits 2 when the sync fails', async () => {
    job.emulator.setObsSync({ durationMs: 0, outcome: 'failed' });
    const { code, stdout, stderr } = await job.cli(['sync', '287', '--wait']);
    expect(code).toBe(2);
    expect(stdout).toMatch(/failed \(sync_status 2\)/);
    expect(stderr).toContain('the OBS sync of job 287 failed');
  });

  it('exits 3 when the sync is still running at --timeout, and --status reads it', async () => {
    job.emulator.setObsSync({ outcome: 'hang' });
    const { code, stderr } = await job.cli(['sync', '287', '--wait', '--timeout', '1']);
    expect(code).toBe(3);
    expect(stderr).toContain('the OBS sync of job 287 is still running after 1 s; it goes on in the service');
    const status = await job.cli(['sync', '287', '--status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/running \(sync_status 3\)\n$/);
  });

  it('exits 1 for an unknown job', async () => {
    const { code, stderr } = await job.cli(['sync', '999', '--wait']);
    expect(code).toBe(1);
    expect(stderr).toContain('HTTP 404');
  });
});
