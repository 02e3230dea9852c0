import { type AuthOption, type AuthStrategy, resolveAuth } from './auth/strategies.js';
import { assertProjectId, resolveEndpoint } from './endpoint.js';
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  DeadlineExceededError,
  ModelArtsError,
  NotFoundError,
  PermissionDeniedError,
} from './errors.js';
import { AttemptSender } from './http/attempt.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './http/retry.js';
import type { Transport } from './http/transport.js';
import { type ImageTags, type JobType, jobTypeOf, retypeAmbiguous } from './image-tags.js';
import { assertAnnotationId, normalizeImageIds } from './input.js';
import type { Runtime, RuntimeOptions } from './runtime/runtime.js';

export interface ModelArtsClientOptions {
  /** A Huawei Cloud region such as `cn-north-4`; ignored when `endpoint` is given. */
  region?: string;
  /** An explicit base URL (private cloud, proxy, the local emulator). */
  endpoint?: string;
  /** Allow plain HTTP to a host other than loopback (a trusted private network only). */
  allowInsecureHttp?: boolean;
  /** The project ID of the account in the region. */
  projectId: string;
  auth: AuthOption;
  /** The HTTP layer; the global `fetch` when absent (the package root defaults to node:http/node:https instead). */
  fetch?: Transport;
  runtime?: RuntimeOptions;
  /** Retries after the first attempt, for 408/429/5xx, resets and timeouts. Default 3. */
  maxRetries?: number;
  /** Per request, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Image IDs per request. Default 100. */
  batchSize?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Largest response body accepted, in bytes. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Receives one line per retry and per failed batch; never a secret. */
  logger?: Logger;
}

export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export interface GetImageTagsParams {
  annotationId: string;
  imageIds: readonly string[];
}

export interface Progress {
  /** Image IDs settled so far (found, missing or failed). */
  done: number;
  total: number;
}

export interface GetImageTagsOptions {
  batchSize?: number;
  concurrency?: number;
  /** `throw` (default): throw a PartialResultError that carries the result; `collect`: return it. */
  onError?: 'throw' | 'collect';
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** Per request. */
  timeoutMs?: number;
  /** For the whole call. */
  deadlineMs?: number;
  maxRetries?: number;
}

export interface FailedImage {
  imageId: string;
  error: ModelArtsError;
}

export interface ImageTagsResult {
  jobType: JobType | 'unknown';
  /** One entry per image found, in the order of the input. */
  images: ImageTags[];
  /** Requested IDs the service returned no entry for. */
  missing: string[];
  /** IDs whose request failed for good, with the error. */
  failed: FailedImage[];
  /** The request IDs of the successful requests, for support tickets. */
  requestIds: string[];
}

export interface ImageTagsBatch {
  images: ImageTags[];
  missing: string[];
  failed: FailedImage[];
  requestId: string | undefined;
  done: number;
  total: number;
}

/** Thrown by `getImageTags` with `onError: 'throw'` when some IDs failed; nothing fetched is lost. */
export class PartialResultError extends ModelArtsError {
  override name = 'PartialResultError';
  readonly result: ImageTagsResult;

  constructor(result: ImageTagsResult) {
    const first = result.failed[0]!.error;
    const found = result.images.length + result.missing.length;
    super(
      `${result.failed.length} of ${found + result.failed.length} image IDs failed (the rest are in error.result): ${first.message}`,
      { status: first.status, errorCode: first.errorCode, errorMsg: first.errorMsg, requestId: first.requestId, attempts: first.attempts, cause: first },
    );
    this.result = result;
  }
}

const DEFAULTS = {
  timeoutMs: 30_000,
  batchSize: 100,
  concurrency: 8,
  maxResponseBytes: 64 * 1024 * 1024,
};

/** A batch-size limit answers 400 (or 413): halving the batch finds what the service accepts. */
function splitsTheBatch(error: ModelArtsError): boolean {
  return error instanceof BadRequestError || error.status === 413;
}

/** Errors that would fail every other request too: stop sending, so a bad key is not locked out. */
function stopsTheJob(error: ModelArtsError): boolean {
  return (
    error instanceof AuthenticationError ||
    error instanceof PermissionDeniedError ||
    error instanceof NotFoundError ||
    error instanceof ConfigurationError ||
    error instanceof AbortError ||
    error instanceof DeadlineExceededError
  );
}

/**
 * The ModelArts client of the core entry point. It references no timers,
 * `process` or `globalThis`: `runtime.sleep` must be given (the package root
 * supplies Node.js defaults).
 */
export class ModelArtsClient {
  readonly endpoint: string;
  readonly projectId: string;
  readonly #auth: AuthStrategy;
  readonly #runtime: Runtime;
  readonly #sender: AttemptSender;
  readonly #logger: Logger | undefined;
  readonly #defaults: Required<Pick<ModelArtsClientOptions, 'maxRetries' | 'timeoutMs' | 'batchSize' | 'concurrency'>>;

  constructor(options: ModelArtsClientOptions) {
    if (!options || typeof options !== 'object') throw new ConfigurationError('ModelArtsClient needs an options object');
    this.endpoint = resolveEndpoint(options);
    this.projectId = assertProjectId(options.projectId);
    this.#auth = resolveAuth(options.auth);
    const sleep = options.runtime?.sleep;
    if (typeof sleep !== 'function') {
      throw new ConfigurationError('runtime.sleep is required by the core entry point; import from "@modelarts-kit/client" for Node.js defaults');
    }
    this.#runtime = { sleep, now: options.runtime?.now ?? (() => Date.now()), random: options.runtime?.random ?? Math.random };
    this.#defaults = {
      maxRetries: positiveInt(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'maxRetries', 0),
      timeoutMs: positiveInt(options.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs', 1),
      batchSize: positiveInt(options.batchSize ?? DEFAULTS.batchSize, 'batchSize', 1),
      concurrency: positiveInt(options.concurrency ?? DEFAULTS.concurrency, 'concurrency', 1),
    };
    this.#logger = options.logger;
    const transport = options.fetch ?? ((url, init) => fetch(url, init));
    this.#sender = new AttemptSender({
      endpoint: this.endpoint,
      projectId: this.projectId,
      auth: this.#auth,
      transport,
      runtime: this.#runtime,
      maxResponseBytes: positiveInt(options.maxResponseBytes ?? DEFAULTS.maxResponseBytes, 'maxResponseBytes', 1),
    });
  }

  /** The kind of auth in use (`token`, `aksk`, `none` or a custom strategy's kind); never the secret. */
  get authKind(): string {
    return this.#auth.kind;
  }

  /**
   * The tags of any number of images. IDs are trimmed and de-duplicated,
   * split into batches, fetched concurrently with retries, and returned in
   * input order. Every ID ends in exactly one of `images`, `missing` or `failed`.
   */
  async getImageTags(params: GetImageTagsParams, options: GetImageTagsOptions = {}): Promise<ImageTagsResult> {
    const job = this.#prepare(params, options);
    // What became of each ID, by its position in job.ids: no map keyed by ID,
    // which costs more than the rest of the bookkeeping on a 100,000-ID job.
    const outcomes = new Array<SliceOutcome>(job.ids.length);
    const requestIds: string[] = [];
    await this.#run(job, options, async (slice) => {
      for (let k = 0; k < slice.outcomes.length; k++) outcomes[slice.start + k] = slice.outcomes[k]!;
      if (slice.requestId) requestIds.push(slice.requestId);
    });
    const result: ImageTagsResult = { jobType: 'unknown', ...sortOutcomes(job.ids, outcomes), requestIds };
    retypeAmbiguous(result.images);
    result.jobType = jobTypeOf(result.images);
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
    const job = this.#prepare(params, options);
    const ready: ImageTagsBatch[] = [];
    let wake: (() => void) | undefined;
    let drained: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    const capacity = Math.max(1, options.concurrency ?? this.#defaults.concurrency);
    const consumerGone = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, consumerGone.signal]) : consumerGone.signal;

    const running = this.#run(job, { ...options, signal }, async (slice) => {
      ready.push({ ...sortOutcomes(slice.ids, slice.outcomes), requestId: slice.requestId, done: slice.done, total: slice.total });
      wake?.();
      // Back-pressure: do not fetch further ahead of a slow consumer.
      while (ready.length >= capacity && !consumerGone.signal.aborted) {
        await new Promise<void>((resolve) => (drained = resolve));
      }
    }).then(
      () => {
        finished = true;
        wake?.();
      },
      (error: unknown) => {
        failure = error;
        finished = true;
        wake?.();
      },
    );

    try {
      for (;;) {
        if (ready.length > 0) {
          const batch = ready.shift()!;
          drained?.();
          yield batch;
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (failure !== undefined) throw failure;
    } finally {
      consumerGone.abort(new AbortError('The consumer stopped iterating'));
      drained?.();
      await running;
    }
  }

  #prepare(params: GetImageTagsParams, options: GetImageTagsOptions): Job {
    if (!params || typeof params !== 'object') {
      throw new ConfigurationError('getImageTags needs { annotationId, imageIds }');
    }
    const annotationId = assertAnnotationId(params.annotationId);
    const ids = normalizeImageIds(params.imageIds);
    return {
      annotationId,
      ids,
      batchSize: positiveInt(options.batchSize ?? this.#defaults.batchSize, 'batchSize', 1),
      concurrency: positiveInt(options.concurrency ?? this.#defaults.concurrency, 'concurrency', 1),
      timeoutMs: positiveInt(options.timeoutMs ?? this.#defaults.timeoutMs, 'timeoutMs', 1),
      policy: { ...DEFAULT_RETRY_POLICY, maxRetries: positiveInt(options.maxRetries ?? this.#defaults.maxRetries, 'maxRetries', 0) },
    };
  }

  /**
   * Runs the job with a pool of workers that take the next slice of IDs
   * from a shared cursor. A 400 on a multi-ID batch splits it in halves, so a
   * service-side batch limit or one bad ID costs only that ID, and later
   * batches use the smaller size.
   */
  async #run(job: Job, options: GetImageTagsOptions, deliver: (slice: SettledSlice) => Promise<void>): Promise<void> {
    const total = job.ids.length;
    const callControl = new AbortController();
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
      const timerCancel = new AbortController();
      void this.#runtime
        .sleep(deadlineMs, timerCancel.signal)
        .then(() => {
          if (!timerCancel.signal.aborted) {
            callControl.abort(new DeadlineExceededError(`The call did not finish within deadlineMs (${deadlineMs} ms)`));
          }
        })
        .catch(() => undefined);
      cleanups.push(() => timerCancel.abort());
    }

    let cursor = 0;
    let batchSize = job.batchSize;
    let done = 0;
    let stopError: ModelArtsError | undefined;
    // Once a lone ID is rejected, a 400 is about the IDs, not the batch size: stop splitting.
    let sawSingleIdRejected = false;
    const pending: Slice[] = [];

    const settle = async (slice: Slice, outcomes: SliceOutcome[], requestId?: string): Promise<void> => {
      done += outcomes.length;
      options.onProgress?.({ done, total });
      await deliver({ ...slice, outcomes, requestId, done, total });
    };
    const settleFailed = (slice: Slice, error: ModelArtsError): Promise<void> => settle(slice, slice.ids.map(() => error));

    const nextSlice = (): Slice | undefined => {
      if (pending.length > 0) return pending.shift();
      if (cursor >= total) return undefined;
      const slice = { start: cursor, ids: job.ids.slice(cursor, cursor + batchSize) };
      cursor += slice.ids.length;
      return slice;
    };

    const worker = async (maxSlices = Number.POSITIVE_INFINITY): Promise<void> => {
      for (let taken = 0, slice = taken < maxSlices ? nextSlice() : undefined; slice; slice = ++taken < maxSlices ? nextSlice() : undefined) {
        const reason = stopError ?? abortReason(callControl.signal);
        if (reason) {
          await settleFailed(slice, reason);
          continue;
        }
        try {
          const { images, requestId } = await this.#withRetries(job, slice.ids, callControl.signal);
          await settle(slice, alignWithIds(slice.ids, images), requestId);
        } catch (caught) {
          const error = caught instanceof ModelArtsError ? caught : new ModelArtsError(String(caught), { cause: caught });
          if (splitsTheBatch(error) && slice.ids.length > 1 && !sawSingleIdRejected) {
            const half = Math.ceil(slice.ids.length / 2);
            batchSize = Math.min(batchSize, half);
            pending.unshift({ start: slice.start, ids: slice.ids.slice(0, half) }, { start: slice.start + half, ids: slice.ids.slice(half) });
            continue;
          }
          if (splitsTheBatch(error)) sawSingleIdRejected = true;
          if (stopsTheJob(error)) stopError ??= error;
          this.#logger?.warn?.(`${slice.ids.length} image IDs failed: ${error.message}`);
          await settleFailed(slice, error);
        }
      }
    };

    try {
      // The first batch goes alone: wrong credentials then cost one rejected
      // request, not a wave of them (the gateway locks an AK after 5 in a row).
      await worker(1);
      const workers = Math.min(job.concurrency, Math.ceil((total - cursor) / batchSize) + pending.length);
      await Promise.all(Array.from({ length: workers }, () => worker()));
    } finally {
      for (const cleanup of cleanups) cleanup();
    }
  }

  async #withRetries(job: Job, imageIds: readonly string[], signal: AbortSignal) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sender.send(job.annotationId, imageIds, job.timeoutMs, signal);
      } catch (caught) {
        const error = caught instanceof ModelArtsError ? caught : new ModelArtsError(String(caught), { cause: caught });
        error.attempts = attempt;
        const stopped = abortReason(signal);
        if (stopped) throw stopped;
        if (!error.retryable || attempt > job.policy.maxRetries) {
          if (attempt > 1) error.message += ` (gave up after ${attempt} attempts)`;
          throw error;
        }
        const delay = retryDelayMs(error, attempt, job.policy, this.#runtime.random);
        this.#logger?.debug?.(
          `Retrying ${imageIds.length} image IDs in ${delay} ms after attempt ${attempt} of ${job.policy.maxRetries + 1}: ${error.message}`,
        );
        await this.#runtime.sleep(delay, signal).catch(() => undefined);
      }
    }
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint, projectId: this.projectId, auth: this.#auth.kind };
  }
}

/** A run of consecutive IDs of the job, from position `start`. */
interface Slice {
  start: number;
  ids: string[];
}

/** Marks an ID the service returned nothing for. */
const MISSING = Symbol('missing');
type SliceOutcome = ImageTags | typeof MISSING | ModelArtsError;

/** A slice done with: what became of each of its IDs, in its order. */
interface SettledSlice extends Slice {
  outcomes: SliceOutcome[];
  requestId: string | undefined;
  /** IDs of the job settled so far, this slice's included, of `total`. */
  done: number;
  total: number;
}

/** Outcomes by position, split into the result's lists, keeping the order of `ids`. */
function sortOutcomes(ids: readonly string[], outcomes: readonly SliceOutcome[]): Pick<ImageTagsBatch, 'images' | 'missing' | 'failed'> {
  const sorted: Pick<ImageTagsBatch, 'images' | 'missing' | 'failed'> = { images: [], missing: [], failed: [] };
  for (let k = 0; k < ids.length; k++) {
    const outcome = outcomes[k]!;
    if (outcome === MISSING) sorted.missing.push(ids[k]!);
    else if (outcome instanceof ModelArtsError) sorted.failed.push({ imageId: ids[k]!, error: outcome });
    else sorted.images.push(outcome);
  }
  return sorted;
}

/**
 * The service's entries in the order of the IDs asked for. It normally
 * answers in that order, which needs no lookup; otherwise entries are
 * matched by ID.
 */
function alignWithIds(ids: readonly string[], images: readonly ImageTags[]): (ImageTags | typeof MISSING)[] {
  const aligned = new Array<ImageTags | typeof MISSING>(ids.length);
  let k = 0;
  while (k < ids.length && k < images.length && images[k]!.imageId === ids[k]) {
    aligned[k] = images[k]!;
    k++;
  }
  if (k === ids.length) return aligned;
  const byId = new Map<string, ImageTags>();
  for (let j = k; j < images.length; j++) byId.set(images[j]!.imageId, images[j]!);
  for (; k < ids.length; k++) aligned[k] = byId.get(ids[k]!) ?? MISSING;
  return aligned;
}

interface Job {
  annotationId: string;
  ids: string[];
  batchSize: number;
  concurrency: number;
  timeoutMs: number;
  policy: RetryPolicy;
}

function abortReason(signal: AbortSignal): ModelArtsError | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason instanceof ModelArtsError ? signal.reason : new AbortError('The call was aborted');
}

function positiveInt(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`${name} must be an integer of at least ${min}, not ${String(value)}`);
  }
  return value;
}
