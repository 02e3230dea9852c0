import { AttemptSender } from '../internal/http/attempt.js';
import { CLIENT_DEFAULTS, type Job, type JobDefaults, positiveInt, prepareJob } from '../internal/batching/job.js';
import { runJob, type ScheduleContext } from '../internal/batching/schedule.js';
import { type SliceOutcome, sortOutcomes, withPerIdOutcomes } from '../internal/batching/settle.js';
import { jobTypeOf, retypeAmbiguous } from '../internal/response/to-image-tags.js';
import { checkClientFunctions, quietLogger } from '../internal/options/validate.js';
import { DEFAULT_RETRY_POLICY } from '../internal/retry/policy.js';
import { streamFrom } from '../internal/streaming/stream-batches.js';
import { type AuthStrategy, resolveAuth } from './auth/strategies.js';
import { CallbackError } from './callback-error.js';
import type { Runtime } from './clock.js';
import { resolveEndpoint } from './endpoint.js';
import { ConfigurationError } from './errors.js';
import { assertProjectId } from './ids.js';
import { PartialResultError } from './partial-result-error.js';
import type { Transport } from './transport.js';
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

  constructor(options: ModelArtsClientOptions) {
    if (!options || typeof options !== 'object') throw new ConfigurationError('ModelArtsClient needs an options object');
    this.endpoint = resolveEndpoint(options);
    this.projectId = assertProjectId(options.projectId);
    this.#auth = resolveAuth(options.auth);
    checkClientFunctions(options);
    const sleep = options.runtime?.sleep;
    if (typeof sleep !== 'function') {
      throw new ConfigurationError(
        'runtime.sleep is required by the core entry point; import from "@modelarts-kit/client" for Node.js defaults',
      );
    }
    this.#runtime = { sleep, now: options.runtime?.now ?? (() => Date.now()), random: options.runtime?.random ?? Math.random };
    this.#defaults = {
      maxRetries: positiveInt(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'maxRetries', 0),
      timeoutMs: positiveInt(options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs, 'timeoutMs', 1),
      batchSize: positiveInt(options.batchSize ?? CLIENT_DEFAULTS.batchSize, 'batchSize', 1),
      concurrency: positiveInt(options.concurrency ?? CLIENT_DEFAULTS.concurrency, 'concurrency', 1),
    };
    const transport: Transport = options.transport ?? options.fetch ?? ((url, init) => fetch(url, init));
    this.#logger = quietLogger(options.logger);
    this.#sender = new AttemptSender({
      endpoint: this.endpoint,
      projectId: this.projectId,
      auth: this.#auth,
      transport,
      runtime: this.#runtime,
      maxResponseBytes: positiveInt(options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes, 'maxResponseBytes', 1),
    });
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
    let stoppedBy: CallbackError | undefined;
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
    const job = prepareJob(params, options, this.#defaults);
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
