import { ModelArtsError, type ModelArtsErrorDetails } from './errors.js';
import type { ImageTagsResult } from './types.js';
import type { WriteResult } from './annotation-types.js';
import { detailsOf } from './partial-result-error.js';

/* The errors of the annotation-job operations that are not about one HTTP request. */

/** The OBS sync reported status 2 (failed). */
export class ObsSyncFailedError extends ModelArtsError {
  override name = 'ObsSyncFailedError';
  constructor(annotationId: string, details: ModelArtsErrorDetails = {}) {
    super(
      `The OBS sync of annotation job ${annotationId} failed (sync_status 2); check the job's OBS path and permissions, then sync again`,
      details,
    );
  }
}

/**
 * A listing ended before it had every image: a page failed after earlier
 * pages were delivered, or the service's count says images were not
 * listed. `listed` is how many distinct entries came; `expected` the
 * service's count when it gave one; `result` what was fetched (collect forms).
 */
export class IncompleteListingError extends ModelArtsError {
  override name = 'IncompleteListingError';
  readonly listed: number;
  readonly expected: number | undefined;
  readonly result: ImageTagsResult | undefined;

  constructor(message: string, details: ModelArtsErrorDetails & { listed: number; expected?: number; result?: ImageTagsResult }) {
    super(message, details);
    this.listed = details.listed;
    this.expected = details.expected;
    this.result = details.result;
  }

  override get retryable(): boolean {
    return this.cause instanceof ModelArtsError && this.cause.retryable;
  }
}

/** Thrown by setImageTags and deleteImages (onError 'throw') when some images failed; `result` says which were written. */
export class PartialWriteError extends ModelArtsError {
  override name = 'PartialWriteError';
  readonly result: WriteResult;

  constructor(what: string, result: WriteResult) {
    const first = result.failed[0]!.error;
    const total = result.succeeded.length + result.failed.length;
    super(`${what}: ${result.failed.length} of ${total} images failed (the rest are in error.result): ${first.message}`, detailsOf(first));
    this.result = result;
  }
}
