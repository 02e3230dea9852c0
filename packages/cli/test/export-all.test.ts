import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobCli, type JobCli } from './support/job-cli.js';
import { assertBuilt } from './support/run-cli.js';

// `export --all` and `check --all` as users run them (node dist/cli.js): a whole job without any image ID.

let job: JobCli;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  job = await startJobCli({ imagesPerJob: 300 });
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-export-all-'));
});

afterAll(async () => {
  await job?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The job's tags as the emulator's tag list gives them: sorted names carried by at least one image. */
function tagList(jobId: string): string[] {
  const tags = new Set<string>();
  for (const id of job.emulator.imageIds(jobId)) {
    const entry = job.emulator.groundTruth(jobId, id)!;
    const list = (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as (string | { tag: string })[];
    for (const tag of list) tags.add(typeof tag === 'string' ? tag : tag.tag);
  }
  return [...tags].sort();
}

describe('export --all', () => {
  it("exports every image of the job as COCO, classes in the order of the job's tag list", async () => {
    const { code, stderr } = await job.cli(['export', '287', '--all', '--format', 'coco', '--out', 'coco.json'], { cwd: dir });
    expect(code, stderr).toBe(0);
    const coco = JSON.parse(readFileSync(join(dir, 'coco.json'), 'utf8')) as {
      images: { id: number }[];
      categories: { id: number; name: string }[];
    };
    expect(coco.images).toHaveLength(300);
    expect(coco.categories.sort((a, b) => a.id - b.id).map((category) => category.name)).toEqual(tagList('287'));
    expect(stderr).toContain(`classes in index order: ${tagList('287').join(', ')}`);
  });

  it('refuses image IDs together with --all', async () => {
    const { code, stderr } = await job.cli(['export', '287', '--all', 'abc', '--format', 'csv', '--out', 'x.csv'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('--all takes every image of the job');
  });
});

describe('check --all', () => {
  it("compares the images found with the job's own statistics, per tag", async () => {
    const { code, stdout } = await job.cli(['check', '287', '--all', '--json', '-q']);
    const report = JSON.parse(stdout) as { images: number; counts: Record<string, number> };
    const untagged = job.emulator
      .imageIds('287')
      .filter((id) => (job.emulator.groundTruth('287', id)!.tags as unknown[]).length === 0).length;
    expect(report.images).toBe(300);
    // The counts per tag agree with the statistics; the untagged images are the findings.
    expect(report.counts).toMatchObject({ tagCountMismatch: 0, tagNotInTagList: 0, imageWithoutTags: untagged });
    expect(code).toBe(untagged > 0 ? 3 : 0);
  });

  it('reports a tag whose count differs from the statistics given', async () => {
    // The job's true counts, with the first tag's off by one.
    const counts = tagList('282').map((tag, index) => {
      const images = job.emulator.imageIds('282').filter((id) => (job.emulator.groundTruth('282', id)!.tags as string[]).includes(tag));
      return { tag, count: images.length + (index === 0 ? 1 : 0) };
    });
    writeFileSync(join(dir, 'stats.json'), JSON.stringify({ tag_count: counts }));
    const { code, stdout } = await job.cli(['check', '282', '--all', '--statistics', 'stats.json', '--json', '-q'], { cwd: dir });
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as { counts: Record<string, number> };
    expect(report.counts.tagCountMismatch).toBe(1);
  });
});
