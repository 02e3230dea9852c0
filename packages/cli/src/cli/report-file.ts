import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ImageTagsResult } from '@modelarts-kit/client';
import { describeFileError } from './id-input.js';
import { InputError } from './read-ids.js';
import type { CliIo } from './run-cli.js';
import type { Target } from '../shared/connection.js';
import { printable } from '../shared/printable.js';
import { renderReport } from '../report/render-report.js';
import { reportJob } from '../report/report-data.js';

/** Writes the HTML report of one job (--report) and says where on stderr. Throws InputError when the file cannot be written. */
export async function writeReportFile(
  report: string,
  job: { annotationId: string; result: Omit<ImageTagsResult, 'outcomes'>; elapsedMs: number; title?: string },
  target: Target,
  io: CliIo,
  quiet: boolean,
): Promise<void> {
  const path = resolve(io.cwd, report);
  const html = renderReport({
    version: 1,
    title: job.title ?? `ModelArts tags of job ${job.annotationId}`,
    generatedAt: new Date().toISOString(),
    source: target.emulator
      ? { kind: 'emulator', label: `embedded emulator at ${target.emulator.url}` }
      : { kind: 'modelarts', label: `${target.client.endpoint}, project ${target.client.projectId}` },
    jobs: [reportJob({ annotationId: job.annotationId, result: job.result, elapsedMs: job.elapsedMs })],
  });
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, html);
  } catch (error) {
    throw new InputError(`cannot write --report ${printable(report)}: ${describeFileError(error)}`);
  }
  if (!quiet) io.stderr.write(`modelarts-tags: report written to ${printable(path)} (${formatBytes(Buffer.byteLength(html))})\n`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
