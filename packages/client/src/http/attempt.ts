import type { AuthStrategy } from '../auth/strategies.js';
import {
  AbortError,
  apiErrorFor,
  ConfigurationError,
  ConnectionError,
  DeadlineExceededError,
  InvalidResponseError,
  ModelArtsError,
  ResponseTooLargeError,
  TimeoutError,
} from '../errors.js';
import { Configuration, DataAnnotationsApi, FetchError, type Middleware, ResponseError } from '../generated/index.js';
import { type ImageTags, parseShowImageTagsBody } from '../image-tags.js';
import type { Runtime } from '../runtime/runtime.js';
import { parseRetryAfter } from './retry.js';
import type { Transport, TransportResponse } from './transport.js';

export interface AttemptContext {
  endpoint: string;
  projectId: string;
  auth: AuthStrategy;
  transport: Transport;
  runtime: Runtime;
  maxResponseBytes: number;
}

export interface AttemptResult {
  images: ImageTags[];
  requestId: string | undefined;
}

/** Why a request's controller was aborted, so the error can say which limit was hit. */
export type StopReason = 'timeout' | 'abort' | 'deadline';

const REQUEST_ID_HEADER = 'x-request-id';
/**
 * The reason given when a settled request cancels its timeout timer.
 * `abort()` without a reason builds a DOMException, stack trace included,
 * on every request: about a fifth of the client's CPU time per call.
 */
const TIMER_NOT_NEEDED = 'request settled';

/**
 * Sends one tags/show request through the generated API class and turns
 * whatever happens into either typed entries or a typed error. Auth is a
 * middleware of the generated runtime: it runs on every attempt, so each
 * retry is signed afresh with a fresh date.
 */
export class AttemptSender {
  readonly #context: AttemptContext;
  readonly #api: DataAnnotationsApi;

  constructor(context: AttemptContext) {
    this.#context = context;
    const configuration = new Configuration({
      basePath: context.endpoint,
      fetchApi: ((url: string, init: RequestInit) =>
        context.transport(url, {
          method: init.method ?? 'POST',
          headers: init.headers as Record<string, string>,
          body: init.body as string | undefined,
          signal: init.signal ?? undefined,
          redirect: 'manual',
        })) as unknown as typeof fetch,
      middleware: [authMiddleware(context)],
    });
    this.#api = new DataAnnotationsApi(configuration);
  }

  async send(
    annotationId: string,
    imageIds: readonly string[],
    timeoutMs: number,
    outerSignal: AbortSignal,
  ): Promise<AttemptResult> {
    const controller = new AbortController();
    let stopReason: StopReason | undefined;
    const stop = (reason: StopReason): void => {
      stopReason ??= reason;
      controller.abort();
    };
    const onOuterAbort = (): void => stop(outerReason(outerSignal));
    if (outerSignal.aborted) onOuterAbort();
    else outerSignal.addEventListener('abort', onOuterAbort, { once: true });
    const timerCancel = new AbortController();
    void this.#context.runtime
      .sleep(timeoutMs, timerCancel.signal)
      .then(() => {
        if (!timerCancel.signal.aborted) stop('timeout');
      })
      .catch(() => undefined);

    try {
      let response: TransportResponse;
      try {
        const raw = await this.#api.showImageTagsRaw(
          { projectId: this.#context.projectId, dataAnnotationId: annotationId, showImageTagsRequest: { image_id: [...imageIds] } },
          { signal: controller.signal },
        );
        response = raw.raw as unknown as TransportResponse;
      } catch (error) {
        if (error instanceof ResponseError) {
          response = error.response as unknown as TransportResponse;
        } else {
          throw this.#transportFailure(error, stopReason, timeoutMs);
        }
      }
      if (!isTransportResponse(response)) {
        throw new ConfigurationError('The transport (the fetch option) resolved to something that is not a response with status, headers.get() and text()');
      }
      const requestId = response.headers.get(REQUEST_ID_HEADER) ?? undefined;
      let text: string;
      try {
        text = await readBody(response, this.#context.maxResponseBytes, requestId);
      } catch (error) {
        if (error instanceof ModelArtsError) throw error;
        throw this.#transportFailure(error, stopReason, timeoutMs, requestId);
      }
      if (response.status >= 200 && response.status < 300) {
        return { images: parseShowImageTagsBody(text, { status: response.status, requestId }), requestId };
      }
      throw this.#httpFailure(response, text, requestId);
    } finally {
      timerCancel.abort(TIMER_NOT_NEEDED);
      outerSignal.removeEventListener('abort', onOuterAbort);
    }
  }

  #httpFailure(response: TransportResponse, text: string, requestId: string | undefined): ModelArtsError {
    const { status } = response;
    if (status >= 300 && status < 400) {
      return new InvalidResponseError(
        `the endpoint redirected to ${response.headers.get('location') ?? 'another address'}; redirects are not followed so that credentials stay with the configured host: set the endpoint to the final address`,
        { status, requestId },
      );
    }
    const body = errorBody(text);
    const error = apiErrorFor({ status, requestId, errorCode: body.errorCode, errorMsg: body.errorMsg });
    error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#context.runtime.now());
    return error;
  }

  #transportFailure(error: unknown, stopReason: StopReason | undefined, timeoutMs: number, requestId?: string): ModelArtsError {
    const cause = error instanceof FetchError ? error.cause : error;
    switch (stopReason) {
      case 'timeout':
        return new TimeoutError(`The request got no complete answer within ${timeoutMs} ms; raise timeoutMs if the service is slow`, { requestId });
      case 'deadline':
        return new DeadlineExceededError('The call ran past its deadline (deadlineMs) before this request finished', { requestId });
      case 'abort':
        return new AbortError('The call was aborted by its AbortSignal', { requestId });
      default:
        if (error instanceof ModelArtsError) return error;
        return new ConnectionError(
          `Could not reach ModelArts at ${this.#context.endpoint}: ${describeCause(cause)}; check the endpoint or region and the network`,
          { cause, requestId },
        );
    }
  }
}

function authMiddleware(context: AttemptContext): Middleware {
  return {
    async pre({ url, init }) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
        headers[name.toLowerCase()] = value;
      }
      const body = typeof init.body === 'string' ? init.body : undefined;
      const added = await context.auth.authorize(
        { method: init.method ?? 'POST', url, headers, body },
        { projectId: context.projectId, now: context.runtime.now() },
      );
      for (const [name, value] of Object.entries(added)) headers[name.toLowerCase()] = value;
      // The HTTP stack derives Host from the URL; it is signed with the same value.
      delete headers.host;
      return { url, init: { ...init, headers } };
    },
  };
}

function isTransportResponse(value: unknown): value is TransportResponse {
  const response = value as Partial<TransportResponse> | null | undefined;
  return typeof response?.status === 'number' && typeof response.headers?.get === 'function' && typeof response.text === 'function';
}

function outerReason(signal: AbortSignal): StopReason {
  return signal.reason instanceof DeadlineExceededError ? 'deadline' : 'abort';
}

/** Reads the body, refusing to buffer more than `limit` bytes. */
async function readBody(response: TransportResponse, limit: number, requestId: string | undefined): Promise<string> {
  const tooLarge = (): ResponseTooLargeError =>
    new ResponseTooLargeError(
      `The response body is larger than maxResponseBytes (${limit} bytes); lower the batch size or raise maxResponseBytes`,
      { status: response.status, requestId },
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) {
    const text = await response.text();
    // The limit is in bytes, as on the wire: a character can take up to 4.
    if (text.length > limit || (text.length * 3 > limit && utf8Length(text) > limit)) throw tooLarge();
    return text;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** UTF-8 byte count without encoding a copy; a lone surrogate counts as its 3-byte replacement. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
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
