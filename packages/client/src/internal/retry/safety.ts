import { ApiError } from '../../core/api-errors.js';
import { ConnectionError, type ModelArtsError, UnsuccessfulResponseError } from '../../core/errors.js';

/**
 * Which failures an operation may repeat. `idempotent`: every retryable
 * failure (reads; tag writes, which set a state; deletes, where a second
 * delete finds nothing; saving a pass rate). `not-idempotent`: only a
 * failure that proves the service did not act on the request (starting an
 * OBS sync, where each call starts one): a timeout, a reset connection or
 * a 5xx after the request went out may have started it.
 */
export type RetrySafety = 'idempotent' | 'not-idempotent';

/** Connection failures that happen before a request reaches the server. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Statuses and error codes by which the service says it turned the request away without acting on it. */
const TURNED_AWAY_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const TURNED_AWAY_CODES: ReadonlySet<string> = new Set(['ModelArts.6101', 'ModelArts.6103', 'APIG.0308']);

export function retryRule(safety: RetrySafety): (error: ModelArtsError) => boolean {
  return safety === 'idempotent' ? (error) => error.retryable : (error) => error.retryable && provablyNotProcessed(error);
}

/** True only when the failure shows the request was not acted on. */
export function provablyNotProcessed(error: ModelArtsError): boolean {
  if (error instanceof ApiError) return TURNED_AWAY_STATUSES.has(error.status);
  if (error instanceof UnsuccessfulResponseError) return error.errorCode !== undefined && TURNED_AWAY_CODES.has(error.errorCode);
  if (error instanceof ConnectionError) return connectionCodes(error.cause).some((code) => NOT_SENT_CODES.has(code));
  return false;
}

/** The `code`s along a cause chain (fetch puts the socket error's code one level down). */
function connectionCodes(cause: unknown): string[] {
  const codes: string[] = [];
  for (let current = cause, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}
