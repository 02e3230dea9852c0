import {
  IncompleteListingError,
  type FailedImage,
  type GetAllImageTagsOptions,
  type ImageTags,
  type ImageTagsResult,
  type ModelArtsClient,
} from '@modelarts-kit/client';
import type { GetCommand } from '../args.js';
import { checkAnnotationId } from '../id-input.js';
import { reportIncomplete, writeIncompleteFiles } from '../incomplete.js';
import { csvHeader, csvRows, toTable } from '../output-formats.js';
import { ProgressBar } from '../progress-bar.js';
import { InputError } from '../read-ids.js';
import { writeReportFile } from '../report-file.js';
import type { CliIo } from '../run-cli.js';
import { StreamedList } from '../stream-output.js';
import { checkTag } from './images.js';
import { CommandError, fail, NAME } from './job-images.js';
import { connect, describeFailure, outputFormat } from './job-target.js';
import { tableStyle } from './table-style.js';

/**
 * `get <job> --all`: the tags of every image of the job (or of --tag / --untagged), listed by the
 * client and fetched in batches, written batch by batch as they come. Missing and failed images
 * are kept (IDs and errors only) for stderr and --missing-out / --failed-out; the images themselves
 * only when --report needs them.
 */
export async function runGetAll(command: GetCommand, io: CliIo): Promise<number> {
  try {
    checkAnnotationId(command.annotationId);
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }
  let target;
  try {
    target = await connect(command, io, { tuning: { batchSize: command.batchSize, concurrency: command.concurrency } });
  } catch (error) {
    if (error instanceof CommandError) return fail(io, error.message);
    throw error;
  }
  const format = outputFormat(command.format, io);
  const lists = {
    jobType: 'unknown' as ImageTagsResult['jobType'],
    missing: [] as string[],
    failed: [] as FailedImage[],
    requestIds: [] as string[],
  };
  const kept: ImageTags[] = [];
  const output = new StreamedList<ImageTags>({
    format,
    out: io.stdout,
    head: { annotationId: command.annotationId },
    arrayKey: 'images',
    json: (image) => image,
    csvHeader: (first) => csvHeader(first.some((image) => image.type === 'detection')),
    csvRows: (image) => csvRows(image, image.type === 'detection'),
    // IDs are 32 characters and sizes at most 9 (1920×1080) in practice: batches line up.
    table: (images) => toTable(images, { columns: tableStyle(io).maxWidth, style: tableStyle(io).style, minWidths: [32, 9] }),
  });
  const progress = !command.quiet && io.stderr.isTTY === true ? new ProgressBar({ stream: io.stderr }) : undefined;
  const startedAt = performance.now();
  let stopped: unknown;
  try {
    if (command.tag !== undefined) await checkTag(target.client, command.annotationId, command.tag);
    const total = progress ? await expectedImages(target.client, command) : undefined;
    // Every image once, even if the job changes between the tagged and the untagged pass.
    const seen = new Set<string>();
    let doneBefore = 0;
    for (const pass of passes(command)) {
      let doneInPass = 0;
      const options: GetAllImageTagsOptions = {
        ...pass,
        ...(command.perPage !== undefined ? { perPage: command.perPage } : {}),
        ...(progress
          ? {
              onProgress: ({ done, total: listed }: { done: number; total: number }) => {
                doneInPass = done;
                progress.update(doneBefore + done, Math.max(total ?? 0, doneBefore + listed));
              },
            }
          : {}),
      };
      for await (const batch of target.client.iterateAllImageTags(command.annotationId, options)) {
        const images = batch.images.filter((image) => !seen.has(image.imageId));
        for (const image of images) seen.add(image.imageId);
        if (lists.jobType === 'unknown' && images[0]) lists.jobType = images[0].type;
        output.write(images);
        if (command.report !== undefined) kept.push(...images);
        lists.missing.push(...batch.missing);
        lists.failed.push(...batch.failed);
        if (batch.requestId) lists.requestIds.push(batch.requestId);
      }
      doneBefore += doneInPass;
    }
  } catch (error) {
    stopped = error;
  } finally {
    progress?.finish();
  }
  try {
    output.end({
      jobType: lists.jobType,
      missing: lists.missing,
      failed: lists.failed.map(({ imageId, error }) => ({ imageId, error: error.toJSON() })),
      requestIds: lists.requestIds,
    });
    const settled = output.count + lists.missing.length + lists.failed.length;
    if (stopped !== undefined && settled === 0) return fail(io, describeFailure(stopped, target));
    const elapsedMs = performance.now() - startedAt;
    if (command.report !== undefined) {
      await writeReportFile(
        command.report,
        { annotationId: command.annotationId, result: { ...lists, images: kept }, elapsedMs },
        target,
        io,
        command.quiet,
      );
    }
    await writeIncompleteFiles(lists, command, io);
    if (!command.quiet) {
      io.stderr.write(
        `${NAME}: job ${command.annotationId} (${lists.jobType}): ${output.count.toLocaleString('en-US')} image(s) written, ${lists.missing.length} missing, ${lists.failed.length} failed; ${lists.requestIds.length} request(s) in ${(elapsedMs / 1000).toFixed(1)} s\n`,
      );
    }
    const incomplete = reportIncomplete(lists, command.annotationId, io, command);
    if (stopped !== undefined) {
      const what = stopped instanceof IncompleteListingError ? 'the image list is incomplete' : 'the listing stopped';
      fail(io, `${what} after ${settled.toLocaleString('en-US')} image(s), which are written: ${describeFailure(stopped, target)}`);
      return 2;
    }
    return incomplete ? 2 : 0;
  } catch (error) {
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  } finally {
    await target.close();
  }
}

/** Every image: the tagged ones, then the untagged ones; or just what --tag / --untagged selects. */
function passes(command: GetCommand): Pick<GetAllImageTagsOptions, 'tag' | 'untagged'>[] {
  if (command.tag !== undefined) return [{ tag: command.tag }];
  if (command.untagged) return [{ untagged: true }];
  return [{}, { untagged: true }];
}

/** The progress bar's total, from the job's statistics (the listing finds its own count as it goes). */
async function expectedImages(client: ModelArtsClient, command: GetCommand): Promise<number | undefined> {
  const statistics = await client.getTagStatistics(command.annotationId);
  if (command.tag !== undefined) return statistics.tags.find(({ tag }) => tag === command.tag)?.count;
  if (command.untagged) return statistics.untagged;
  return statistics.tagged === undefined || statistics.untagged === undefined ? undefined : statistics.tagged + statistics.untagged;
}
