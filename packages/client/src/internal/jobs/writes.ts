import type { Progress } from '../../core/types.js';
import type { WriteResult } from '../../core/annotation-types.js';
import { CallbackError } from '../../core/callback-error.js';
import type { ModelArtsError } from '../../core/errors.js';
import { PartialWriteError } from '../../core/job-errors.js';
import { abortReason, asModelArtsError } from '../retry/retry-loop.js';
import type { Call } from './call.js';

/** The largest batch of a write, from the spec (`maxItems: 1000` of images and image_id). */
export const MAX_WRITE_BATCH = 1000;

export interface WritePlan<T> {
  what: string;
  /** One ID per item, in input order. */
  ids: readonly string[];
  items: readonly T[];
  batchSize: number;
  send: (call: Call, items: T[], what: string) => Promise<{ requestId: string | undefined }>;
  onProgress: ((progress: Progress) => void) | undefined;
  onError: unknown;
}

/**
 * Sends a write in batches, one after another. Each batch is one request
 * that the service applies as a whole, so each ID ends in `succeeded` or in
 * `failed` with its batch's error: nothing is lost or counted twice. A
 * batch that fails does not stop the others, unless its error is fatal
 * (credentials, missing job, deadline, abort): the IDs not yet sent then
 * fail with it, and no further request is made.
 */
export async function runWrite<T>(call: Call, plan: WritePlan<T>): Promise<WriteResult> {
  const result: WriteResult = { succeeded: [], failed: [], requestIds: [] };
  let stop: ModelArtsError | undefined;
  let callbackFailure: CallbackError<WriteResult> | undefined;
  try {
    for (let start = 0; start < plan.items.length; start += plan.batchSize) {
      const ids = plan.ids.slice(start, start + plan.batchSize);
      const reason = stop ?? abortReason(call.signal);
      if (reason) {
        for (const imageId of ids) result.failed.push({ imageId, error: reason });
      } else {
        try {
          const { requestId } = await plan.send(
            call,
            plan.items.slice(start, start + plan.batchSize),
            `${plan.what} of ${ids.length} images`,
          );
          result.succeeded.push(...ids);
          if (requestId) result.requestIds.push(requestId);
        } catch (caught) {
          const error = asModelArtsError(caught);
          if (error.fatal) stop = error;
          for (const imageId of ids) result.failed.push({ imageId, error });
        }
      }
      if (callbackFailure) continue;
      try {
        plan.onProgress?.({ done: Math.min(start + plan.batchSize, plan.items.length), total: plan.items.length });
      } catch (caught) {
        // Called no more: the write stops, as in getImageTags; what was written stays, the images not yet sent fail with it.
        callbackFailure = new CallbackError<WriteResult>('onProgress', caught);
        stop ??= callbackFailure;
      }
    }
  } finally {
    call.close();
  }
  if (callbackFailure) {
    callbackFailure.result = result;
    throw callbackFailure;
  }
  if (result.failed.length > 0 && plan.onError !== 'collect') throw new PartialWriteError(plan.what, result);
  return result;
}
