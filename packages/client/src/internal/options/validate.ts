import { ConfigurationError } from '../../core/errors.js';
import { previewValue } from '../../core/preview.js';
import type { GetImageTagsOptions, Logger, ModelArtsClientOptions } from '../../core/types.js';

const ON_ERROR: ReadonlySet<unknown> = new Set([undefined, 'throw', 'collect']);

/** The options every method takes. */
export const CALL_OPTION_NAMES = ['signal', 'timeoutMs', 'deadlineMs', 'maxRetries'] as const;

/** The option names of iterateImageTags; getImageTags takes onError too. */
export const ITERATE_IMAGE_TAGS_OPTIONS: readonly string[] = [...CALL_OPTION_NAMES, 'batchSize', 'concurrency', 'onProgress'];
export const GET_IMAGE_TAGS_OPTIONS: readonly string[] = [...ITERATE_IMAGE_TAGS_OPTIONS, 'onError'];

/** The per-call options, each checked (the numbers are checked where their defaults apply). */
export function checkCallOptions(
  options: unknown,
  method = 'getImageTags',
  known: readonly string[] = GET_IMAGE_TAGS_OPTIONS,
): GetImageTagsOptions {
  if (options === undefined) return {};
  assertKnownOptions(options, known, method);
  const { onError, onProgress, signal } = options as Record<string, unknown>;
  checkOnError(onError);
  optionalFunction(onProgress, 'onProgress');
  checkSignal(signal);
  return options as GetImageTagsOptions;
}

/** Refuses option names the method does not know, so a typo is not silently ignored. */
export function assertKnownOptions(options: unknown, known: readonly string[], method: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`The options of ${method} must be an object, not ${previewValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new ConfigurationError(`${method} has no option ${previewValue(name)}; it takes ${known.join(', ')}`);
    }
  }
}

/** `throw` (default) or `collect`; anything else is a mistake worth naming. */
export function checkOnError(value: unknown): void {
  if (!ON_ERROR.has(value)) throw new ConfigurationError(`onError must be 'throw' or 'collect', not ${previewValue(value)}`);
}

/** An AbortSignal or nothing. By shape, not instanceof: a host (n8n) may hand over a signal of another realm. */
export function checkSignal(value: unknown): void {
  if (value !== undefined && !isAbortSignal(value)) {
    throw new ConfigurationError(`signal must be an AbortSignal, not ${previewValue(value)}`);
  }
}

/** An integer option of at least `min`. */
export function positiveInt(value: unknown, name: string, min: number): number {
  return intInRange(value, name, min, Number.POSITIVE_INFINITY);
}

/** An integer option within bounds. */
export function intInRange(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigurationError(`${name} must be an integer ${range}, not ${previewValue(value)}`);
  }
  return value;
}

/** The client options the constructor does not check elsewhere: the functions it will call. */
export function checkClientFunctions(options: ModelArtsClientOptions): void {
  optionalFunction(options.transport, 'transport');
  optionalFunction(options.fetch, 'fetch');
  if (options.runtime !== undefined && (options.runtime === null || typeof options.runtime !== 'object')) {
    throw new ConfigurationError(`runtime must be an object of { sleep, now, random, setTimer }, not ${previewValue(options.runtime)}`);
  }
  for (const name of ['sleep', 'now', 'random', 'setTimer'] as const) optionalFunction(options.runtime?.[name], `runtime.${name}`);
  if (options.logger !== undefined && (options.logger === null || typeof options.logger !== 'object')) {
    throw new ConfigurationError(`logger must be an object with debug and warn functions, not ${previewValue(options.logger)}`);
  }
  optionalFunction(options.logger?.debug, 'logger.debug');
  optionalFunction(options.logger?.warn, 'logger.warn');
}

/**
 * The caller's logger, made unable to change a call's outcome: a line it
 * fails to write is dropped (logging is a side channel, never a reason to
 * lose a fetched result).
 */
export function quietLogger(logger: Logger | undefined): Logger | undefined {
  if (!logger) return undefined;
  const line =
    (write: ((message: string) => void) | undefined) =>
    (message: string): void => {
      try {
        write?.call(logger, message);
      } catch {
        // dropped, see above
      }
    };
  return { debug: line(logger.debug), warn: line(logger.warn) };
}

/** A function or nothing: a callback or hook of the caller. */
export function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigurationError(`${name} must be a function, not ${previewValue(value)}`);
  }
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function'
  );
}
