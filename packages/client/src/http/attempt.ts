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
import { loadValidation, validationLoaded } from '../validation.js';
import { parseRetryAfter } from './retry.js';
import { BodyLimitExceededError, type Transport, type TransportResponse } from './transport.js';

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
  /**
   * The credential header values each attempt sent, by the attempt's abort
   * signal: a gateway or transport that echoes them back must not get them
   * into an error message, a cause or a log line.
   */
  readonly #sentCredentials = new WeakMap<AbortSignal, string[]>();

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
          maxResponseBytes: context.maxResponseBytes,
        })) as unknown as typeof fetch,
      middleware: [authMiddleware(context, (signal, values) => this.#sentCredentials.set(signal, values))],
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

    const credentials = (): string[] => this.#sentCredentials.get(controller.signal) ?? [];
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
          throw this.#transportFailure(error, stopReason, timeoutMs, credentials());
        }
      }
      if (!isTransportResponse(response)) {
        throw new ConfigurationError('The transport (the fetch option) resolved to something that is not a response with status, headers.get() and text()');
      }
      const requestId = response.headers.get(REQUEST_ID_HEADER) ?? undefined;
      let text: string;
      try {
        text = scrub(await readBody(response, this.#context.maxResponseBytes, requestId), credentials());
      } catch (error) {
        if (error instanceof ModelArtsError) throw error;
        throw this.#transportFailure(error, stopReason, timeoutMs, credentials(), requestId);
      }
      if (response.status >= 200 && response.status < 300) {
        if (!validationLoaded()) await loadValidation();
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

  #transportFailure(
    error: unknown,
    stopReason: StopReason | undefined,
    timeoutMs: number,
    credentials: readonly string[],
    requestId?: string,
  ): ModelArtsError {
    const cause = safeCause(error instanceof FetchError ? error.cause : error, credentials);
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

function authMiddleware(context: AttemptContext, remember: (signal: AbortSignal, credentials: string[]) => void): Middleware {
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
      if (init.signal) remember(init.signal, credentialValues(headers));
      return { url, init: { ...init, headers } };
    },
  };
}

const CREDENTIAL_HEADERS = ['authorization', 'x-auth-token', 'x-security-token'];

/** Values to keep out of errors, longest first so a whole header goes before its parts. */
function credentialValues(headers: Record<string, string>): string[] {
  const values: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers[name];
    if (!value) continue;
    values.push(value);
    for (const part of value.matchAll(/(?:Access|Signature)=([^,\s]+)/g)) values.push(part[1]!);
  }
  // Too short to tell from ordinary text; real tokens, keys and signatures are far longer.
  return values.filter((value) => value.length >= 8).sort((a, b) => b.length - a.length);
}

function scrub(text: string, credentials: readonly string[]): string {
  for (const value of credentials) {
    if (text.includes(value)) text = text.split(value).join('[credential]');
  }
  return text;
}

/**
 * What a transport threw, reduced to name, code, message and stack, with
 * credentials scrubbed: HTTP libraries attach the request (options,
 * headers) to their errors, and a cause is printed in full by inspect.
 */
function safeCause(cause: unknown, credentials: readonly string[], depth = 0): Error {
  if (!(cause instanceof Error)) return new Error(scrub(typeof cause === 'string' ? cause : Object.prototype.toString.call(cause), credentials));
  const inner = cause.cause !== undefined && depth < 4 ? { cause: safeCause(cause.cause, credentials, depth + 1) } : undefined;
  const message = scrub(cause.message, credentials);
  const copy =
    cause instanceof AggregateError
      ? new AggregateError((cause.errors as unknown[]).slice(0, 10).map((e) => safeCause(e, credentials, depth + 1)), message, inner)
      : new Error(message, inner);
  copy.name = cause.name;
  copy.stack = scrub(cause.stack ?? '', credentials);
  const { code } = cause as { code?: unknown };
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  return copy;
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
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (error instanceof BodyLimitExceededError) throw tooLarge();
      throw error;
    }
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
