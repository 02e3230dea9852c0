import { ApiError } from '../../core/api-errors.js';
import type { ModelArtsError } from '../../core/errors.js';

export interface RetryPolicy {
  maxRetries: number;
  /** First backoff ceiling, doubled per attempt. */
  baseDelayMs: number;
  /** Cap on one backoff, before jitter. */
  maxDelayMs: number;
  /** Cap on a server's Retry-After, so a bogus header cannot park a job for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * How long to wait before the next attempt: the server's Retry-After when
 * it sent one, else capped exponential backoff with full jitter
 * (a uniform pick in [0, min(cap, base * 2^(attempt-1))]).
 */
export function retryDelayMs(error: ModelArtsError, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (error instanceof ApiError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, policy.maxRetryAfterMs);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
