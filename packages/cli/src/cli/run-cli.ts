import { ConfigurationError, InputValidationError, NotFoundError, type ImageTagsResult } from '@modelarts-kit/client';
import { parseCommandLine, USAGE, UsageError, type GetCommand } from './args.js';
import { runCheck } from './commands/check.js';
import { runDelete } from './commands/delete.js';
import { runImages } from './commands/images.js';
import { runJobs } from './commands/jobs.js';
import { runSet } from './commands/set.js';
import { runStats } from './commands/stats.js';
import { runSync } from './commands/sync.js';
import { runExport } from './commands/export.js';
import { runGetAll } from './commands/get-all.js';
import { formatResult } from './output-formats.js';
import { ProgressBar } from './progress-bar.js';
import { checkAnnotationId, checkIds, readIds } from './id-input.js';
import { writeReportFile } from './report-file.js';
import { reportIncomplete, writeIncompleteFiles } from './incomplete.js';
import { InputError } from './read-ids.js';
import { openTarget, partialConfigurationHint, type Target } from '../shared/connection.js';
import { printable } from '../shared/printable.js';
import { ansiStyle, plainStyle } from '../shared/text-table.js';

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

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  jobs: runJobs,
  images: runImages,
  stats: runStats,
  set: runSet,
  delete: runDelete,
  sync: runSync,
  export: runExport,
  check: runCheck,
};

/** Runs the command line and returns the exit status. Never throws for a user mistake. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`${NAME}: ${printable(message)}\n`);
    return EXIT_ERROR;
  };
  // The other commands parse their own options (commands/); everything else is `get`.
  const name = argv[0];
  if (name !== undefined && Object.hasOwn(COMMANDS, name)) return COMMANDS[name]!(argv.slice(1), io);
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

  if (command.all) return runGetAll(command, io);

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
    try {
      await writeReportFile(command.report, { annotationId: command.annotationId, result, elapsedMs }, target, io, command.quiet);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`${NAME}: ${error.message}\n`);
      return EXIT_ERROR;
    }
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
