import { parseArgs } from 'node:util';
import { ConfigurationError, InputValidationError, ModelArtsError, type ImageTagsResult } from '@modelarts-kit/client';
import { NameMappingError, parseNameMapping } from '@modelarts-kit/formats';
import { openTarget, partialConfigurationHint, type Target } from '../../shared/connection.js';
import { printable } from '../../shared/printable.js';
import { JOB_OPTIONS, outputClash, type GetCommand } from '../args.js';
import { checkAnnotationId, checkIds, readIds, readTextFile } from '../id-input.js';
import { reportIncomplete as reportIncompleteIds, writeIncompleteFiles } from '../incomplete.js';
import { ProgressBar } from '../progress-bar.js';
import { InputError, type IdList } from '../read-ids.js';
import type { CliIo } from '../run-cli.js';
import { fetchWholeJob } from './whole-job.js';

export const NAME = 'modelarts-tags';

/** What export and check share with get on the command line: the job, its images, where to connect; and --names. */
export interface JobImagesFlags
  extends Pick<
    GetCommand,
    | 'annotationId'
    | 'imageIds'
    | 'file'
    | 'column'
    | 'batchSize'
    | 'concurrency'
    | 'quiet'
    | 'missingOut'
    | 'failedOut'
    | 'endpoint'
    | 'region'
    | 'projectId'
  > {
  names: string | undefined;
  /** --all: every image of the job, listed instead of given. */
  all: boolean;
}

export const JOB_IMAGES_OPTIONS = { ...JOB_OPTIONS, names: { type: 'string' }, all: { type: 'boolean' } } as const;

export interface JobImages {
  result: ImageTagsResult;
  /** From --names, when given. */
  names: Map<string, string> | undefined;
  target: Target;
}

/** A user mistake, already worded for the terminal. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** Writes `modelarts-tags: message` to stderr; the exit status of an error. */
export function fail(io: CliIo, message: string): number {
  io.stderr.write(`${NAME}: ${printable(message)}\n`);
  return 1;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses a command's options (with --help), then the command itself; the parsed command, or the
 * exit status when it printed its help or a usage error.
 */
export function parseCommand<T>(
  argv: readonly string[],
  io: CliIo,
  spec: {
    name: string;
    usage: string;
    options: OptionSpec;
    build: (values: Record<string, string | boolean | undefined>, positionals: string[]) => T;
  },
): T | number {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: true,
        options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      });
    } catch (error) {
      // Node's messages name the flag ("Unknown option '--x'"); they never contain values.
      throw new CommandError(error instanceof Error ? error.message : String(error));
    }
    if (parsed.values.help) {
      io.stdout.write(spec.usage);
      return 0;
    }
    return spec.build(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, `${error.message}\nRun "${NAME} ${spec.name} --help" for the options.`);
    throw error;
  }
}

/**
 * Reads the image IDs (arguments, --file, stdin, or the IDs of the --names mapping), connects,
 * and fetches the tags with the progress bar. The caller closes the target.
 */
export async function fetchJobImages(flags: JobImagesFlags, io: CliIo): Promise<JobImages> {
  // Everything is checked before the embedded emulator starts (or a request is sent).
  let names: Map<string, string> | undefined;
  let imageIds: readonly string[] = [];
  try {
    checkAnnotationId(flags.annotationId);
    if (flags.names !== undefined) {
      const text = await readTextFile(flags.names, '--names', io);
      try {
        names = parseNameMapping(text, flags.names);
      } catch (error) {
        if (error instanceof NameMappingError) throw new CommandError(error.message);
        throw error;
      }
    }
    let input: IdList | undefined;
    if (flags.all) {
      // The job lists its own images.
    } else if (flags.imageIds.length === 0 && flags.file === undefined && names) {
      // The mapping lists the images: exactly those, without waiting for stdin.
      input = { ids: [...names.keys()], origins: [...names.keys()].map((_, i) => `${flags.names}, entry ${i + 1}`) };
    } else {
      input = await readIds(flags, io);
    }
    if (input) imageIds = checkIds(input);
  } catch (error) {
    if (error instanceof InputError) throw new CommandError(error.message);
    throw error;
  }

  let target: Target;
  try {
    target = await openTarget(flags, io.env, { batchSize: flags.batchSize, concurrency: flags.concurrency });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new CommandError(error.message);
    throw error;
  }
  if (target.emulator && !flags.quiet) {
    const hint = partialConfigurationHint(io.env);
    io.stderr.write(
      `${NAME}: no ModelArts endpoint or credentials configured, so the embedded emulator answers (${target.emulator.url})${hint ? `; ${hint}` : ''}\n`,
    );
  }
  const showProgress = !flags.quiet && io.stderr.isTTY === true;
  const progress = showProgress ? new ProgressBar({ stream: io.stderr }) : undefined;
  try {
    const result = flags.all
      ? await fetchWholeJob(target.client, flags.annotationId, progress && ((done, total) => progress.update(done, total)))
      : await target.client.getImageTags(
          { annotationId: flags.annotationId, imageIds },
          {
            onError: 'collect',
            ...(progress ? { onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) } : {}),
          },
        );
    return { result, names, target };
  } catch (error) {
    await target.close();
    if (error instanceof InputValidationError || error instanceof ConfigurationError) throw new CommandError(error.message);
    if (error instanceof ModelArtsError)
      throw new CommandError(`${error.message}; nothing was written. Requests went to ${target.description}`);
    throw error;
  } finally {
    progress?.finish();
  }
}

/** Writes --missing-out and --failed-out, then lists missing and failed IDs on stderr (the first few of each); whether any. */
export async function reportIncomplete(result: ImageTagsResult, flags: JobImagesFlags, io: CliIo): Promise<boolean> {
  try {
    await writeIncompleteFiles(result, flags, io);
  } catch (error) {
    if (error instanceof InputError) throw new CommandError(error.message);
    throw error;
  }
  return reportIncompleteIds(result, flags.annotationId, io, flags);
}

export function preview(ids: readonly string[], count = 5): string {
  return ids.length <= count ? ids.join(', ') : `${ids.slice(0, count).join(', ')} and ${ids.length - count} more`;
}

export async function readText(path: string, io: CliIo, flag: string): Promise<string> {
  try {
    return await readTextFile(path, flag, io);
  } catch (error) {
    if (error instanceof InputError) throw new CommandError(error.message);
    throw error;
  }
}

/** One name per line (a classes.txt or the job's tag list), blank lines skipped. */
export async function readNameList(path: string, io: CliIo, flag: string): Promise<string[]> {
  const text = await readText(path, io, flag);
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new CommandError(`${flag} must be a whole number of at least 1, not "${value}"`);
  }
  return Number(value);
}

/** The shared flags from parseArgs values. */
export function jobImagesFlags(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  command: string,
): JobImagesFlags {
  const [annotationId, ...imageIds] = positionals;
  if (annotationId === undefined)
    throw new CommandError(`The annotation job ID is missing: ${NAME} ${command} <annotationId> [imageId ...]`);
  if (imageIds.length > 0 && values.file !== undefined)
    throw new CommandError('Give image IDs either as arguments or with --file, not both');
  if (values.all === true && (imageIds.length > 0 || values.file !== undefined || values.column !== undefined))
    throw new CommandError('--all takes every image of the job: give no image IDs, --file or --column with it');
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (typeof value === 'string' && value.trim() === '') throw new CommandError(`--${name} is empty`);
    return typeof value === 'string' ? value : undefined;
  };
  const clash = outputClash({ '--missing-out': text('missing-out'), '--failed-out': text('failed-out'), '--out': text('out') });
  if (clash) throw new CommandError(clash);
  return {
    annotationId,
    imageIds,
    file: text('file'),
    column: text('column'),
    names: text('names'),
    all: values.all === true,
    batchSize: positiveInteger(text('batch-size'), '--batch-size'),
    concurrency: positiveInteger(text('concurrency'), '--concurrency'),
    quiet: values.quiet === true,
    missingOut: text('missing-out'),
    failedOut: text('failed-out'),
    endpoint: text('endpoint'),
    region: text('region'),
    projectId: text('project-id'),
  };
}
