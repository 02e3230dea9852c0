import { InputValidationError, type ImageTagsInput, type ModelArtsClient } from '@modelarts-kit/client';
import { checkImageTagsInput } from '@modelarts-kit/client/core';
import { printableInline } from '../../shared/printable.js';
import { readFileLines } from '../id-input.js';
import { readLines } from '../input-stream.js';
import { ProgressBar } from '../progress-bar.js';
import { InputError, MAX_INPUT_IDS } from '../read-ids.js';
import type { CliIo } from '../run-cli.js';
import { readTagsFile, type TagsFile } from '../tags-file.js';
import { CommandError, fail, NAME, parseCommand } from './job-images.js';
import {
  annotationIdOf,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connectionFlags,
  describeFailure,
  textOption,
  withTarget,
  type ConnectionFlags,
} from './job-target.js';
import { finishWrite, WRITE_EXIT_HELP, writeBatchSize } from './write-summary.js';

export const SET_USAGE = `Usage: ${NAME} set <annotationId> --file tags.jsonl [options]

Writes the tags of images of a job, replacing what they had. The file holds one JSON object per line:
  {"image_id": "…", "tags": ["cat", "dog"]}                                          classification
  {"image_id": "…", "tags": [{"tag": "car", "pos": [xmin, ymin, xmax, ymax]}], "size": [w, h]}   detection
(the ndjson that "${NAME} get" writes is accepted too: imageId, boxes as "box": {xmin, ...}).

Everything is checked before anything is written: each line (JSON, fields, boxes with xmin < xmax,
ymin < ymax, inside the size), then that every image is in the job and the tags fit the job's type
(boxes for detection, names for classification); boxes without a size are checked against the
image's size in the job. A problem is named with its line, and nothing is written.

  -f, --file PATH          the JSON Lines file; - for stdin (read as a stream: UTF-8, at most
                           ${MAX_INPUT_IDS.toLocaleString('en-US')} images, 64 KB per line)
  --batch-size N           images per request (default 1000)
  --failed-out FILE        write every image that failed, with its error, as CSV
${CONNECTION_HELP}  Against the embedded emulator, the tags change only in its memory, for this one command.

${WRITE_EXIT_HELP}`;

interface SetCommand extends ConnectionFlags {
  annotationId: string;
  file: string;
  batchSize: number;
  failedOut: string | undefined;
}

/** `modelarts-tags set`: the exit status. */
export async function runSet(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<SetCommand>(argv, io, {
    name: 'set',
    usage: SET_USAGE,
    options: {
      ...CONNECTION_OPTIONS,
      file: { type: 'string', short: 'f' },
      'batch-size': { type: 'string' },
      'failed-out': { type: 'string' },
    },
    build: (values, positionals) => {
      if (positionals.length > 1) throw new CommandError(`"${NAME} set" takes one job ID; the tags come from --file`);
      const annotationId = annotationIdOf(positionals, 'set', ' --file tags.jsonl');
      const file = textOption(values, 'file');
      if (file === undefined)
        throw new CommandError('--file is required: a JSON Lines file of {"image_id", "tags", "size"?} (- for stdin)');
      return {
        ...connectionFlags(values),
        annotationId,
        file,
        batchSize: writeBatchSize(values, 'writes'),
        failedOut: textOption(values, 'failed-out'),
      };
    },
  });
  if (typeof command === 'number') return command;

  // The whole file is read and checked, by the client's rule for writes, before the embedded emulator starts or a
  // request is sent. Boxes without a size are checked against the image's size once the job is read.
  let tags: TagsFile;
  try {
    tags = await readInput(command.file, io);
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }
  try {
    tags.images = checkImageTagsInput(tags.images);
  } catch (error) {
    if (error instanceof InputValidationError && error.index !== undefined) return fail(io, lineProblem(tags.origins[error.index], error));
    throw error;
  }
  return withTarget(command, io, { writes: 'writing tags' }, async (target) => {
    try {
      await checkAgainstJob(target.client, command.annotationId, tags);
      const progress = !command.quiet && io.stderr.isTTY === true ? new ProgressBar({ stream: io.stderr }) : undefined;
      let result;
      try {
        result = await target.client.setImageTags(command.annotationId, tags.images, {
          onError: 'collect',
          batchSize: command.batchSize,
          ...(progress ? { onProgress: ({ done, total }: { done: number; total: number }) => progress.update(done, total) } : {}),
        });
      } finally {
        progress?.finish();
      }
      return await finishWrite(result, { ...command, verb: 'written', what: 'the tags of ' }, target, io);
    } catch (error) {
      if (error instanceof InputValidationError && error.index !== undefined)
        return fail(io, lineProblem(tags.origins[error.index], error));
      if (error instanceof CommandError) return fail(io, error.message);
      return fail(io, `${describeFailure(error, target)}; nothing was written`);
    }
  });
}

/** A problem the client found in the tags of one image, named by its line instead of its index. */
function lineProblem(origin: string | undefined, error: InputValidationError): string {
  return `${origin}: ${error.message.replace(/^images\[\d+\]\.?/, '')}; nothing was written`;
}

/** The tags file, or stdin for `-`, read line by line with the checks of ID lists. */
function readInput(path: string, io: CliIo): Promise<TagsFile> {
  if (path === '-') return readTagsFile((onLine) => readLines(io.stdin, 'stdin', onLine), 'stdin', MAX_INPUT_IDS);
  return readTagsFile((onLine) => readFileLines(path, '--file', io, onLine), printableInline(path), MAX_INPUT_IDS);
}

/**
 * Reads the images first (tags/show): an image the job does not hold, or tags of the other job type,
 * is an error naming the line before anything is written; boxes without a size get the image's size,
 * so the client checks that they lie inside it.
 */
async function checkAgainstJob(client: ModelArtsClient, annotationId: string, tags: TagsFile): Promise<void> {
  const current = await client.getImageTags(
    { annotationId, imageIds: tags.images.map((image) => image.imageId.trim()) },
    { onError: 'collect' },
  );
  const unread = current.failed[0];
  if (unread) {
    // A fatal error (credentials, an unknown job) is the command's error as it is; others are counted.
    if (unread.error.fatal) throw unread.error;
    throw new CommandError(
      `${current.failed.length} image(s) of job ${annotationId} could not be read to check them (${unread.error.message}); nothing was written`,
    );
  }
  const byId = new Map(current.images.map((image) => [image.imageId, image]));
  const unknown = tags.images.flatMap((image, index) =>
    byId.has(image.imageId.trim()) ? [] : [`${tags.origins[index]}: ${image.imageId}`],
  );
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).join('\n');
    throw new CommandError(
      `${unknown.length} image(s) are not in job ${annotationId}; nothing was written:\n${shown}${unknown.length > 10 ? `\n... and ${unknown.length - 10} more` : ''}`,
    );
  }
  tags.images.forEach((input, index) => {
    const image = byId.get(input.imageId.trim())!;
    const boxes = input.tags.some((tag) => typeof tag === 'object');
    const names = input.tags.some((tag) => typeof tag === 'string');
    if ((image.type === 'detection' && names) || (image.type === 'classification' && (boxes || 'size' in input))) {
      const wanted = image.type === 'detection' ? 'boxes ({"tag", "pos"})' : 'tag names';
      throw new CommandError(
        `${tags.origins[index]}: job ${annotationId} is ${image.type === 'detection' ? 'a detection' : 'a classification'} job, so its tags are ${wanted}; nothing was written`,
      );
    }
    if (image.type === 'detection' && image.size && !('size' in input && input.size)) {
      (input as Extract<ImageTagsInput, { size?: unknown }>).size = image.size;
    }
  });
}
