import type { ListedImage, ModelArtsClient } from '@modelarts-kit/client';
import { renderTable } from '../../shared/text-table.js';
import { FORMATS, type OutputFormat } from '../output-formats.js';
import { ProgressBar } from '../progress-bar.js';
import type { CliIo } from '../run-cli.js';
import { StreamedList } from '../stream-output.js';
import { CommandError, fail, NAME, parseCommand } from './job-images.js';
import {
  annotationIdOf,
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  connect,
  connectionFlags,
  describeFailure,
  formatOption,
  outputFormat,
  perPageOption,
  textOption,
  type ConnectionFlags,
} from './job-target.js';
import { tableStyle } from './table-style.js';

export const IMAGES_USAGE = `Usage: ${NAME} images <annotationId> [--tag TAG | --untagged] [options]

Lists the images of a job: every tagged image (default), those that carry TAG, or the untagged ones.
The list is fetched page by page and written as it comes, so memory stays flat for any job size.

  --tag TAG                only images that carry TAG (an unknown tag is an error naming the job's tags)
  --untagged               only images without a tag
  --per-page N             images per request, 1 to 100 (default 100)
  --format FORMAT          ${FORMATS.join(', ')} (default: table on a terminal, ndjson when piped)
                           ndjson: {"imageId","url","tags"?} per line; csv: image_id,url
${CONNECTION_HELP}
Exit status: 0 listed, 2 the listing stopped part-way (what was listed is written), 1 an error.
Pipe the IDs into "${NAME} get", e.g.: ${NAME} images 287 --untagged --format csv | ${NAME} get 287
`;

export interface ImageSelectionFlags {
  annotationId: string;
  tag: string | undefined;
  untagged: boolean;
  perPage: number | undefined;
}

interface ImagesCommand extends ConnectionFlags, ImageSelectionFlags {
  format: OutputFormat | undefined;
}

/** --tag / --untagged / --per-page, checked before anything starts. */
export function imageSelectionFlags(values: Record<string, string | boolean | undefined>, annotationId: string): ImageSelectionFlags {
  const tag = textOption(values, 'tag');
  if (tag !== undefined && values.untagged === true) throw new CommandError('Give either --tag or --untagged, not both');
  if (tag === '__none__') throw new CommandError('--tag __none__ is how the service names the untagged images: use --untagged');
  return { annotationId, tag, untagged: values.untagged === true, perPage: perPageOption(values) };
}

export const SELECTION_OPTIONS = { tag: { type: 'string' }, untagged: { type: 'boolean' }, 'per-page': { type: 'string' } } as const;

/** `modelarts-tags images`: the exit status. */
export async function runImages(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand<ImagesCommand>(argv, io, {
    name: 'images',
    usage: IMAGES_USAGE,
    options: { ...CONNECTION_OPTIONS, ...SELECTION_OPTIONS, format: { type: 'string' } },
    build: (values, positionals) => {
      if (positionals.length > 1) throw new CommandError(`"${NAME} images" takes one job ID; filter with --tag or --untagged`);
      const annotationId = annotationIdOf(positionals, 'images', ' [--tag TAG | --untagged]');
      return { ...connectionFlags(values), ...imageSelectionFlags(values, annotationId), format: formatOption(values) };
    },
  });
  if (typeof command === 'number') return command;
  let target;
  try {
    target = await connect(command, io);
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  const list = new StreamedList<ListedImage>({
    format: outputFormat(command.format, io),
    out: io.stdout,
    head: { annotationId: command.annotationId, ...(command.tag !== undefined ? { tag: command.tag } : {}), untagged: command.untagged },
    arrayKey: 'images',
    json: listedImageJson,
    csvHeader: () => ['image_id', 'url'],
    csvRows: (image) => [[image.imageId, image.url]],
    table: (images) =>
      renderTable(
        [{ header: 'IMAGE ID' }, { header: 'URL' }],
        images.map((image) => [image.imageId, image.url ?? '-']),
        tableStyle(io),
      ),
  });
  const progress = !command.quiet && io.stderr.isTTY === true ? new ProgressBar({ stream: io.stderr }) : undefined;
  try {
    const expected = await checkSelection(target.client, command, progress !== undefined);
    const perPage = command.perPage ?? 100;
    const selection = command.untagged
      ? { annotationId: command.annotationId, untagged: true as const }
      : { annotationId: command.annotationId, tag: command.tag as string };
    let page: ListedImage[] = [];
    for await (const image of target.client.listImages(selection, { perPage })) {
      page.push(image);
      if (page.length < perPage) continue;
      list.write(page);
      page = [];
      progress?.update(list.count, Math.max(expected ?? 0, list.count));
    }
    list.write(page);
    progress?.finish();
    list.end({ count: list.count });
    if (!command.quiet) io.stderr.write(`${NAME}: ${list.count.toLocaleString('en-US')} image(s) of job ${command.annotationId} listed\n`);
    return 0;
  } catch (error) {
    progress?.finish();
    if (list.count === 0) return fail(io, describeFailure(error, target));
    list.end({ count: list.count, incomplete: true });
    fail(
      io,
      `the listing stopped after ${list.count.toLocaleString('en-US')} image(s), which are written: ${describeFailure(error, target)}`,
    );
    return 2;
  } finally {
    await target.close();
  }
}

/**
 * An unknown --tag is an error naming the job's tags (the image list would just be empty); with a
 * progress bar, the image count of the statistics is its total. Unknown jobs fail here, before any output.
 */
async function checkSelection(client: ModelArtsClient, selection: ImageSelectionFlags, wantCount: boolean): Promise<number | undefined> {
  if (selection.tag !== undefined) await checkTag(client, selection.annotationId, selection.tag);
  if (!wantCount) return undefined;
  const statistics = await client.getTagStatistics(selection.annotationId);
  if (selection.untagged) return statistics.untagged;
  if (selection.tag !== undefined) return statistics.tags.find(({ tag }) => tag === selection.tag)?.count;
  return statistics.tagged;
}

/** Throws a CommandError naming the job's tags when no image of the job carries `tag`. */
export async function checkTag(client: ModelArtsClient, annotationId: string, tag: string): Promise<void> {
  const tags = await client.getTagList(annotationId);
  if (tags.includes(tag)) return;
  const shown = tags.length <= 20 ? tags.join(', ') : `${tags.slice(0, 20).join(', ')} and ${tags.length - 20} more`;
  throw new CommandError(`job ${annotationId} has no tag "${tag}"; its tags: ${shown || '(none yet)'}`);
}

/** `{imageId, url, tags, size}`: the tags as `get` writes them, when the listing carried them. */
function listedImageJson({ imageId, url, tags }: ListedImage): Record<string, unknown> {
  const entry: Record<string, unknown> = { imageId };
  if (url !== undefined) entry.url = url;
  if (tags) {
    entry.tags = tags.type === 'detection' ? tags.tags.map(({ tag, box }) => ({ tag, box })) : tags.tags;
    if (tags.type === 'detection' && tags.size) entry.size = tags.size;
  }
  return entry;
}
