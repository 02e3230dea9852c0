/**
 * The HTTP layer the client needs, and nothing more: a subset of `fetch`
 * that a host (such as n8n's request helper) can provide instead.
 */
export interface TransportRequest {
  method: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Redirects are never followed: they would carry credentials to another host. */
  redirect?: 'manual';
  /**
   * The most body bytes the client accepts. A transport that buffers the
   * body itself should stop reading past it and reject `text()` with a
   * BodyLimitExceededError; `fetch` ignores it (the client reads its stream).
   */
  maxResponseBytes?: number;
}

export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** Used when there is no body stream. */
  text(): Promise<string>;
  /** When present, read incrementally so the size limit applies before the whole body is in memory. */
  body?: ReadableStream<Uint8Array> | null;
}

export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

/**
 * What a transport rejects `text()` with when the body passes
 * `TransportRequest.maxResponseBytes`; the client reports it as a
 * ResponseTooLargeError.
 */
export class BodyLimitExceededError extends Error {
  override name = 'BodyLimitExceededError';
  constructor(readonly limit: number) {
    super(`the response body is larger than ${limit} bytes`);
  }
}

/**
 * What a transport rejects `text()` (or errors the body stream) with when
 * the body cannot be decoded as its Content-Encoding says (a "gzip" body
 * that is not gzip): the answer came, but is unusable, so the client
 * reports an InvalidResponseError rather than a connection failure.
 */
export class BodyDecodingError extends Error {
  override name = 'BodyDecodingError';
  constructor(
    readonly encoding: string,
    options?: { cause?: unknown },
  ) {
    super(`the response body is not valid ${encoding}`, options);
  }
}
