import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportLabels, OutputError, writeExport } from '../src/index.js';
import type { ImageTags } from '../src/index.js';
import { detection, detectionJob } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'formats-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeExport', () => {
  it('writes a single-file format to the file, a multi-file format to a folder', async () => {
    const coco = await writeExport(exportLabels(detectionJob(), { format: 'coco' }), join(dir, 'out', 'coco.json'));
    expect(coco).toMatchObject({ kind: 'file', files: 1 });
    expect(JSON.parse(await readFile(join(dir, 'out', 'coco.json'), 'utf8')).images).toHaveLength(4);
    const yolo = await writeExport(exportLabels(detectionJob(), { format: 'yolo' }), join(dir, 'yolo'));
    expect(yolo).toMatchObject({ kind: 'folder', files: 6 });
    expect((await readdir(join(dir, 'yolo'))).sort()).toEqual(['classes.txt', 'data.yaml', 'labels']);
    expect(await readFile(join(dir, 'yolo', 'labels', 'id-3.txt'), 'utf8')).toBe('');
    expect(await readdir(dir)).toEqual(expect.not.arrayContaining([expect.stringContaining('.partial')]));
  });

  it('refuses an existing output unless overwriting is allowed, then replaces it whole', async () => {
    const file = join(dir, 'tags.csv');
    await writeFile(file, 'old');
    await expect(writeExport(exportLabels(detectionJob(), { format: 'csv' }), file)).rejects.toThrow(
      new OutputError(`${file} exists; choose another output or allow overwriting`, 'exists'),
    );
    expect(await readFile(file, 'utf8')).toBe('old');
    await writeExport(exportLabels(detectionJob(), { format: 'csv' }), file, { overwrite: true });
    expect(await readFile(file, 'utf8')).toMatch(/^image_id,/);

    const folder = join(dir, 'voc');
    await mkdir(folder);
    await writeFile(join(folder, 'keep.txt'), 'x');
    await expect(writeExport(exportLabels(detectionJob(), { format: 'voc' }), folder)).rejects.toThrow(/is a folder that is not empty/);
    await writeExport(exportLabels(detectionJob(), { format: 'voc' }), folder, { overwrite: true });
    expect(await readdir(folder)).toEqual(['Annotations']);
    expect(await readdir(dir)).toEqual(['tags.csv', 'voc']);
  });

  it('says what is wrong with an output it cannot write', async () => {
    await writeFile(join(dir, 'a-file'), '');
    await expect(writeExport(exportLabels(detectionJob(), { format: 'coco' }), join(dir, 'a-file', 'coco.json'))).rejects.toThrow(
      /cannot write .*a-file.*: a part of the path is a file, not a folder/,
    );
    await mkdir(join(dir, 'x.zip'));
    await expect(writeExport(exportLabels(detectionJob(), { format: 'yolo' }), join(dir, 'x.zip'))).rejects.toThrow(
      /is a folder; give a file name ending in .zip/,
    );
    await expect(writeExport(exportLabels(detectionJob(), { format: 'manifest' }), join(dir, 'one.manifest'))).rejects.toThrow(
      /holds several files .* give a folder or a .zip/,
    );
    expect((await readdir(dir)).sort()).toEqual(['a-file', 'x.zip']);
  });

  it.each(['coco.json', 'yolo-folder', 'voc.zip'])('leaves nothing behind when the export fails half way (%s)', async (name) => {
    async function* failing(): AsyncGenerator<ImageTags> {
      for (let i = 0; i < 1500; i++) yield detection(`img-${i}`, [['猫', 1, 2, 3, 4]], [10, 10]);
      throw new Error('connection lost');
    }
    const format = name.startsWith('coco') ? 'coco' : name.startsWith('yolo') ? 'yolo' : 'voc';
    await expect(writeExport(exportLabels(failing(), { format, classes: ['猫'] }), join(dir, name))).rejects.toThrow('connection lost');
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops and cleans up when aborted', async () => {
    const controller = new AbortController();
    const images = Array.from({ length: 3000 }, (_, i) => detection(`img-${i}`, [['猫', 1, 2, 3, 4]], [10, 10]));
    const exported = exportLabels(images, {
      format: 'voc',
      onProgress: ({ done }) => {
        if (done >= 1000) controller.abort();
      },
    });
    await expect(writeExport(exported, join(dir, 'voc'), { signal: controller.signal })).rejects.toThrow(/aborted/i);
    expect(await readdir(dir)).toEqual([]);
  });
});
