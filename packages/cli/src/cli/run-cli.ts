import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigurationError, InputValidationError, NotFoundError, type ImageTagsResult } from '@modelarts-kit/client';
import { parseCommandLine, USAGE, UsageError, type GetCommand } from './args.js';
import { runCheck } from './commands/check.js';
import { runExport } from './commands/export.js';
import { formatResult } from './output-formats.js';
import { ProgressBar } from './progress-bar.js';
import { idsFromArguments, InputError, parseIds, type IdList } from './read-ids.js';
import { openTarget, partialConfigurationHint, type Target } from '../shared/connection.js';
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
    io.stderr.write(`${NAME}: ${message}\n`);
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

  let input: IdList;
  try {
    input = await readIds(command, io);
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
    return await getTags(command, input, target, io);
  } finally {
    await target.close();
  }
}

export async function readIds(command: Pick<GetCommand, 'imageIds' | 'file' | 'column' | 'annotationId'>, io: CliIo): Promise<IdList> {
  let list: IdList;
  if (command.imageIds.length > 0) {
    if (command.column !== undefined) throw new InputError('--column applies to --file or stdin, not to IDs given as arguments');
    list = idsFromArguments(command.imageIds);
  } else if (command.file !== undefined && command.file !== '-') {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, command.file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'EACCES'
              ? 'permission denied'
              : String(code);
      throw new InputError(`Cannot read --file ${command.file}: ${reason}`);
    }
    list = parseIds(text, { source: command.file, column: command.column, csv: /\.csv$/i.test(command.file) });
  } else {
    if (io.stdin.isTTY && command.file === undefined) {
      throw new InputError(
        `No image IDs given. Pass them as arguments, with --file ids.txt (or a CSV file), or pipe them in: cat ids.txt | ${NAME} get ${command.annotationId}`,
      );
    }
    list = parseIds(await readAll(io.stdin), { source: 'stdin', column: command.column });
  }
  if (list.ids.length === 0) {
    const where = command.file !== undefined && command.file !== '-' ? command.file : 'stdin';
    throw new InputError(`No image IDs found in ${where}: expected one ID per line, or a CSV column of IDs`);
  }
  return list;
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

async function getTags(command: GetCommand, input: IdList, target: Target, io: CliIo): Promise<number> {
  const batchSize = command.batchSize ?? 100;
  const showProgress = !command.quiet && io.stderr.isTTY === true && input.ids.length > batchSize;
  const progress = showProgress ? new ProgressBar({ stream: io.stderr }) : undefined;
  const startedAt = performance.now();

  let result: ImageTagsResult;
  try {
    result = await target.client.getImageTags(
      { annotationId: command.annotationId, imageIds: input.ids },
      {
        onError: 'collect',
        ...(progress ? { onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) } : {}),
      },
    );
  } catch (error) {
    progress?.finish();
    if (error instanceof InputValidationError) {
      const origin = error.index === undefined ? undefined : input.origins[error.index];
      io.stderr.write(`${NAME}: ${origin ? `${origin}: ` : ''}${error.message}\n`);
      return EXIT_ERROR;
    }
    if (error instanceof ConfigurationError) {
      io.stderr.write(`${NAME}: ${error.message}\n`);
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
      io.stderr.write(`${NAME}: cannot write --report ${command.report}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return EXIT_ERROR;
    }
    if (!command.quiet) io.stderr.write(`${NAME}: report written to ${path} (${formatBytes(Buffer.byteLength(html))})\n`);
  }

  if (blocking) {
    const hint =
      blocking.error instanceof NotFoundError && target.emulator
        ? ` The embedded emulator serves jobs ${target.emulator.jobs.classification.id} (classification), ${target.emulator.jobs.detection.id} and ${target.emulator.jobs.detectionStringTags.id} (detection).`
        : '';
    io.stderr.write(`${NAME}: ${blocking.error.message}.${hint}\n${NAME}: requests went to ${target.description}\n`);
    return EXIT_ERROR;
  }

  if (!command.quiet) {
    const seconds = (elapsedMs / 1000).toFixed(1);
    io.stderr.write(
      `${NAME}: job ${command.annotationId} (${result.jobType}): ${result.images.length} of ${input.ids.length} found, ${result.missing.length} missing, ${result.failed.length} failed; ${result.requestIds.length} request(s) in ${seconds} s\n`,
    );
  }
  if (result.missing.length > 0) {
    io.stderr.write(`${NAME}: ${result.missing.length} image ID(s) not found in job ${command.annotationId}:\n`);
    io.stderr.write(result.missing.map((id) => `  ${id}\n`).join(''));
  }
  if (result.failed.length > 0) {
    const groups = new Map<string, string[]>();
    for (const { imageId, error } of result.failed) {
      const key = `${error.name}: ${error.message}`;
      groups.set(key, [...(groups.get(key) ?? []), imageId]);
    }
    for (const [message, ids] of groups) {
      io.stderr.write(`${NAME}: ${ids.length} image ID(s) failed: ${message}\n`);
      io.stderr.write(ids.map((id) => `  ${id}\n`).join(''));
    }
  }
  return result.missing.length > 0 || result.failed.length > 0 ? EXIT_INCOMPLETE : EXIT_OK;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
