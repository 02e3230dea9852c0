import { describeServerSide, ModelArtsError, type ModelArtsErrorDetails, RETRYABLE_STATUSES } from './errors.js';

/* The errors of an HTTP error status: one class per status ModelArts uses, and the advice each message starts with. */

/** The service answered with an HTTP error status. */
export class ApiError extends ModelArtsError {
  override name = 'ApiError';
  override readonly status: number;
  /** The delay the server asked for with Retry-After, in milliseconds. */
  retryAfterMs: number | undefined;

  constructor(message: string, details: ModelArtsErrorDetails & { status: number }) {
    super(message, details);
    this.status = details.status;
  }

  override get retryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status);
  }
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
  protected static override readonly fatalKind = true;
}
export class PermissionDeniedError extends ApiError {
  override name = 'PermissionDeniedError';
  protected static override readonly fatalKind = true;
}
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  protected static override readonly fatalKind = true;
}
export class RequestTimeoutError extends ApiError {
  override name = 'RequestTimeoutError';
}
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}
export class ServerError extends ApiError {
  override name = 'ServerError';
}

const ADVICE: Record<number, string> = {
  400: 'ModelArts rejected the request as invalid: check the project ID, the annotation job ID and the image IDs',
  401: "Authentication failed: check the token (IAM tokens expire after 24 hours) or the AK/SK pair, and that this machine's clock is within 15 minutes of the real time",
  403: 'Permission denied: the IAM user lacks a policy that allows reading this annotation job in this project',
  404: 'Not found: the project or annotation job does not exist at this endpoint; check the project ID, the job ID and the region',
  408: 'ModelArts timed out handling the request; it is safe to retry',
  429: 'ModelArts is throttling requests; lower the concurrency or retry later',
};

export function apiErrorFor(details: ModelArtsErrorDetails & { status: number }): ApiError {
  const { status } = details;
  const advice =
    ADVICE[status] ??
    (status >= 500
      ? 'ModelArts had a server-side failure; it is usually temporary, retry later'
      : `ModelArts answered with HTTP ${status}`);
  const message = advice + describeServerSide(details);
  switch (status) {
    case 400:
      return new BadRequestError(message, details);
    case 401:
      return new AuthenticationError(message, details);
    case 403:
      return new PermissionDeniedError(message, details);
    case 404:
      return new NotFoundError(message, details);
    case 408:
      return new RequestTimeoutError(message, details);
    case 429:
      return new RateLimitError(message, details);
    default:
      return status >= 500 ? new ServerError(message, details) : new ApiError(message, details);
  }
}
