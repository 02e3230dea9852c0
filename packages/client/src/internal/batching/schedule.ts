import { BadRequestError } from '../../core/api-errors.js';
import type { Runtime } from '../../core/clock.js';
import { CallbackError } from '../../core/callback-error.js';
import { AbortError, DeadlineExceededError, type ModelArtsError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import type { GetImageTagsOptions, Logger } from '../../core/types.js';
import { abortReason, asModelArtsError, withRetries } from '../retry/retry-loop.js';
import { positiveInt } from '../options/validate.js';
import { startTimer } from '../timer.js';
import { CallStop, type StopSignal } from './call-stop.js';
import type { Job } from './job.js';
import { alignWithIds, type SettledSlice, type Slice, type SliceOutcome } from './settle.js';

/** Sends one batch of IDs (with its retries); resolves with the entries found. */
export type SendBatch = (
  imageIds: readonly string[],
  signal: StopSignal,
) => Promise<{ images: ImageTags[]; requestId: string | undefined }>;

export interface ScheduleContext {
  send: SendBatch;
  runtime: Runtime;
  logger: Logger | undefined;
}

/** A batch-size limit answers 400 (or 413): halving the batch finds what the service accepts. */
function splitsTheBatch(error: ModelArtsError): boolean {
  return error instanceof BadRequestError || error.status === 413;
}

/**
 * Runs the job with a pool of workers that take the next slice of IDs
 * from a shared cursor, and hands each settled slice to `deliver`. A 400 on
 * a multi-ID batch splits it in halves, so a service-side batch limit or
 * one bad ID costs only that ID, and later batches use the smaller size. A
 * fatal error (see ModelArtsError.fatal) stops sending: the IDs not yet
 * sent fail with it. So does a throwing `onProgress`, whose CallbackError
 * the returned promise rejects with once every ID is settled; what was
 * fetched is kept, and each ID is counted in the progress once.
 */
export async function runJob(
  job: Job,
  context: ScheduleContext,
  options: Pick<GetImageTagsOptions, 'signal' | 'deadlineMs' | 'onProgress'>,
  deliver: (slice: SettledSlice) => Promise<void>,
): Promise<void> {
  const total = job.ids.length;
  const callControl = new CallStop();
  const cleanups = stopOnSignalOrDeadline(callControl, options, context.runtime);

  let cursor = 0;
  let batchSize = job.batchSize;
  let done = 0;
  let stopError: ModelArtsError | undefined;
  let callbackFailure: CallbackError | undefined;
  // Once a lone ID is rejected, a 400 is about the IDs, not the batch size: stop splitting.
  let sawSingleIdRejected = false;
  const pending: Slice[] = [];

  const reportProgress = (): void => {
    if (!options.onProgress || callbackFailure) return;
    try {
      options.onProgress({ done, total });
    } catch (thrown) {
      // Called no more: the call stops as if a fatal answer had come, and cancels what is in flight.
      callbackFailure = new CallbackError('onProgress', thrown);
      stopError ??= callbackFailure;
      callControl.abort(callbackFailure);
    }
  };
  const settle = async (slice: Slice, outcomes: SliceOutcome[], requestId?: string): Promise<void> => {
    done += outcomes.length;
    reportProgress();
    // Field by field: a spread of the slice here was a tenth of a small call's CPU time.
    await deliver({ start: slice.start, ids: slice.ids, outcomes, requestId, done, total });
  };
  const settleFailed = (slice: Slice, error: ModelArtsError): Promise<void> =>
    settle(
      slice,
      slice.ids.map(() => error),
    );

  const nextSlice = (): Slice | undefined => {
    if (pending.length > 0) return pending.shift();
    if (cursor >= total) return undefined;
    const slice = { start: cursor, ids: job.ids.slice(cursor, cursor + batchSize) };
    cursor += slice.ids.length;
    return slice;
  };

  const worker = async (maxSlices = Number.POSITIVE_INFINITY): Promise<void> => {
    for (let taken = 0, slice = taken < maxSlices ? nextSlice() : undefined; slice; slice = ++taken < maxSlices ? nextSlice() : undefined) {
      const reason = stopError ?? abortReason(callControl);
      if (reason) {
        await settleFailed(slice, reason);
        continue;
      }
      let answer: Awaited<ReturnType<SendBatch>>;
      try {
        const ids = slice.ids;
        answer = await withRetries(
          (signal) => context.send(ids, signal),
          `${ids.length} image IDs`,
          job.policy,
          callControl,
          context.runtime,
          context.logger,
        );
      } catch (caught) {
        const error = asModelArtsError(caught);
        if (splitsTheBatch(error) && slice.ids.length > 1 && !sawSingleIdRejected) {
          const half = Math.ceil(slice.ids.length / 2);
          batchSize = Math.min(batchSize, half);
          pending.unshift({ start: slice.start, ids: slice.ids.slice(0, half) }, { start: slice.start + half, ids: slice.ids.slice(half) });
          continue;
        }
        if (splitsTheBatch(error)) sawSingleIdRejected = true;
        if (error.fatal) stopError ??= error;
        context.logger?.warn?.(`${slice.ids.length} image IDs failed: ${error.message}`);
        await settleFailed(slice, error);
        continue;
      }
      // Outside the try: nothing that happens while settling can turn a fetched slice into a failed one.
      await settle(slice, alignWithIds(slice.ids, answer.images), answer.requestId);
    }
  };

  try {
    // The first batch goes alone: wrong credentials then cost one rejected
    // request, not a wave of them (the gateway locks an AK after 5 in a row).
    await worker(1);
    const workers = Math.min(job.concurrency, Math.ceil((total - cursor) / batchSize) + pending.length);
    if (workers > 0) await Promise.all(Array.from({ length: workers }, () => worker()));
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
  if (callbackFailure) throw callbackFailure;
}

/** Aborts `callControl` when the caller's signal fires or the deadline passes; returns what undoes the wiring. */
export function stopOnSignalOrDeadline(
  callControl: Pick<AbortController, 'abort'>,
  options: Pick<GetImageTagsOptions, 'signal' | 'deadlineMs'>,
  runtime: Runtime,
): (() => void)[] {
  const cleanups: (() => void)[] = [];
  const userSignal = options.signal;
  if (userSignal) {
    const onAbort = (): void => callControl.abort(new AbortError('The call was aborted by its AbortSignal'));
    if (userSignal.aborted) onAbort();
    else {
      userSignal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => userSignal.removeEventListener('abort', onAbort));
    }
  }
  if (options.deadlineMs !== undefined) {
    const deadlineMs = positiveInt(options.deadlineMs, 'deadlineMs', 1);
    cleanups.push(
      startTimer(runtime, deadlineMs, () =>
        callControl.abort(new DeadlineExceededError(`The call did not finish within deadlineMs (${deadlineMs} ms)`)),
      ),
    );
  }
  return cleanups;
}
