import { MAX_INPUT_IDS, InputError } from '../read-ids.js';
import { checkIds, readIds } from '../id-input.js';
import { ProgressBar } from '../progress-bar.js';
import type { CliIo } from '../run-cli.js';
import { CommandError, fail, NAME, parseCommand } from './job-images.js';
import {
  annotationIdOf,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connectionFlags,
  textOption,
  withTarget,
  type ConnectionFlags,
} from './job-target.js';
import { finishWrite, WRITE_EXIT_HELP, writeBatchSize } from './write-summary.js';

export const DELETE_USAGE = `Usage: ${NAME} delete <annotationId> [imageId ...] [--file ids.txt] --yes [options]

Deletes images from a job, for good: their tags are lost too. Without --yes nothing is deleted and the
command only says how many images it would delete. IDs the job does not hold are ignored by the service.

  imageId ...              as arguments
  -f, --file PATH          a text file (one ID per line) or a CSV file (--column); - for stdin;
                           read as for "${NAME} get" (UTF-8, at most ${MAX_INPUT_IDS.toLocaleString('en-US')} IDs)
  -c, --column NAME|N      the CSV column that holds the IDs
  --yes                    really delete
  --batch-size N           IDs per request (default 1000)
  --failed-out FILE        write every ID that failed, with its error, as CSV
${CONNECTION_HELP}  Against the embedded emulator, images are deleted only from its memory, for this one command.

${WRITE_EXIT_HELP}`;

interface DeleteCommand extends ConnectionFlags {
  annotationId: string;
  imageIds: string[];
  file: string | undefined;
  column: string | undefined;
  yes: boolean;
  batchSize: number;
  failedOut: string | undefined;
}

/** `modelarts-tags delete`: the exit status. */
export async function runDelete(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<DeleteCommand>(argv, io, {
    name: 'delete',
    usage: DELETE_USAGE,
    options: {
      ...CONNECTION_OPTIONS,
      file: { type: 'string', short: 'f' },
      column: { type: 'string', short: 'c' },
      yes: { type: 'boolean' },
      'batch-size': { type: 'string' },
      'failed-out': { type: 'string' },
    },
    build: (values, positionals) => {
      const annotationId = annotationIdOf(positionals, 'delete', ' [imageId ...] [--file ids.txt] --yes');
      const imageIds = positionals.slice(1);
      if (imageIds.length > 0 && values.file !== undefined)
        throw new CommandError('Give image IDs either as arguments or with --file, not both');
      return {
        ...connectionFlags(values),
        annotationId,
        imageIds,
        file: textOption(values, 'file'),
        column: textOption(values, 'column'),
        yes: values.yes === true,
        batchSize: writeBatchSize(values, 'deletes'),
        failedOut: textOption(values, 'failed-out'),
      };
    },
  });
  if (typeof command === 'number') return command;

  // Every ID is read and checked before the embedded emulator starts or a request is sent.
  let imageIds: readonly string[];
  try {
    imageIds = checkIds(await readIds(command, io));
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }
  if (!command.yes) {
    return fail(
      io,
      `this would delete ${imageIds.length.toLocaleString('en-US')} image(s) of job ${command.annotationId} and their tags for good; add --yes to do it`,
    );
  }
  return withTarget(command, io, { writes: 'deleting images' }, async (target) => {
    const progress = !command.quiet && io.stderr.isTTY === true ? new ProgressBar({ stream: io.stderr }) : undefined;
    let result;
    try {
      result = await target.client.deleteImages(command.annotationId, imageIds, {
        onError: 'collect',
        batchSize: command.batchSize,
        ...(progress ? { onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) } : {}),
      });
    } finally {
      progress?.finish();
    }
    const note = ' (IDs the job did not hold count as deleted: the service ignores them)';
    return finishWrite(result, { ...command, verb: 'deleted', what: '', note }, target, io);
  });
}
