import { apiErrorFor } from '../../core/api-errors.js';
import {
  AbortError,
  ConnectionError,
  DeadlineExceededError,
  InvalidResponseError,
  ModelArtsError,
  TimeoutError,
} from '../../core/errors.js';
import { redactedError } from '../../core/redaction.js';
import type { TransportResponse } from '../../core/transport.js';
import { parseRetryAfter } from '../retry/policy.js';

/** Why a request's controller was aborted, so the error can say which limit was hit. */
export type StopReason = 'timeout' | 'abort' | 'deadline';

/** The typed error of an answer that is not 2xx: a redirect (never followed), or the ApiError of its status. */
export function httpFailure(response: TransportResponse, text: string, requestId: string | undefined, now: number): ModelArtsError {
  const { status } = response;
  if (status >= 300 && status < 400) {
    return new InvalidResponseError(
      `the endpoint redirected to ${response.headers.get('location') ?? 'another address'}; redirects are not followed so that credentials stay with the configured host: set the endpoint to the final address`,
      { status, requestId },
    );
  }
  const body = errorBody(text);
  const error = apiErrorFor({ status, requestId, errorCode: body.errorCode, errorMsg: body.errorMsg });
  error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  return error;
}

/** The typed error of a request that got no complete answer: the limit that stopped it, or a ConnectionError with a redacted cause. */
export function transportFailure(
  error: unknown,
  stopReason: StopReason | undefined,
  details: { endpoint: string; timeoutMs: number; secrets: readonly string[]; requestId?: string | undefined; fromTransport: boolean },
): ModelArtsError {
  const { requestId } = details;
  switch (stopReason) {
    case 'timeout':
      return new TimeoutError(`The request got no complete answer within ${details.timeoutMs} ms; raise timeoutMs if the service is slow`, {
        requestId,
      });
    case 'deadline':
      return new DeadlineExceededError('The call ran past its deadline (deadlineMs) before this request finished', { requestId });
    case 'abort':
      return new AbortError('The call was aborted by its AbortSignal', { requestId });
    default: {
      // The client's own errors (auth, body limits) stand; whatever the transport threw means no answer.
      if (error instanceof ModelArtsError && !details.fromTransport) return error;
      const cause = redactedError(error, details.secrets);
      return new ConnectionError(
        `Could not reach ModelArts at ${details.endpoint}: ${describeCause(cause)}; check the endpoint or region and the network`,
        { cause, requestId },
      );
    }
  }
}

function errorBody(text: string): { errorCode?: string; errorMsg?: string } {
  try {
    const json = JSON.parse(text) as Record<string, unknown> | null;
    if (json && typeof json === 'object') {
      return {
        errorCode: typeof json.error_code === 'string' ? json.error_code : undefined,
        errorMsg: typeof json.error_msg === 'string' ? json.error_msg.slice(0, 500) : undefined,
      } as { errorCode?: string; errorMsg?: string };
    }
  } catch {
    // An HTML page from a proxy or gateway: the status says enough.
  }
  return {};
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
    const inner = cause.cause instanceof Error ? cause.cause.message : undefined;
    return [typeof code === 'string' ? code : undefined, inner ?? cause.message].filter(Boolean).join(' ');
  }
  return String(cause);
}
