import { ConfigurationError, InputValidationError, ModelArtsError, NotFoundError } from '@modelarts-kit/client';
import { openTarget, partialConfigurationHint, type ClientTuning, type Target, type TargetFlags } from '../../shared/connection.js';
import { FORMATS, isOutputFormat, type OutputFormat } from '../output-formats.js';
import type { CliIo } from '../run-cli.js';
import { checkAnnotationId } from '../id-input.js';
import { InputError } from '../read-ids.js';
import { CommandError, fail, NAME, positiveInteger } from './job-images.js';

/* What the job-wide commands (jobs, images, get --all, stats, set, delete, sync) share: flags, connecting, errors. */

/** Where to connect, plus --quiet: the options every job-wide command takes. */
export const CONNECTION_OPTIONS = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  'project-id': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export const CONNECTION_HELP = `
Connection (as for "${NAME} get", see --help)
  --endpoint URL, --region ID, --project-id ID; credentials from the environment only.
  With no endpoint and no credentials, an embedded emulator with seeded jobs answers.
  -q, --quiet              no progress bar or notes on stderr (errors are still shown)
`;

export interface ConnectionFlags extends TargetFlags {
  quiet: boolean;
}

type Values = Record<string, string | boolean | undefined>;

/** A string option, refused when given empty. */
export function textOption(values: Values, name: string): string | undefined {
  const value = values[name];
  if (typeof value === 'string' && value.trim() === '') throw new CommandError(`--${name} is empty`);
  return typeof value === 'string' ? value : undefined;
}

export function connectionFlags(values: Values): ConnectionFlags {
  return {
    endpoint: textOption(values, 'endpoint'),
    region: textOption(values, 'region'),
    projectId: textOption(values, 'project-id'),
    quiet: values.quiet === true,
  };
}

/** The job ID (the first positional), checked by the client's rule before anything starts. */
export function annotationIdOf(positionals: readonly string[], command: string, extra = ''): string {
  const [annotationId] = positionals;
  if (annotationId === undefined) throw new CommandError(`The annotation job ID is missing: ${NAME} ${command} <annotationId>${extra}`);
  try {
    return checkAnnotationId(annotationId);
  } catch (error) {
    if (error instanceof InputError) throw new CommandError(error.message);
    throw error;
  }
}

/** --format, when given. */
export function formatOption(values: Values): OutputFormat | undefined {
  const format = textOption(values, 'format');
  if (format !== undefined && !isOutputFormat(format))
    throw new CommandError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  return format as OutputFormat | undefined;
}

/** The format to write: the one asked for, else a table on a terminal and ndjson when piped. */
export function outputFormat(format: OutputFormat | undefined, io: CliIo): OutputFormat {
  return format ?? (io.stdout.isTTY ? 'table' : 'ndjson');
}

/** --per-page, checked against the service's 1..100 before anything starts. */
export function perPageOption(values: Values): number | undefined {
  const perPage = positiveInteger(textOption(values, 'per-page'), '--per-page');
  if (perPage !== undefined && perPage > 100)
    throw new CommandError(`--per-page must be 1 to 100 (the service's page size limit), not ${perPage}`);
  return perPage;
}

/**
 * Connects as `get` does. With the embedded emulator, one note on stderr says so; for a command
 * that writes (`writes` names what), the note says that only the emulator's memory changes.
 */
export async function connect(
  flags: ConnectionFlags,
  io: CliIo,
  options: { writes?: string; tuning?: ClientTuning } = {},
): Promise<Target> {
  let target: Target;
  try {
    target = await openTarget(flags, io.env, options.tuning ?? {});
  } catch (error) {
    if (error instanceof ConfigurationError) throw new CommandError(error.message);
    throw error;
  }
  if (target.emulator && (!flags.quiet || options.writes)) {
    const hint = partialConfigurationHint(io.env);
    const writes = options.writes
      ? `; ${options.writes} changes only this emulator's memory, which is gone when the command ends (nothing is written to ModelArts)`
      : '';
    io.stderr.write(
      `${NAME}: no ModelArts endpoint or credentials configured, so the embedded emulator answers (${target.emulator.url})${writes}${hint ? `; ${hint}` : ''}\n`,
    );
  }
  return target;
}

/** The jobs the embedded emulator serves, for a message about an unknown job. */
export function emulatorJobsHint(target: Target): string {
  if (!target.emulator) return '';
  const ids = target.emulator.jobList().map((job) => String(job.dls_prj_id));
  return ` The embedded emulator serves jobs ${ids.join(', ')} ("${NAME} jobs" lists them).`;
}

/**
 * A client error as the exit-1 message: what went wrong, the emulator's jobs for an unknown job, and where the
 * requests went. Anything that is not a ModelArtsError is rethrown.
 */
export function describeFailure(error: unknown, target: Target): string {
  if (error instanceof CommandError || error instanceof InputValidationError || error instanceof ConfigurationError) return error.message;
  if (!(error instanceof ModelArtsError)) throw error;
  const hint = error instanceof NotFoundError ? emulatorJobsHint(target) : '';
  return `${error.message}.${hint}\nrequests went to ${target.description}`;
}

/**
 * Connects, runs `body` and closes the connection; a CommandError or a client error thrown by `body`
 * becomes the exit-1 message (with the emulator's jobs for an unknown job). The exit status.
 */
export async function withTarget(
  flags: ConnectionFlags,
  io: CliIo,
  options: { writes?: string; tuning?: ClientTuning },
  body: (target: Target) => Promise<number>,
): Promise<number> {
  let target: Target;
  try {
    target = await connect(flags, io, options);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  try {
    return await body(target);
  } catch (error) {
    return fail(io, describeFailure(error, target));
  } finally {
    await target.close();
  }
}
