import { AbortError, ModelArtsError } from '../../core/errors.js';
import type { Logger } from '../../core/types.js';
import type { Runtime } from '../../core/clock.js';
import { abortSignalOf, type StopSignal } from '../batching/call-stop.js';
import { type RetryPolicy, retryDelayMs } from './policy.js';

/**
 * Sends the same request until it succeeds, fails for good, or the call is
 * stopped. Only errors that say so (`retryable`) are tried again, after the
 * policy's delay; the error that ends the loop carries the attempts made.
 */
export async function withRetries<T, S extends StopSignal>(
  attempt: (signal: S) => Promise<T>,
  what: string,
  policy: RetryPolicy,
  signal: S,
  runtime: Runtime,
  logger: Logger | undefined,
  // An operation that is not safe to repeat narrows `retryable` (see safety.ts).
  mayRetry: (error: ModelArtsError) => boolean = (error) => error.retryable,
): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt(signal);
    } catch (caught) {
      const error = asModelArtsError(caught);
      error.attempts = attempts;
      const stopped = abortReason(signal);
      if (stopped) throw stopped;
      if (!mayRetry(error) || attempts > policy.maxRetries) {
        if (attempts > 1) error.message += ` (gave up after ${attempts} attempts)`;
        throw error;
      }
      const delay = retryDelayMs(error, attempts, policy, runtime.random);
      logger?.debug?.(`Retrying ${what} in ${delay} ms after attempt ${attempts} of ${policy.maxRetries + 1}: ${error.message}`);
      await runtime.sleep(delay, abortSignalOf(signal)).catch(() => undefined);
    }
  }
}

export function asModelArtsError(caught: unknown): ModelArtsError {
  return caught instanceof ModelArtsError ? caught : new ModelArtsError(String(caught), { cause: caught });
}

/** The error a stopped call ends with: the reason it was stopped for (a deadline, a fatal error), or an AbortError. */
export function abortReason(signal: StopSignal): ModelArtsError | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason instanceof ModelArtsError ? signal.reason : new AbortError('The call was aborted');
}
