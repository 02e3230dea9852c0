/**
 * Every error the client raises is a ModelArtsError. Subclasses say what
 * went wrong; fields say where (HTTP status, ModelArts error code, request
 * ID). Messages are written for the person who has to fix it, and never
 * contain a credential: they are built only from the status, the server's
 * error code and message, and identifiers.
 */
export interface ModelArtsErrorDetails {
  status?: number | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  attempts?: number | undefined;
  cause?: unknown;
}

export class ModelArtsError extends Error {
  override name = 'ModelArtsError';
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  readonly requestId: string | undefined;
  attempts: number | undefined;

  constructor(message: string, details: ModelArtsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
    this.attempts = details.attempts;
  }

  /** Whether the retry policy may try the same request again. */
  get retryable(): boolean {
    return false;
  }

  /**
   * Whether every other request of the call would fail the same way (bad
   * credentials, a missing project or job, bad settings, a cancelled or
   * expired call): the client then stops sending, so that a wrong key is not
   * locked out, and a caller knows the user has to change something. Never
   * true when `retryable` is.
   */
  get fatal(): boolean {
    return (this.constructor as typeof ModelArtsError).fatalKind;
  }

  /** What `fatal` says for every error of a class; the classes of fatal errors set it. */
  protected static readonly fatalKind: boolean = false;

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      errorCode: this.errorCode,
      errorMsg: this.errorMsg,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

/** Appends what the server said and the request ID, so every message can be quoted to support. */
export function describeServerSide(details: ModelArtsErrorDetails): string {
  const parts: string[] = [];
  if (details.status !== undefined) parts.push(`HTTP ${details.status}`);
  if (details.errorCode) parts.push(details.errorMsg ? `${details.errorCode}: ${details.errorMsg}` : details.errorCode);
  else if (details.errorMsg) parts.push(details.errorMsg);
  if (details.requestId) parts.push(`request ID ${details.requestId}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** HTTP statuses that are safe to retry: the request may well succeed the next time. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** HTTP 200 with `is_success: false`: the service refused the call after all. */
export class UnsuccessfulResponseError extends ModelArtsError {
  override name = 'UnsuccessfulResponseError';
  constructor(details: ModelArtsErrorDetails) {
    super(`ModelArts reported the call as unsuccessful${describeServerSide(details)}`, details);
  }
  /** The service reports throttling and internal faults this way too; those codes are safe to retry. */
  override get retryable(): boolean {
    return this.errorCode !== undefined && RETRYABLE_ERROR_CODES.has(this.errorCode);
  }
}

const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ModelArts.6100',
  'ModelArts.6101',
  'ModelArts.6102',
  'ModelArts.6103',
  'APIG.0308',
]);

/** The response was not JSON, or did not have the documented shape. */
export class InvalidResponseError extends ModelArtsError {
  override name = 'InvalidResponseError';
  /** Where in the body the problem is, e.g. `images_tags[3].tags[0].pos`; empty for the whole body. */
  readonly path: string;
  /** A cut-off body is what a dropped connection looks like, so it may be retried. */
  readonly truncated: boolean;

  constructor(problem: string, details: ModelArtsErrorDetails & { path?: string; truncated?: boolean }) {
    const where = details.path ? ` at ${details.path}` : '';
    super(`ModelArts sent a response the client cannot use${where}: ${problem}${describeServerSide(details)}`, details);
    this.path = details.path ?? '';
    this.truncated = details.truncated ?? false;
  }

  override get retryable(): boolean {
    return this.truncated || (this.status !== undefined && RETRYABLE_STATUSES.has(this.status));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), path: this.path };
  }
}

/** The response body was larger than `maxResponseBytes`. */
export class ResponseTooLargeError extends ModelArtsError {
  override name = 'ResponseTooLargeError';
}

/** No HTTP answer: DNS, refused or reset connection, TLS failure. */
export class ConnectionError extends ModelArtsError {
  override name = 'ConnectionError';
  override get retryable(): boolean {
    return true;
  }
}

/** One request took longer than `timeoutMs`. */
export class TimeoutError extends ModelArtsError {
  override name = 'TimeoutError';
  override get retryable(): boolean {
    return true;
  }
}

/** The whole call took longer than `deadlineMs`. */
export class DeadlineExceededError extends ModelArtsError {
  override name = 'DeadlineExceededError';
  protected static override readonly fatalKind = true;
}

/** The caller's AbortSignal fired. */
export class AbortError extends ModelArtsError {
  override name = 'AbortError';
  protected static override readonly fatalKind = true;
}

/** Bad input, found before any request was sent. */
export class InputValidationError extends ModelArtsError {
  override name = 'InputValidationError';
  /** Position of the offending element in the caller's list, when there is one. */
  readonly index: number | undefined;
  constructor(message: string, index?: number) {
    super(message);
    this.index = index;
  }
  protected static override readonly fatalKind = true;
}

/** The client was configured in a way that cannot work. */
export class ConfigurationError extends ModelArtsError {
  override name = 'ConfigurationError';
  protected static override readonly fatalKind = true;
}

/**
 * The token provider or the custom auth strategy failed, so the request was
 * never sent. Not a network failure, and not retried: a provider that fails
 * once would most likely fail again for every request of the call. Its
 * message names what failed and the kind of error it threw, never the
 * message it threw (which may quote a credential the client cannot know);
 * `cause` holds that error, with the credentials the client knows redacted.
 */
export class AuthProviderError extends ModelArtsError {
  override name = 'AuthProviderError';
  protected static override readonly fatalKind = true;
}
