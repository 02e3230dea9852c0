import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOKEN, startEmulator, type DetectionEntry, type RunningEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanEnv, runCliProcess } from './support/run-cli.js';

// `modelarts-tags export` and `check` as users run them (node dist/cli.js), against an emulator on 127.0.0.1.

let emulator: RunningEmulator;
let dir: string;
let detectionIds: string[];

const env = () =>
  cleanEnv({ MODELARTS_ENDPOINT: emulator.url, MODELARTS_TOKEN: DEFAULT_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: emulator.projectId });
const cli = (args: string[], input?: string) => runCliProcess(args, { env: env(), cwd: dir, ...(input !== undefined ? { input } : {}) });

/** The boxes of an image as the emulator stores them (its wire format, not client code). */
function truth(imageId: string): { tag: string; pos: number[] }[] {
  const entry = emulator.groundTruth('287', imageId) as DetectionEntry;
  return (typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags) as { tag: string; pos: number[] }[];
}

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-export-'));
  detectionIds = emulator.jobs.detection.imageIds.slice(0, 40);
  writeFileSync(
    join(dir, 'names.csv'),
    ['image_id,file_name', ...detectionIds.map((id, i) => `${id},"s3://bucket/图片 ${i}, v2.jpg"`)].join('\n'),
  );
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('modelarts-tags export', () => {
  it('writes COCO with the file names of the mapping and every box of the job', async () => {
    const { code, stderr } = await cli(['export', '287', '--names', 'names.csv', '--format', 'coco', '--out', 'out/coco.json']);
    expect(stderr).toContain(`40 image(s)`);
    expect(code).toBe(0);
    const coco = JSON.parse(readFileSync(join(dir, 'out/coco.json'), 'utf8'));
    expect(coco.images).toHaveLength(40);
    const categories = new Map<number, string>(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name]));
    for (const [i, id] of detectionIds.entries()) {
      const image = coco.images.find((entry: { modelarts_image_id: string }) => entry.modelarts_image_id === id);
      expect(image.file_name).toBe(`图片 ${i}, v2.jpg`);
      const boxes = coco.annotations
        .filter((a: { image_id: number }) => a.image_id === image.id)
        .map((a: { category_id: number; bbox: number[] }) => ({
          tag: categories.get(a.category_id),
          pos: [a.bbox[0], a.bbox[1], a.bbox[0]! + a.bbox[2]!, a.bbox[1]! + a.bbox[3]!],
        }));
      const expected = truth(id).map(({ tag, pos }) => ({
        tag,
        pos: [Math.min(pos[0]!, pos[2]!), Math.min(pos[1]!, pos[3]!), Math.max(pos[0]!, pos[2]!), Math.max(pos[1]!, pos[3]!)],
      }));
      expect(boxes).toEqual(expected);
    }
  });

  it('writes YOLO to a folder with the class order of --classes, and to a ZIP', async () => {
    const classes = [...new Set(detectionIds.flatMap((id) => truth(id).map((box) => box.tag)))].reverse();
    writeFileSync(join(dir, 'classes.txt'), `${classes.join('\n')}\n`);
    const folder = await cli([
      'export',
      '287',
      ...detectionIds.slice(0, 10),
      '--format',
      'yolo',
      '--classes',
      'classes.txt',
      '--out',
      'yolo',
    ]);
    expect(folder.code).toBe(0);
    expect(readFileSync(join(dir, 'yolo/classes.txt'), 'utf8')).toBe(`${classes.join('\n')}\n`);
    expect(readdirSync(join(dir, 'yolo/labels'))).toHaveLength(10);
    const first = readFileSync(join(dir, 'yolo/labels', `${detectionIds[0]}.txt`), 'utf8')
      .trim()
      .split('\n');
    expect(first.map((line) => classes[Number(line.split(' ')[0])])).toEqual(truth(detectionIds[0]!).map((box) => box.tag));

    const zip = await cli(['export', '287', '--format', 'yolo', '--out', 'labels.zip', '--file', '-'], detectionIds.join('\n'));
    expect(zip.code).toBe(0);
    expect(zip.stderr).toMatch(/written as yolo to .*labels\.zip \(a ZIP of 42 files/);
    expect(readFileSync(join(dir, 'labels.zip')).subarray(0, 4).toString('hex')).toBe('504b0304');
  });

  it('refuses an existing output unless --overwrite is given', async () => {
    writeFileSync(join(dir, 'taken.csv'), 'keep');
    const refused = await cli(['export', '287', detectionIds[0]!, '--format', 'csv', '--out', 'taken.csv']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/taken\.csv exists; .* \(--overwrite\); nothing was written/);
    expect(readFileSync(join(dir, 'taken.csv'), 'utf8')).toBe('keep');
    const replaced = await cli([
      'export',
      '287',
      detectionIds[0]!,
      '--format',
      'csv',
      '--rows',
      'box',
      '--out',
      'taken.csv',
      '--overwrite',
    ]);
    expect(replaced.code).toBe(0);
    expect(readFileSync(join(dir, 'taken.csv'), 'utf8').split('\r\n')[0]).toBe('image_id,file_name,width,height,tag,xmin,ymin,xmax,ymax');
  });

  it('says which line of a malformed mapping is wrong, and refuses two images with one file name', async () => {
    writeFileSync(join(dir, 'bad.csv'), `image_id,file_name\n${detectionIds[0]},a.jpg,extra\n`);
    const bad = await cli(['export', '287', '--names', 'bad.csv', '--format', 'voc', '--out', 'bad-voc']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.csv, line 2: expected 2 columns (image_id,file_name), found 3');
    writeFileSync(join(dir, 'same.csv'), `${detectionIds[0]},photo.jpg\n${detectionIds[1]},Photo.png\n`);
    const same = await cli(['export', '287', '--names', 'same.csv', '--format', 'voc', '--out', 'same-voc']);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`images ${detectionIds[0]} and ${detectionIds[1]} would both be written as "Photo"`);
    expect(existsSync(join(dir, 'bad-voc')) || existsSync(join(dir, 'same-voc'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('refuses a detection format for a classification job', async () => {
    const ids = emulator.jobs.classification.imageIds.slice(0, 3);
    const { code, stderr } = await cli(['export', '282', ...ids, '--format', 'yolo', '--out', 'cls']);
    expect(code).toBe(1);
    expect(stderr).toContain('job 282 is an image classification job; yolo holds object detection boxes');
    const manifest = await cli(['export', '282', ...ids, '--format', 'manifest', '--out', 'cls.manifest']);
    expect(manifest.code).toBe(0);
    const lines = readFileSync(join(dir, 'cls.manifest'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(ids);
  });

  it('names a missing format or output and exits 1', async () => {
    expect((await cli(['export', '287', detectionIds[0]!, '--out', 'x'])).stderr).toContain('--format is required');
    expect((await cli(['export', '287', detectionIds[0]!, '--format', 'pdf', '--out', 'x'])).stderr).toContain(
      '--format must be one of coco, voc, yolo, manifest, csv, jsonl, not "pdf"',
    );
    expect((await cli(['export', '287', detectionIds[0]!, '--format', 'coco'])).code).toBe(1);
  });
});

describe('modelarts-tags check', () => {
  it('prints the QA summary and exits 3 when something is found', async () => {
    const tags = [...new Set(detectionIds.flatMap((id) => truth(id).map((box) => box.tag)))].sort();
    writeFileSync(join(dir, 'tag-list.txt'), tags.slice(1).join('\n'));
    const { code, stdout } = await cli(['check', '287', '--names', 'names.csv', '--tag-list', 'tag-list.txt']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/^Label QA: 40 image\(s\), \d+ box\(es\), \d+ finding\(s\)/);
    expect(stdout).toContain(`tags not in the job's tag list:`);
    expect(stdout).toContain(`tag "${tags[0]}" is not in the job's tag list`);
  });

  it('--json gives every finding with its image, and compares with --statistics', async () => {
    const counts = new Map<string, number>();
    for (const id of detectionIds) for (const tag of new Set(truth(id).map((box) => box.tag))) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const [first, ...rest] = [...counts];
    writeFileSync(
      join(dir, 'stats.json'),
      JSON.stringify({ tag_count: [[first![0], first![1] + 1], ...rest].map(([tag, count]) => ({ tag, count })) }),
    );
    const { code, stdout } = await cli(['check', '287', '--names', 'names.csv', '--statistics', 'stats.json', '--json']);
    const report = JSON.parse(stdout);
    expect(report.images).toBe(40);
    const mismatches = report.findings.filter((f: { kind: string }) => f.kind === 'tagCountMismatch');
    expect(mismatches).toEqual([expect.objectContaining({ tag: first![0], expected: first![1] + 1, actual: first![1] })]);
    const untagged = detectionIds.filter((id) => truth(id).length === 0);
    expect(
      report.findings.filter((f: { kind: string }) => f.kind === 'imageWithoutTags').map((f: { imageId: string }) => f.imageId),
    ).toEqual(untagged);
    expect(code).toBe(3);
  });
});
