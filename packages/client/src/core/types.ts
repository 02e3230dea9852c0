import type { AuthOption } from './auth/strategies.js';
import type { RuntimeOptions } from './clock.js';
import type { ModelArtsError } from './errors.js';
import type { ImageTags, JobType } from './image-tags.js';
import type { Transport } from './transport.js';

/** The public types of the client: its options, what a call takes and what it returns. */

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
  /**
   * The HTTP layer: a function that sends one request (see Transport).
   * `globalThis.fetch` fits. The package root defaults to node:http/node:https,
   * the core entry to the global `fetch`.
   */
  transport?: Transport;
  /** @deprecated The old name of `transport`, still accepted; `transport` wins when both are given. */
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

/** What became of one requested image ID. */
export type ImageOutcome =
  | { imageId: string; status: 'found'; image: ImageTags }
  | { imageId: string; status: 'missing' }
  | { imageId: string; status: 'failed'; error: ModelArtsError };

/** The per-ID view of a result or batch. */
export interface PerIdOutcomes {
  /**
   * One entry per distinct requested ID (trimmed), in the order of the
   * input: the same facts as `images`, `missing` and `failed`, by ID. Built
   * on first read and not enumerable, so JSON of the result is unchanged.
   */
  readonly outcomes: readonly ImageOutcome[];
}

export interface ImageTagsResult extends PerIdOutcomes {
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

export interface ImageTagsBatch extends PerIdOutcomes {
  images: ImageTags[];
  missing: string[];
  failed: FailedImage[];
  requestId: string | undefined;
  done: number;
  total: number;
}
