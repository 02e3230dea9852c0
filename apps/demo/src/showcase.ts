import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigurationError, ModelArtsError, type ImageTagsResult } from '@modelarts-kit/client';
import {
  ansiStyle,
  countTags,
  openTarget,
  parseIds,
  plainStyle,
  renderReport,
  reportJob,
  toTable,
  wantsRealService,
  type ReportJob,
  type Target,
} from '@modelarts-kit/cli';

/**
 * `npm run demo`: fetches the tags of a sample of images from a
 * classification job and a detection job, prints them, and writes the HTML
 * report. Runs against the embedded emulator unless ModelArts credentials
 * are in the environment.
 */

const USAGE = `Usage: node dist/showcase.js [--sample N] [--report PATH]

  --sample N      images per job from the emulator (default 300)
  --report PATH   where to write the HTML report (default apps/demo/report/modelarts-report.html)

Against Huawei Cloud instead of the emulator, set the credentials
(HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK, or MODELARTS_TOKEN),
HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_REGION_ID or MODELARTS_ENDPOINT, and for each job
  MODELARTS_CLASSIFICATION_JOB=<job ID>  MODELARTS_CLASSIFICATION_IMAGES=<IDs, comma-separated, or @file>
  MODELARTS_DETECTION_JOB=<job ID>       MODELARTS_DETECTION_IMAGES=<IDs, comma-separated, or @file>
`;

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_REPORT_PATH = resolve(PACKAGE_DIR, 'report', 'modelarts-report.html');
const TABLE_ROWS = 8;
/** Not in any seeded job: shows how the client reports IDs the service does not know. */
const MADE_UP_ID = 'ffffffffffffffffffffffffffffffff';

interface PlannedJob {
  label: string;
  annotationId: string;
  imageIds: string[];
  note?: string;
}

type Env = Record<string, string | undefined>;

async function main(argv: string[], env: Env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { sample: { type: 'string' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const sample = Number(values.sample ?? 300);
  if (!Number.isInteger(sample) || sample < 1)
    throw new ConfigurationError(`--sample must be a whole number of at least 1, not "${values.sample}"`);
  const reportPath = values.report ? resolve(values.report) : DEFAULT_REPORT_PATH;

  const color = process.stdout.isTTY === true && !env.NO_COLOR;
  const style = color ? ansiStyle : plainStyle;
  const out = (text = ''): void => void process.stdout.write(`${text}\n`);

  const target = await openTarget({}, env);
  try {
    let jobs: PlannedJob[];
    if (target.emulator) {
      const { classification, detection } = target.emulator.jobs;
      out(style.header(`ModelArts tags showcase: running against the LOCAL EMULATOR at ${target.emulator.url}`));
      out(
        style.dim(
          'No ModelArts credentials in the environment, so nothing leaves this machine. The README says how to point it at Huawei Cloud.',
        ),
      );
      jobs = [
        {
          label: 'Image classification',
          annotationId: classification.id,
          imageIds: [...spread(classification.imageIds, sample), MADE_UP_ID],
          note: 'made up on purpose, to show how missing IDs are reported',
        },
        { label: 'Object detection', annotationId: detection.id, imageIds: spread(detection.imageIds, sample) },
      ];
    } else {
      out(style.header(`ModelArts tags showcase: running against ${target.description}`));
      jobs = await jobsFromEnv(env);
    }

    const reportJobs: ReportJob[] = [];
    let incomplete = false;
    for (const job of jobs) {
      const startedAt = performance.now();
      const result = await target.client.getImageTags({ annotationId: job.annotationId, imageIds: job.imageIds }, { onError: 'collect' });
      const elapsedMs = performance.now() - startedAt;
      printJob(job, result, elapsedMs, { out, style, columns: process.stdout.isTTY ? process.stdout.columns : 120 });
      reportJobs.push(reportJob({ annotationId: job.annotationId, result, elapsedMs }));
      const blocking = result.failed[0]?.error;
      if (blocking && result.images.length === 0) {
        throw blocking;
      }
      if (result.failed.length > 0 || result.missing.some((id) => id !== MADE_UP_ID)) incomplete = true;
    }

    const html = renderReport({
      version: 1,
      title: 'ModelArts tags showcase',
      generatedAt: new Date().toISOString(),
      source: sourceOf(target),
      jobs: reportJobs,
    });
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, html);
    out();
    out(`${style.header('Report:')} ${reportPath}`);
    out(
      style.dim(
        `(${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, one self-contained HTML file; open it in a browser${relative(process.cwd(), reportPath).startsWith('..') ? '' : `, e.g. ${relative(process.cwd(), reportPath)}`})`,
      ),
    );
    return incomplete ? 2 : 0;
  } finally {
    await target.close();
  }
}

function sourceOf(target: Target): { kind: 'emulator' | 'modelarts'; label: string } {
  return target.emulator
    ? { kind: 'emulator', label: `seeded demo data served on ${target.emulator.url}` }
    : { kind: 'modelarts', label: `${target.client.endpoint}, project ${target.client.projectId}` };
}

/** `count` IDs spread evenly over the job, so the sample is not just its first images. */
function spread(ids: readonly string[], count: number): string[] {
  if (count >= ids.length) return [...ids];
  const step = ids.length / count;
  return Array.from({ length: count }, (_, index) => ids[Math.floor(index * step)]!);
}

async function jobsFromEnv(env: Env): Promise<PlannedJob[]> {
  const jobs: PlannedJob[] = [];
  for (const [label, prefix] of [
    ['Image classification', 'MODELARTS_CLASSIFICATION'],
    ['Object detection', 'MODELARTS_DETECTION'],
  ] as const) {
    const annotationId = env[`${prefix}_JOB`]?.trim();
    const images = env[`${prefix}_IMAGES`]?.trim();
    if (!annotationId && !images) continue;
    if (!annotationId || !images) {
      throw new ConfigurationError(
        `Set both ${prefix}_JOB (the annotation job ID) and ${prefix}_IMAGES (image IDs, comma-separated, or @file)`,
      );
    }
    const imageIds = images.startsWith('@')
      ? parseIds(await readFile(images.slice(1), 'utf8'), { source: images.slice(1), csv: /\.csv$/i.test(images) }).ids
      : images.split(/[\s,]+/).filter(Boolean);
    jobs.push({ label, annotationId, imageIds });
  }
  if (jobs.length === 0) {
    throw new ConfigurationError(
      'ModelArts credentials are set, so the showcase needs jobs to read: set MODELARTS_CLASSIFICATION_JOB and MODELARTS_CLASSIFICATION_IMAGES, and/or MODELARTS_DETECTION_JOB and MODELARTS_DETECTION_IMAGES (unset the credentials to use the emulator)',
    );
  }
  return jobs;
}

function printJob(
  job: PlannedJob,
  result: ImageTagsResult,
  elapsedMs: number,
  { out, style, columns }: { out: (text?: string) => void; style: typeof plainStyle; columns: number | undefined },
): void {
  out();
  const requested = result.images.length + result.missing.length + result.failed.length;
  out(
    style.header(`${job.label} · job ${job.annotationId}`) +
      style.dim(
        ` · ${requested} IDs asked, ${result.images.length} found, ${result.missing.length} missing, ${result.failed.length} failed · ${result.requestIds.length} requests in ${Math.round(elapsedMs)} ms`,
      ),
  );
  if (result.images.length > 0) {
    process.stdout.write(toTable(result.images.slice(0, TABLE_ROWS), { columns, style }));
    if (result.images.length > TABLE_ROWS) out(style.dim(`… ${result.images.length - TABLE_ROWS} more in the report`));
  }
  const counts = countTags(result.images);
  if (counts.length > 0) {
    const unit = result.jobType === 'detection' ? 'boxes per tag' : 'images per tag';
    out(`${unit}: ${counts.map(([tag, count]) => `${tag} ${count}`).join(' · ')}`);
  }
  if (result.missing.length > 0) {
    out(`missing: ${result.missing.join(', ')}${job.note && result.missing.includes(MADE_UP_ID) ? style.dim(` (${job.note})`) : ''}`);
  }
  for (const { imageId, error } of result.failed.slice(0, 5)) out(`failed: ${imageId}: ${error.message}`);
  if (result.failed.length > 5) out(`failed: … ${result.failed.length - 5} more, listed in the report`);
  if (result.requestIds.length > 0) {
    const shown = result.requestIds.slice(0, 3).join(', ');
    out(style.dim(`request IDs: ${shown}${result.requestIds.length > 3 ? `, … (${result.requestIds.length} in the report)` : ''}`));
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof ModelArtsError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`showcase: ${message}\n`);
    if (wantsRealService({}, process.env))
      process.stderr.write('showcase: unset the ModelArts credentials to run against the local emulator instead\n');
    process.exitCode = 1;
  },
);
