import { ConfigurationError } from '../../core/errors.js';
import { previewValue } from '../../core/preview.js';
import type { GetImageTagsOptions, Logger, ModelArtsClientOptions } from '../../core/types.js';

const ON_ERROR: ReadonlySet<unknown> = new Set([undefined, 'throw', 'collect']);

/** The per-call options, each checked (the numbers are checked where their defaults apply). */
export function checkCallOptions(options: unknown): GetImageTagsOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`The options of a call must be an object, not ${previewValue(options)}`);
  }
  const { onError, onProgress, signal } = options as Record<string, unknown>;
  if (!ON_ERROR.has(onError)) throw new ConfigurationError(`onError must be 'throw' or 'collect', not ${previewValue(onError)}`);
  optionalFunction(onProgress, 'onProgress');
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ConfigurationError(`signal must be an AbortSignal, not ${previewValue(signal)}`);
  }
  return options as GetImageTagsOptions;
}

/** The client options the constructor does not check elsewhere: the functions it will call. */
export function checkClientFunctions(options: ModelArtsClientOptions): void {
  optionalFunction(options.transport, 'transport');
  optionalFunction(options.fetch, 'fetch');
  if (options.runtime !== undefined && (options.runtime === null || typeof options.runtime !== 'object')) {
    throw new ConfigurationError(`runtime must be an object of { sleep, now, random }, not ${previewValue(options.runtime)}`);
  }
  for (const name of ['sleep', 'now', 'random'] as const) optionalFunction(options.runtime?.[name], `runtime.${name}`);
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

function optionalFunction(value: unknown, name: string): void {
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
