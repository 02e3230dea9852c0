#!/usr/bin/env node
// Exports a generated detection job (and a classification one) in every format, then has tools
// nobody here wrote read them back (reference_readers.py: pycocotools, globox, Python's csv, json and
// zipfile). The Python tools are installed from PyPI into a virtual environment created here.
//
//   npm run test:formats                     (from the repository root; builds the package first)
//   FORMATS_VENV=/path/to/venv node scripts/reference-readers.mjs   reuse a venv
//
// The last line of output is "N passed, N failed"; the exit status is 1 if anything failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportLabels, parseNameMapping, writeExport } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON_PACKAGES = ['pycocotools==2.0.11', 'globox==2.9.0'];
const TAGS = ['猫', '狗 (大)', 'a<b>&"c\'', 'x,y "z"', 'person'];
const CREATED_AT = new Date('2026-11-30T00:00:00Z');
/** More entries than a ZIP without ZIP64 records can count. */
const BIG_ZIP_IMAGES = 70_000;

/** A small deterministic generator (mulberry32), so every run checks the same job. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function detectionJob(count, seed) {
  const next = random(seed);
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const images = [];
  for (let i = 0; i < count; i++) {
    const width = int(64, 1024);
    const height = int(64, 768);
    const boxes = [];
    const n = i % 17 === 5 ? 0 : int(1, 5);
    for (let b = 0; b < n; b++) {
      const xmin = int(0, width - 2);
      const ymin = int(0, height - 2);
      const fraction = b === 1 && i % 3 === 0; // some boxes with fractional corners (VOC rounds them)
      const xmax = int(xmin + 1, width) - (fraction ? 0.25 : 0);
      const ymax = int(ymin + 1, height) - (fraction ? 0.5 : 0);
      boxes.push({ tag: TAGS[int(0, TAGS.length - 1)], box: { xmin, ymin, xmax, ymax }, extra: {} });
    }
    images.push({
      type: 'detection',
      imageId: (i + 1).toString(16).padStart(32, '0'),
      tags: boxes,
      size: { width, height, depth: 3 },
      extra: {},
    });
  }
  return images;
}

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'formats-reference-'));
  try {
    const images = detectionJob(120, 17);
    // A mapping file as users write it: a header, quotes, a Chinese file name.
    const mappingCsv = [
      'image_id,file_name',
      ...images.map((image, i) => `${image.imageId},"${i === 3 ? `图片, ${i}` : `img_${String(i).padStart(3, '0')}`}.png"`),
    ].join('\r\n');
    const names = parseNameMapping(mappingCsv, 'names.csv');
    const classification = images.slice(0, 30).map((image, i) => ({
      type: 'classification',
      imageId: image.imageId,
      tags: i % 7 === 0 ? [] : [TAGS[i % TAGS.length], ...(i % 4 === 0 ? [TAGS[(i + 2) % TAGS.length]] : [])],
      extra: {},
    }));
    const out = join(work, 'out');
    await mkdir(out);
    const write = (source, options, target) =>
      writeExport(exportLabels(source, { createdAt: CREATED_AT, names, classes: TAGS, ...options }), join(out, target));
    await write(images, { format: 'coco' }, 'coco/annotations.json');
    await write(images, { format: 'coco' }, 'coco.zip');
    await write(images, { format: 'voc' }, 'voc');
    await write(images, { format: 'voc' }, 'voc.zip');
    await write(images, { format: 'yolo' }, 'yolo');
    await write(images, { format: 'yolo' }, 'yolo.zip');
    await write(images, { format: 'manifest' }, 'manifest-detection');
    await write(images, { format: 'manifest' }, 'manifest-detection.zip');
    await write(classification, { format: 'manifest' }, 'classification.manifest');
    await write(images, { format: 'csv', rows: 'box' }, 'boxes.csv');
    await write(images, { format: 'csv', rows: 'image' }, 'images.csv');
    await write(images, { format: 'jsonl', rows: 'box' }, 'boxes.jsonl');
    await write(classification, { format: 'jsonl', rows: 'image' }, 'classification.jsonl');
    const big = await writeExport(
      exportLabels(detectionJob(BIG_ZIP_IMAGES, 5), { format: 'yolo', classes: TAGS }),
      join(out, 'big-yolo.zip'),
    );

    const expected = {
      classes: TAGS,
      images: images.map((image) => ({
        image_id: image.imageId,
        file_name: names.get(image.imageId),
        width: image.size.width,
        height: image.size.height,
        boxes: image.tags.map(({ tag, box }) => [tag, box.xmin, box.ymin, box.xmax, box.ymax]),
      })),
      classification: classification.map((image) => ({ image_id: image.imageId, tags: image.tags })),
      big_zip_files: big.files,
    };
    await writeFile(join(work, 'expected.json'), JSON.stringify(expected));

    const python = join(await venv(), 'bin', 'python');
    const result = spawnSync(python, [join(here, 'reference_readers.py'), work], { stdio: 'inherit' });
    process.exitCode = result.status === 0 ? 0 : 1;
  } finally {
    if (!process.env.FORMATS_KEEP) await rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

/** A venv with the pinned reference readers: FORMATS_VENV, else one under node_modules/.cache. */
async function venv() {
  const dir = process.env.FORMATS_VENV ?? join(here, '..', 'node_modules', '.cache', 'formats-reference-venv');
  const python = join(dir, 'bin', 'python');
  const ready = join(dir, `.installed-${PYTHON_PACKAGES.join('-')}`);
  if (existsSync(ready)) return dir;
  await mkdir(dirname(dir), { recursive: true });
  if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PYTHON_PACKAGES], { stdio: 'inherit' });
  await writeFile(ready, '');
  return dir;
}

await main();
