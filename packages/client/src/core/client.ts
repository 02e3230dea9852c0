import { AttemptSender } from '../internal/http/attempt.js';
import { type Job, type JobDefaults, prepareJob } from '../internal/batching/job.js';
import { runJob, type ScheduleContext } from '../internal/batching/schedule.js';
import { type SliceOutcome, sortOutcomes, withPerIdOutcomes } from '../internal/batching/settle.js';
import { jobTypeOf, retypeAmbiguous } from '../internal/response/to-image-tags.js';
import { resolveClientOptions } from '../internal/options/client-options.js';
import { streamFrom } from '../internal/streaming/stream-batches.js';
import { getAllImageTags, iterateAllImageTags } from '../internal/jobs/all-image-tags.js';
import type { OperationContext } from '../internal/jobs/call.js';
import { listImages } from '../internal/jobs/list-images.js';
import { listAllJobs, listJobs } from '../internal/jobs/list-jobs.js';
import * as reads from '../internal/jobs/reads.js';
import { syncFromObs } from '../internal/jobs/sync.js';
import { deleteImages, setImageTags } from '../internal/jobs/write-ops.js';
import type * as T from './annotation-types.js';
import type { ImageTags } from './image-tags.js';
import type { AuthStrategy } from './auth/strategies.js';
import { CallbackError } from './callback-error.js';
import type { Runtime } from './clock.js';
import { PartialResultError } from './partial-result-error.js';
import type { GetImageTagsOptions, GetImageTagsParams, ImageTagsBatch, ImageTagsResult, Logger, ModelArtsClientOptions } from './types.js';

/**
 * The ModelArts client of the core entry point. It references no timers,
 * `process` or `globalThis`: `runtime.sleep` must be given, and the
 * transport defaults to the global `fetch`. The package root's
 * `ModelArtsClient` is this class with Node.js defaults.
 */
export class ModelArtsCoreClient {
  readonly endpoint: string;
  readonly projectId: string;
  readonly #auth: AuthStrategy;
  readonly #runtime: Runtime;
  readonly #logger: Logger | undefined;
  readonly #sender: AttemptSender;
  readonly #defaults: JobDefaults;
  readonly #operations: OperationContext;

  constructor(options: ModelArtsClientOptions) {
    const settings = resolveClientOptions(options);
    this.endpoint = settings.endpoint;
    this.projectId = settings.projectId;
    this.#auth = settings.auth;
    this.#runtime = settings.runtime;
    this.#logger = settings.logger;
    this.#defaults = settings.defaults;
    this.#sender = new AttemptSender(settings);
    this.#operations = {
      sender: this.#sender,
      projectId: this.projectId,
      runtime: this.#runtime,
      logger: this.#logger,
      defaults: this.#defaults,
    };
  }

  /** The kind of auth in use (`token`, `aksk`, `none` or a custom strategy's kind); never the secret. */
  get authKind(): string {
    return this.#auth.kind;
  }

  /**
   * The tags of any number of images. IDs are trimmed and de-duplicated,
   * split into batches, fetched concurrently with retries, and returned in
   * input order. Every ID ends in exactly one of `images`, `missing` or
   * `failed`; `outcomes` gives the same facts by ID.
   */
  async getImageTags(params: GetImageTagsParams, options: GetImageTagsOptions = {}): Promise<ImageTagsResult> {
    const job = prepareJob(params, options, this.#defaults);
    const outcomes = new Array<SliceOutcome>(job.ids.length);
    const requestIds: string[] = [];
    let stoppedBy: CallbackError<ImageTagsResult> | undefined;
    try {
      await runJob(job, this.#contextFor(job), options, async (slice) => {
        for (let k = 0; k < slice.outcomes.length; k++) outcomes[slice.start + k] = slice.outcomes[k]!;
        if (slice.requestId) requestIds.push(slice.requestId);
      });
    } catch (error) {
      if (!(error instanceof CallbackError)) throw error;
      stoppedBy = error;
    }
    const result = withPerIdOutcomes(
      { jobType: 'unknown' as ImageTagsResult['jobType'], ...sortOutcomes(job.ids, outcomes), requestIds },
      job.ids,
      outcomes,
    );
    retypeAmbiguous(result.images);
    result.jobType = jobTypeOf(result.images);
    if (stoppedBy) {
      stoppedBy.result = result;
      throw stoppedBy;
    }
    if (result.failed.length > 0 && (options.onError ?? 'throw') === 'throw') {
      throw new PartialResultError(result);
    }
    return result;
  }

  /**
   * Yields results batch by batch as they complete, so memory stays flat
   * for huge jobs. Failed IDs are yielded in `failed`, never thrown.
   */
  async *iterateImageTags(params: GetImageTagsParams, options: Omit<GetImageTagsOptions, 'onError'> = {}): AsyncGenerator<ImageTagsBatch> {
    const job = prepareJob(params, options, this.#defaults, 'iterateImageTags');
    const capacity = Math.max(1, options.concurrency ?? this.#defaults.concurrency);
    yield* streamFrom<ImageTagsBatch>(async (push, consumerGone) => {
      const signal = options.signal ? AbortSignal.any([options.signal, consumerGone]) : consumerGone;
      await runJob(job, this.#contextFor(job), { ...options, signal }, (slice) =>
        push(
          withPerIdOutcomes(
            { ...sortOutcomes(slice.ids, slice.outcomes), requestId: slice.requestId, done: slice.done, total: slice.total },
            slice.ids,
            slice.outcomes,
          ),
        ),
      );
    }, capacity);
  }

  // Retries: reads, and the writes that are safe to repeat (setImageTags, deleteImages, saveValidation), retry
  // on 408/429/5xx, resets and timeouts; starting an OBS sync only when the failure proves it was not acted on.

  /** Every annotation job of the project, fetched page by page as you iterate; options are checked when called. */
  listJobs(options?: T.ListJobsOptions): AsyncGenerator<T.AnnotationJob> {
    return listJobs(this.#operations, options);
  }

  /** listJobs collected into one array. */
  listAllJobs(options?: T.ListJobsOptions): Promise<T.AnnotationJob[]> {
    return listAllJobs(this.#operations, options);
  }

  /**
   * The images of a job: those with `tag`, the `untagged` ones, or (neither)
   * every tagged image. Pages are fetched as you iterate, at most four ahead;
   * each image comes once (repeats from adjacent pages are dropped). If the
   * service's count says images were not listed, an IncompleteListingError
   * is thrown after the images that were.
   */
  listImages(params: T.ListImagesParams, options?: T.ListImagesOptions): AsyncGenerator<T.ListedImage> {
    return listImages(this.#operations, params, options);
  }

  /**
   * The tags of every image of a job (or of those with `tag`, or the
   * `untagged` ones): the image list feeds getImageTags' batching, with the
   * same retries, concurrency and onProgress. Every image once, in listing
   * order. Throws PartialResultError (onError 'throw', the default) when
   * some images failed, or IncompleteListingError, carrying what was fetched.
   */
  getAllImageTags(annotationId: string, options?: T.GetAllImageTagsOptions & { onError?: 'throw' | 'collect' }): Promise<ImageTagsResult> {
    return getAllImageTags(this.#operations, annotationId, options);
  }

  /** getAllImageTags as a stream of batches, memory flat; failed images are in `failed`, listing errors are thrown after the batches. */
  iterateAllImageTags(annotationId: string, options?: T.GetAllImageTagsOptions): AsyncGenerator<T.AllImageTagsBatch> {
    return iterateAllImageTags(this.#operations, annotationId, options);
  }

  /** The tags of one image. */
  getImageTag(annotationId: string, imageId: string, options?: T.CallOptions): Promise<ImageTags> {
    return reads.getImageTag(this.#operations, annotationId, imageId, options);
  }

  /** The tag names of a job. */
  getTagList(annotationId: string, options?: T.CallOptions): Promise<string[]> {
    return reads.getTagList(this.#operations, annotationId, options);
  }

  /** How many images carry each tag, and how many are tagged and untagged. */
  getTagStatistics(annotationId: string, options?: T.CallOptions): Promise<T.TagStatistics> {
    return reads.getTagStatistics(this.#operations, annotationId, options);
  }

  /** The state of the job's last OBS sync. */
  getObsSyncStatus(annotationId: string, options?: T.CallOptions): Promise<T.ObsSyncStatus> {
    return reads.getObsSyncStatus(this.#operations, annotationId, options);
  }

  /**
   * Sets the tags of images, replacing what they had, in batches of up to
   * 1,000. Everything is checked before the first request (tag names, boxes
   * with xmin < xmax and ymin < ymax inside the size when given, one job
   * type). Retried like a read: setting the same tags twice is harmless.
   * The result lists each image as succeeded or failed; with onError
   * 'throw' (default) a failure throws PartialWriteError carrying it.
   */
  setImageTags(
    annotationId: string,
    images: readonly T.ImageTagsInput[],
    options?: T.SetImageTagsOptions & { onError?: 'throw' | 'collect' },
  ): Promise<T.WriteResult> {
    return setImageTags(this.#operations, annotationId, images, options);
  }

  /** Deletes images from a job, in batches of up to 1,000; retried (a second delete finds nothing). Result as setImageTags. */
  deleteImages(
    annotationId: string,
    imageIds: readonly string[],
    options?: T.DeleteImagesOptions & { onError?: 'throw' | 'collect' },
  ): Promise<T.WriteResult> {
    return deleteImages(this.#operations, annotationId, imageIds, options);
  }

  /**
   * Starts a re-sync of the job's images from OBS and (wait, the default)
   * polls its status with growing pauses until done; a failed sync throws
   * ObsSyncFailedError, one still running at deadlineMs (default 30 min) a
   * DeadlineExceededError. The start is not retried after an ambiguous
   * failure (timeout, reset, 5xx): the status is read instead.
   */
  syncFromObs(annotationId: string, options?: T.SyncFromObsOptions): Promise<T.ObsSyncStatus> {
    return syncFromObs(this.#operations, annotationId, options);
  }

  /** The validation data of a job, by its UUID (AnnotationJob.jobId). */
  getValidation(jobId: string, options?: T.CallOptions): Promise<T.ValidationData> {
    return reads.getValidation(this.#operations, jobId, options);
  }

  /** Saves the pass rate (0 to 100) of a validation of the job; retried, as saving it twice is harmless. */
  saveValidation(jobId: string, passRate: number, options?: T.CallOptions): Promise<{ requestId: string | undefined }> {
    return reads.saveValidation(this.#operations, jobId, passRate, options);
  }

  #contextFor(job: Job): ScheduleContext {
    return {
      runtime: this.#runtime,
      logger: this.#logger,
      send: (imageIds, signal) => this.#sender.send(job.annotationId, imageIds, job.timeoutMs, signal),
    };
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.projectId, auth: this.#auth.kind };
  }
}
