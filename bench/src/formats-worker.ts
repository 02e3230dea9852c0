// One measurement of scenario 7 in a process of its own, so its peak RSS is its alone:
// converts a generated detection job (held in memory, as getImageTags returns it) and prints JSON.
//   node --import tsx src/formats-worker.ts --format coco|yolo --images N --rounds R --sink none|disk
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportLabels, writeExport, type DetectionImageTags, type ExportFormat } from '@modelarts-kit/formats';

const { values } = parseArgs({
  options: {
    format: { type: 'string' },
    images: { type: 'string' },
    rounds: { type: 'string' },
    sink: { type: 'string' },
  },
});
const format = values.format as ExportFormat;
const count = Number(values.images);
const rounds = Number(values.rounds);
const toDisk = values.sink === 'disk';

const CLASSES = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `class-${i}` : `类别-${i}`));

/** A detection job like the emulator's: 1-5 boxes an image, sizes of photos, 32-hex IDs. */
function detectionJob(images: number): DetectionImageTags[] {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const job: DetectionImageTags[] = [];
  for (let i = 0; i < images; i++) {
    const width = 640 + Math.floor(next() * 1280);
    const height = 480 + Math.floor(next() * 720);
    const tags = [];
    for (let b = 1 + Math.floor(next() * 5); b > 0; b--) {
      const xmin = Math.floor(next() * (width - 20));
      const ymin = Math.floor(next() * (height - 20));
      tags.push({
        tag: CLASSES[Math.floor(next() * CLASSES.length)]!,
        box: {
          xmin,
          ymin,
          xmax: xmin + 10 + Math.floor(next() * (width - xmin - 10)),
          ymax: ymin + 10 + Math.floor(next() * (height - ymin - 10)),
        },
        extra: {},
      });
    }
    job.push({ type: 'detection', imageId: (i + 1).toString(16).padStart(32, '0'), tags, size: { width, height, depth: 3 }, extra: {} });
  }
  return job;
}

/** CPU time (user + system) since `start`: on a shared machine, wall time also counts other programs. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

const images = detectionJob(count);
const boxes = images.reduce((sum, image) => sum + image.tags.length, 0);
const inputRssMiB = process.memoryUsage().rss / 2 ** 20;
const seconds: number[] = [];
const cpuSeconds: number[] = [];
let bytes = 0;
let files = 0;
const dir = mkdtempSync(path.join(tmpdir(), 'bench-formats-'));
try {
  for (let round = 0; round < rounds; round++) {
    const exported = exportLabels(images, { format, classes: CLASSES });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    if (toDisk) {
      const out = path.join(dir, format === 'coco' ? `coco-${round}.json` : `yolo-${round}.zip`);
      const result = await writeExport(exported, out);
      files = result.files;
      bytes = statSync(out).size;
      seconds.push((performance.now() - t0) / 1000);
      cpuSeconds.push(cpuSince(cpu0));
      rmSync(out);
    } else {
      bytes = 0;
      files = 0;
      for await (const file of exported.files()) {
        files++;
        if (typeof file.content === 'string') bytes += file.content.length;
        else for await (const chunk of file.content) bytes += chunk.length;
      }
      seconds.push((performance.now() - t0) / 1000);
      cpuSeconds.push(cpuSince(cpu0));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({ format, images: count, boxes, files, bytes, seconds, cpuSeconds, inputRssMiB, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
