import { ModelArtsError, type ModelArtsErrorDetails } from './errors.js';
import type { ImageTagsResult } from './types.js';

/** Thrown by `getImageTags` with `onError: 'throw'` when some IDs failed; nothing fetched is lost. */
export class PartialResultError extends ModelArtsError {
  override name = 'PartialResultError';
  readonly result: ImageTagsResult;

  constructor(result: ImageTagsResult) {
    const first = result.failed[0]!.error;
    const found = result.images.length + result.missing.length;
    super(
      `${result.failed.length} of ${found + result.failed.length} image IDs failed (the rest are in error.result): ${first.message}`,
      detailsOf(first),
    );
    this.result = result;
  }
}

/** The details of an error that stands for some failures: those of the first, which is its cause. */
export function detailsOf(first: ModelArtsError): ModelArtsErrorDetails {
  return {
    status: first.status,
    errorCode: first.errorCode,
    errorMsg: first.errorMsg,
    requestId: first.requestId,
    attempts: first.attempts,
    cause: first,
  };
}
