import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigurationError, InputValidationError, NotFoundError, type ImageTagsResult } from '@modelarts-kit/client';
import { parseCommandLine, USAGE, UsageError, type GetCommand } from './args.js';
import { runCheck } from './commands/check.js';
import { runExport } from './commands/export.js';
import { formatResult } from './output-formats.js';
import { ProgressBar } from './progress-bar.js';
import { checkAnnotationId, checkIds, describeFileError, readIds } from './id-input.js';
import { reportIncomplete, writeIncompleteFiles } from './incomplete.js';
import { InputError } from './read-ids.js';
import { openTarget, partialConfigurationHint, type Target } from '../shared/connection.js';
import { printable } from '../shared/printable.js';
import { ansiStyle, plainStyle } from '../shared/text-table.js';
import { renderReport } from '../report/render-report.js';
import { reportJob } from '../report/report-data.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_INCOMPLETE = 2;

export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: AsyncIterable<string | Uint8Array> & { isTTY?: boolean };
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  version: string;
}

const NAME = 'modelarts-tags';

/** Runs the command line and returns the exit status. Never throws for a user mistake. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`${NAME}: ${printable(message)}\n`);
    return EXIT_ERROR;
  };
  // Label export and QA parse their own options (commands/); everything else is `get`.
  if (argv[0] === 'export') return runExport(argv.slice(1), io);
  if (argv[0] === 'check') return runCheck(argv.slice(1), io);
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\nRun "${NAME} --help" for the options.`);
    throw error;
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${io.version}\n`);
    return EXIT_OK;
  }

  // Everything is checked before the embedded emulator starts (or a request is sent).
  let imageIds: readonly string[];
  try {
    checkAnnotationId(command.annotationId);
    imageIds = checkIds(await readIds(command, io));
  } catch (error) {
    if (error instanceof InputError) return fail(error.message);
    throw error;
  }

  let target: Target;
  try {
    target = await openTarget(command, io.env, { batchSize: command.batchSize, concurrency: command.concurrency });
  } catch (error) {
    if (error instanceof ConfigurationError) return fail(error.message);
    throw error;
  }
  try {
    if (target.emulator) {
      const hint = partialConfigurationHint(io.env);
      io.stderr.write(
        `${NAME}: no ModelArts endpoint or credentials configured, so the embedded emulator answers (${target.emulator.url}; jobs ${target.emulator.jobs.classification.id} and ${target.emulator.jobs.detection.id})${hint ? `; ${hint}` : ''}\n`,
      );
    }
    return await getTags(command, imageIds, target, io);
  } finally {
    await target.close();
  }
}

/** `imageIds` are checked (checkIds): the client sends them as they are. */
async function getTags(command: GetCommand, imageIds: readonly string[], target: Target, io: CliIo): Promise<number> {
  const batchSize = command.batchSize ?? 100;
  const showProgress = !command.quiet && io.stderr.isTTY === true && imageIds.length > batchSize;
  const progress = showProgress ? new ProgressBar({ stream: io.stderr }) : undefined;
  const startedAt = performance.now();

  let result: ImageTagsResult;
  try {
    result = await target.client.getImageTags(
      { annotationId: command.annotationId, imageIds },
      {
        onError: 'collect',
        ...(progress ? { onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) } : {}),
      },
    );
  } catch (error) {
    progress?.finish();
    if (error instanceof InputValidationError || error instanceof ConfigurationError) {
      io.stderr.write(`${NAME}: ${printable(error.message)}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
  progress?.finish();
  const elapsedMs = performance.now() - startedAt;

  // Failures that every retry and every other ID would meet too: the user has to change something.
  const blocking = result.failed.find(({ error }) => error.fatal);
  if (result.images.length > 0 || !blocking) {
    const format = command.format ?? (io.stdout.isTTY ? 'table' : 'ndjson');
    const color = io.stdout.isTTY === true && !io.env.NO_COLOR;
    io.stdout.write(
      formatResult(result, format, {
        annotationId: command.annotationId,
        columns: io.stdout.isTTY ? io.stdout.columns : undefined,
        style: color ? ansiStyle : plainStyle,
      }),
    );
  }

  if (command.report !== undefined) {
    const path = resolve(io.cwd, command.report);
    const html = renderReport({
      version: 1,
      title: `ModelArts tags of job ${command.annotationId}`,
      generatedAt: new Date().toISOString(),
      source: target.emulator
        ? { kind: 'emulator', label: `embedded emulator at ${target.emulator.url}` }
        : { kind: 'modelarts', label: `${target.client.endpoint}, project ${target.client.projectId}` },
      jobs: [reportJob({ annotationId: command.annotationId, result, elapsedMs })],
    });
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, html);
    } catch (error) {
      io.stderr.write(`${NAME}: cannot write --report ${printable(command.report)}: ${describeFileError(error)}\n`);
      return EXIT_ERROR;
    }
    if (!command.quiet) io.stderr.write(`${NAME}: report written to ${printable(path)} (${formatBytes(Buffer.byteLength(html))})\n`);
  }

  try {
    await writeIncompleteFiles(result, command, io);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr.write(`${NAME}: ${printable(error.message)}\n`);
    return EXIT_ERROR;
  }

  if (blocking) {
    const hint =
      blocking.error instanceof NotFoundError && target.emulator
        ? ` The embedded emulator serves jobs ${target.emulator.jobs.classification.id} (classification), ${target.emulator.jobs.detection.id} and ${target.emulator.jobs.detectionStringTags.id} (detection).`
        : '';
    io.stderr.write(`${NAME}: ${printable(blocking.error.message)}.${hint}\n${NAME}: requests went to ${target.description}\n`);
    return EXIT_ERROR;
  }

  if (!command.quiet) {
    const seconds = (elapsedMs / 1000).toFixed(1);
    io.stderr.write(
      `${NAME}: job ${command.annotationId} (${result.jobType}): ${result.images.length} of ${imageIds.length} found, ${result.missing.length} missing, ${result.failed.length} failed; ${result.requestIds.length} request(s) in ${seconds} s\n`,
    );
  }
  return reportIncomplete(result, command.annotationId, io, command) ? EXIT_INCOMPLETE : EXIT_OK;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
