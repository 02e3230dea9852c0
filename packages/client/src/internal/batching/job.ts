import { ConfigurationError } from '../../core/errors.js';
import { assertAnnotationId, normalizeImageIds } from '../../core/ids.js';
import type { GetImageTagsOptions, GetImageTagsParams } from '../../core/types.js';
import { checkCallOptions, GET_IMAGE_TAGS_OPTIONS, ITERATE_IMAGE_TAGS_OPTIONS, positiveInt } from '../options/validate.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry/policy.js';

/** One call's work, checked before anything is sent: the job, its distinct IDs, and the settings of this call. */
export interface Job {
  annotationId: string;
  ids: readonly string[];
  batchSize: number;
  concurrency: number;
  timeoutMs: number;
  policy: RetryPolicy;
}

export interface JobDefaults {
  maxRetries: number;
  timeoutMs: number;
  batchSize: number;
  concurrency: number;
}

export const CLIENT_DEFAULTS = {
  timeoutMs: 30_000,
  batchSize: 100,
  concurrency: 8,
  maxResponseBytes: 64 * 1024 * 1024,
};

export function prepareJob(
  params: GetImageTagsParams,
  given: GetImageTagsOptions,
  defaults: JobDefaults,
  method: 'getImageTags' | 'iterateImageTags' = 'getImageTags',
): Job {
  if (!params || typeof params !== 'object') {
    throw new ConfigurationError(`${method} needs { annotationId, imageIds }`);
  }
  const known = method === 'getImageTags' ? GET_IMAGE_TAGS_OPTIONS : ITERATE_IMAGE_TAGS_OPTIONS;
  const options = checkCallOptions(given, method, known);
  if (options.deadlineMs !== undefined) positiveInt(options.deadlineMs, 'deadlineMs', 1);
  const annotationId = assertAnnotationId(params.annotationId);
  const ids = normalizeImageIds(params.imageIds);
  return { annotationId, ids, ...jobSettings(options, defaults) };
}

/** The batching, timing and retry settings of a call that fetches tags in batches: the caller's, or the client's defaults. */
export function jobSettings(options: GetImageTagsOptions, defaults: JobDefaults): Omit<Job, 'annotationId' | 'ids'> {
  return {
    batchSize: positiveInt(options.batchSize ?? defaults.batchSize, 'batchSize', 1),
    concurrency: positiveInt(options.concurrency ?? defaults.concurrency, 'concurrency', 1),
    timeoutMs: positiveInt(options.timeoutMs ?? defaults.timeoutMs, 'timeoutMs', 1),
    policy: { ...DEFAULT_RETRY_POLICY, maxRetries: positiveInt(options.maxRetries ?? defaults.maxRetries, 'maxRetries', 0) },
  };
}
