import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ScenarioResult, target } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import type { Settings } from '../settings.js';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('../formats-worker.ts', import.meta.url));

interface Measured {
  format: string;
  images: number;
  boxes: number;
  files: number;
  bytes: number;
  seconds: number[];
  cpuSeconds: number[];
  inputRssMiB: number;
  peakRssMiB: number;
}

async function measure(format: 'coco' | 'yolo', sink: 'none' | 'disk', images: number, rounds: number): Promise<Measured> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', WORKER, '--format', format, '--images', String(images), '--rounds', String(rounds), '--sink', sink],
    {
      maxBuffer: 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Measured;
}

/**
 * A detection job of 100,000 images (1-5 boxes each) exported to COCO and YOLO, each in a fresh
 * process: conversion alone (every byte produced, none written), then to disk (COCO to a file,
 * YOLO to a ZIP of 100,002 files). Peak RSS is the process's high-water mark, input included.
 */
export async function formatsScenario(settings: Settings): Promise<ScenarioResult> {
  const started = performance.now();
  const { images, rounds } = settings.formats;
  const rows: (string | number)[][] = [];
  const data: Record<string, Measured> = {};
  const targets = [];
  for (const format of ['coco', 'yolo'] as const) {
    for (const sink of ['none', 'disk'] as const) {
      const m = await measure(format, sink, images, sink === 'none' ? rounds : 1);
      data[`${format}-${sink}`] = m;
      const perSecond = m.images / median(m.seconds);
      const perCpuSecond = m.images / median(m.cpuSeconds);
      settings.log(
        `  ${format} ${sink === 'none' ? 'conversion' : 'to disk'}: ${Math.round(perSecond)} images/s (${Math.round(perCpuSecond)} per CPU-second), peak RSS ${round(m.peakRssMiB, 0)} MiB`,
      );
      rows.push([
        format === 'coco' ? 'COCO' : 'YOLO',
        sink === 'none' ? 'conversion only' : format === 'coco' ? 'to a file' : 'to a ZIP',
        m.images,
        m.boxes,
        Math.round(perSecond),
        Math.round(perCpuSecond),
        round(m.bytes / 2 ** 20, 1),
        round(m.inputRssMiB, 0),
        round(m.peakRssMiB, 0),
      ]);
      if (sink === 'none') {
        targets.push(target(`${format.toUpperCase()} conversion >= 50,000 images/s`, Math.round(perSecond), '>=', 50_000, 'images/s'));
      }
      targets.push(
        target(
          `${format.toUpperCase()} ${sink === 'none' ? 'conversion' : 'export to disk'} peak RSS < 300 MB`,
          round((m.peakRssMiB * 2 ** 20) / 1e6, 0),
          '<=',
          300,
          'MB',
        ),
      );
    }
  }
  return {
    id: '7',
    title: 'Label export (COCO, YOLO)',
    status: 'ok',
    method: [
      `${images.toLocaleString('en-US')} detection images, 1-5 boxes each, generated in the measuring process (as getImageTags holds them), 20 classes.`,
      `Conversion: exportLabels() read to the end, bytes counted, nothing written; median of ${rounds} rounds. To disk: writeExport() once.`,
      'Each row runs in a fresh Node process; peak RSS is its maxRSS, input included.',
      'images/s is wall time; images per CPU-second (user + system) shows the cost when other programs share the CPUs.',
    ],
    rounds,
    tables: [
      {
        title: 'Export of a detection job',
        table: {
          columns: [
            'format',
            'output',
            'images',
            'boxes',
            'images/s',
            'images per CPU-second',
            'MiB out',
            'RSS with input (MiB)',
            'peak RSS (MiB)',
          ],
          rows,
        },
      },
    ],
    ratios: [],
    targets,
    notes: [],
    data,
    seconds: (performance.now() - started) / 1000,
  };
}
