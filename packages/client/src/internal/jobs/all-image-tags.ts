import type { StopSignal } from '../batching/call-stop.js';
import type { GetAllImageTagsOptions, ListedImage, ListImagesParams } from '../../core/annotation-types.js';
import { ModelArtsError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import { IncompleteListingError } from '../../core/job-errors.js';
import { PartialResultError } from '../../core/partial-result-error.js';
import type { ImageOutcome, ImageTagsBatch, ImageTagsResult } from '../../core/types.js';
import { jobTypeOf, retypeAmbiguous } from '../response/to-image-tags.js';
import { asModelArtsError } from '../retry/retry-loop.js';
import { assertKnownOptions, checkOnError, ITERATE_IMAGE_TAGS_OPTIONS, optionalFunction } from '../options/validate.js';
import { type Job, jobSettings } from '../batching/job.js';
import { runJob } from '../batching/schedule.js';
import { sortOutcomes, withPerIdOutcomes } from '../batching/settle.js';
import { streamFrom } from '../streaming/stream-batches.js';
import { Call, type OperationContext } from './call.js';
import { imageSelection, listImagePages } from './list-images.js';

const OPTIONS = [...ITERATE_IMAGE_TAGS_OPTIONS, 'tag', 'untagged', 'perPage'];

/**
 * Every listed image's tags, as getImageTags batches: the listing runs one
 * window of IDs ahead (concurrency x batchSize IDs, listed while the window
 * before is fetched), and each window goes through the same scheduler as
 * getImageTags (batching, concurrency, retries, splitting on 400, fatal
 * stop, onProgress), so the fault tolerance is the same.
 *
 * Every image comes exactly once: the listing drops repeats from adjacent
 * pages, and the IDs already sent are kept in a set (about 100 bytes per
 * image; the tags fetched are far larger), so a repeat from anywhere in the
 * listing is dropped too. Progress counts settled images of the images
 * listed so far (or of the service's count, when it gives one).
 */
export function iterateAllImageTags(
  context: OperationContext,
  annotationId: string,
  options: GetAllImageTagsOptions = {},
): AsyncGenerator<ImageTagsBatch> {
  assertKnownOptions(options, OPTIONS, 'getAllImageTags');
  // Checked as listImages checks them: tag and untagged together are refused, not one silently dropped.
  const selection = imageSelection({ annotationId, tag: options.tag, untagged: options.untagged } as ListImagesParams, options.perPage);
  const { defaults, runtime } = context;
  const settings = jobSettings(options, defaults);
  optionalFunction(options.onProgress, 'onProgress');
  const startListing = Call.later(context, options);
  const windowSize = settings.batchSize * settings.concurrency;

  return streamFrom<ImageTagsBatch>(
    async (push, consumerGone) => {
      // Both start at the first next(): the deadline covers the listing and every tags/show request.
      const started = runtime.now();
      const listCall = startListing();
      let expected: number | undefined;
      const listing = listImagePages(listCall, selection, (count) => {
        expected = count;
      });
      const sent = new Set<string>();
      let listed = 0;
      let settledBefore = 0;
      const total = (): number => Math.max(listed, expected ?? 0);

      /**
       * The next window of new IDs; fewer than windowSize at the end of the
       * listing. When the listing fails, the IDs listed before still make
       * their window, and the failure is thrown by the call after it.
       */
      let pending: string[] = [];
      let listingEnded = false;
      let listingError: unknown;
      const nextWindow = async (): Promise<string[]> => {
        while (pending.length < windowSize && !listingEnded) {
          let step: IteratorResult<ListedImage[]>;
          try {
            step = await listing.next();
          } catch (error) {
            [listingEnded, listingError] = [true, error];
            break;
          }
          if (step.done) listingEnded = true;
          else {
            for (const image of step.value) {
              if (sent.has(image.imageId)) continue;
              sent.add(image.imageId);
              pending.push(image.imageId);
              listed++;
            }
          }
        }
        const window = pending.slice(0, windowSize);
        pending = pending.slice(windowSize);
        if (window.length === 0 && listingError !== undefined) throw listingError;
        return window;
      };

      const signal = options.signal ? AbortSignal.any([options.signal, consumerGone]) : consumerGone;
      try {
        let upcoming = nextWindow();
        for (;;) {
          const ids = await upcoming;
          if (ids.length === 0) break;
          upcoming = nextWindow();
          upcoming.catch(() => undefined);
          const job: Job = { annotationId: selection.annotationId, ids, ...settings };
          const scheduleContext = {
            runtime,
            logger: context.logger,
            send: (imageIds: readonly string[], attemptSignal: StopSignal) =>
              context.sender.send(selection.annotationId, imageIds, settings.timeoutMs, attemptSignal),
          };
          const deadlineMs = options.deadlineMs === undefined ? undefined : Math.max(1, options.deadlineMs - (runtime.now() - started));
          let fatal: ModelArtsError | undefined;
          await runJob(
            job,
            scheduleContext,
            { signal, deadlineMs, onProgress: (p) => options.onProgress?.({ done: settledBefore + p.done, total: total() }) },
            (slice) => {
              fatal ??= slice.outcomes.find((o): o is ModelArtsError => o instanceof ModelArtsError && o.fatal);
              return push(
                withPerIdOutcomes(
                  {
                    ...sortOutcomes(slice.ids, slice.outcomes),
                    requestId: slice.requestId,
                    done: settledBefore + slice.done,
                    total: total(),
                  },
                  slice.ids,
                  slice.outcomes,
                ),
              );
            },
          );
          settledBefore += ids.length;
          // Bad credentials, a missing job, the deadline: the next window would fail the same way.
          if (fatal) throw fatal;
        }
      } finally {
        listCall.close();
      }
    },
    Math.max(1, settings.concurrency),
  );
}

/**
 * The collect form: every batch gathered into one ImageTagsResult. When the
 * listing fails after some images were fetched, the IncompleteListingError
 * carries them in `result`; when it fails at once, its own error is thrown.
 */
export async function getAllImageTags(
  context: OperationContext,
  annotationId: string,
  options: GetAllImageTagsOptions & { onError?: 'throw' | 'collect' } = {},
): Promise<ImageTagsResult> {
  const { onError, ...rest } = options;
  checkOnError(onError);
  const batches: ImageTagsBatch[] = [];
  const fields: Omit<ImageTagsResult, 'outcomes'> = { jobType: 'unknown', images: [], missing: [], failed: [], requestIds: [] };
  // Not enumerable, as in getImageTags: JSON of the result stays the same.
  const result = Object.defineProperty(fields, 'outcomes', {
    enumerable: false,
    get: () => outcomesOf(batches, fields.images),
  }) as ImageTagsResult;
  try {
    for await (const batch of iterateAllImageTags(context, annotationId, rest)) {
      batches.push(batch);
      result.images.push(...batch.images);
      result.missing.push(...batch.missing);
      result.failed.push(...batch.failed);
      if (batch.requestId) result.requestIds.push(batch.requestId);
    }
  } catch (caught) {
    const error = asModelArtsError(caught);
    if (batches.length === 0 || error instanceof IncompleteListingError) {
      if (error instanceof IncompleteListingError && batches.length > 0) throw withResult(error, finish(result));
      throw error;
    }
    throw new IncompleteListingError(
      `Getting the tags of annotation job ${annotationId} stopped after ${result.images.length + result.missing.length + result.failed.length} images (they are in error.result): ${error.message}`,
      {
        listed: result.images.length + result.missing.length + result.failed.length,
        requestId: error.requestId,
        cause: error,
        result: finish(result),
      },
    );
  }
  finish(result);
  if (result.failed.length > 0 && onError !== 'collect') throw new PartialResultError(result);
  return result;
}

function finish(result: ImageTagsResult): ImageTagsResult {
  retypeAmbiguous(result.images);
  result.jobType = jobTypeOf(result.images);
  return result;
}

function withResult(error: IncompleteListingError, result: ImageTagsResult): IncompleteListingError {
  return new IncompleteListingError(error.message, { listed: error.listed, expected: error.expected, requestId: error.requestId, result });
}

/** The per-ID view over all batches, with the result's (retyped) images. */
function outcomesOf(batches: readonly ImageTagsBatch[], images: readonly ImageTags[]): ImageOutcome[] {
  const outcomes: ImageOutcome[] = [];
  let found = 0;
  for (const batch of batches) {
    for (const outcome of batch.outcomes) outcomes.push(outcome.status === 'found' ? { ...outcome, image: images[found++]! } : outcome);
  }
  return outcomes;
}
