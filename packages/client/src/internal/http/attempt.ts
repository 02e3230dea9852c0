import { type AuthStrategy, knownSecrets } from '../../core/auth/strategies.js';
import type { Runtime } from '../../core/clock.js';
import { ConfigurationError, DeadlineExceededError, ModelArtsError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import { credentialValues, redact, redactError, redactJsonText, secretValues } from '../../core/redaction.js';
import type { Transport, TransportRequest, TransportResponse } from '../../core/transport.js';
import { AnnotationJobsApi, type ApiResponse, Configuration, DataAnnotationsApi, type RequestHook } from '../../generated/index.js';
import { parseShowImageTagsBody } from '../response/parse-body.js';
import type { ResponseMeta } from '../response/to-image-tags.js';
import { loadValidation, validationLoaded } from '../response/validation.js';
import { authFailure } from './auth-failure.js';
import { httpFailure, type StopReason, transportFailure } from './failures.js';
import { readBody } from './read-body.js';
import type { StopSignal } from '../batching/call-stop.js';
import { startTimer } from '../timer.js';

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

/** The generated API classes, which build each operation's request from the spec. */
export interface GeneratedApis {
  dataAnnotations: DataAnnotationsApi;
  annotationJobs: AnnotationJobsApi;
}

/**
 * One request of any operation: `call` sends it through a generated API
 * class (passing on the init, which carries the attempt's signal), `parse`
 * turns a 2xx body into the value. Both run inside the one path below.
 */
export interface Operation<T> {
  call: (apis: GeneratedApis, init: { signal: AbortSignal }) => Promise<ApiResponse<unknown>>;
  parse: (text: string, meta: ResponseMeta) => T;
}

const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Sends one request of an operation through the generated API classes and
 * turns whatever happens into either the parsed value or a typed error. Auth runs
 * in the generated runtime's `beforeSend` hook, on every attempt, so each
 * retry is signed afresh with a fresh date.
 */
export class AttemptSender {
  readonly #context: AttemptContext;
  readonly #apis: GeneratedApis;
  /**
   * The credential header values each attempt sent, by the attempt's abort
   * signal: a gateway or transport that echoes them back must not get them
   * into an error message, a cause or a log line.
   */
  readonly #sentCredentials = new WeakMap<AbortSignal, string[]>();
  /** Errors the transport itself threw (as opposed to the auth hook): they mean no answer came. */
  readonly #transportErrors = new WeakSet<object>();
  /**
   * The secrets of the last attempt, reused while its credentials are the
   * same (a token is, on every request): working them out again cost about
   * a tenth of a small call's CPU time.
   */
  #lastSecrets: { sent: readonly string[]; known: readonly (string | undefined)[]; all: string[] } | undefined;

  constructor(context: AttemptContext) {
    this.#context = context;
    const transport: Transport = (url, init) =>
      context.transport(url, init).catch((error: unknown) => {
        if (typeof error === 'object' && error !== null) this.#transportErrors.add(error);
        throw error;
      });
    const configuration = new Configuration({
      basePath: context.endpoint,
      transport,
      beforeSend: authorize(context, (signal, values) => this.#sentCredentials.set(signal, values)),
      maxResponseBytes: context.maxResponseBytes,
    });
    this.#apis = { dataAnnotations: new DataAnnotationsApi(configuration), annotationJobs: new AnnotationJobsApi(configuration) };
  }

  /** What was sent, and what the strategy holds but never sends (an SK): quoted text is searched for both. */
  #allSecrets(sent: readonly string[]): string[] {
    const known = knownSecrets(this.#context.auth);
    const last = this.#lastSecrets;
    if (last && sameValues(last.sent, sent) && sameValues(last.known, known)) return last.all;
    const all = secretValues([...sent, ...known]);
    this.#lastSecrets = { sent, known, all };
    return all;
  }

  /** One tags/show request. */
  async send(annotationId: string, imageIds: readonly string[], timeoutMs: number, outerSignal: StopSignal): Promise<AttemptResult> {
    const { value, requestId } = await this.request(
      {
        call: (apis, init) =>
          apis.dataAnnotations.showImageTagsRaw(
            { projectId: this.#context.projectId, dataAnnotationId: annotationId, showImageTagsRequest: { image_id: [...imageIds] } },
            init,
          ),
        parse: parseShowImageTagsBody,
      },
      timeoutMs,
      outerSignal,
    );
    return { images: value, requestId };
  }

  /** One request of any operation, with auth, the timeout, the caller's signal, redaction and error mapping. */
  async request<T>(
    operation: Operation<T>,
    timeoutMs: number,
    outerSignal: StopSignal,
  ): Promise<{ value: T; requestId: string | undefined }> {
    const controller = new AbortController();
    let stopReason: StopReason | undefined;
    /** Rejects what the attempt awaits now: set by `untilAttemptStops`. */
    let interrupt: ((reason: unknown) => void) | undefined;
    const stop = (reason: StopReason): void => {
      if (stopReason) return;
      stopReason = reason;
      controller.abort();
      interrupt?.(controller.signal.reason);
    };
    /**
     * Settles with `work`, or rejects as soon as the attempt stops: the
     * transport, its body and the auth strategy are the user's, and one that
     * never settles still ends with the timeout, deadline or abort. This is
     * `untilStopped` without a listener on the signal per await.
     */
    const untilAttemptStops = <T>(work: Promise<T>): Promise<T> => {
      if (stopReason) {
        work.catch(() => undefined);
        return Promise.reject(controller.signal.reason);
      }
      return new Promise<T>((resolve, reject) => {
        interrupt = (reason) => {
          work.catch(() => undefined);
          reject(reason);
        };
        work.then(resolve, reject);
      });
    };
    const onOuterAbort = (): void => stop(outerSignal.reason instanceof DeadlineExceededError ? 'deadline' : 'abort');
    if (outerSignal.aborted) onOuterAbort();
    else outerSignal.addEventListener('abort', onOuterAbort, { once: true });
    const cancelTimer = startTimer(this.#context.runtime, timeoutMs, () => stop('timeout'));

    const secrets = (): string[] => this.#sentCredentials.get(controller.signal) ?? [];
    let all: string[] | undefined;
    const allSecrets = (): string[] => (all ??= this.#allSecrets(secrets()));
    const failure = (error: unknown, requestId?: string): ModelArtsError =>
      transportFailure(error, stopReason, {
        endpoint: this.#context.endpoint,
        timeoutMs,
        secrets: secrets(),
        requestId,
        fromTransport: typeof error === 'object' && error !== null && this.#transportErrors.has(error),
      });
    try {
      let response: TransportResponse;
      try {
        const answer = await untilAttemptStops(operation.call(this.#apis, { signal: controller.signal }));
        response = answer.raw;
      } catch (error) {
        throw failure(error);
      }
      if (!isTransportResponse(response)) {
        throw new ConfigurationError('The transport resolved to something that is not a response with status, headers.get() and text()');
      }
      const requestId = response.headers.get(REQUEST_ID_HEADER) ?? undefined;
      let text: string;
      try {
        text = redactJsonText(await untilAttemptStops(readBody(response, this.#context.maxResponseBytes, requestId)), allSecrets());
      } catch (error) {
        if (error instanceof ModelArtsError) throw error;
        throw failure(error, requestId);
      }
      if (response.status >= 200 && response.status < 300) {
        if (!validationLoaded()) await loadValidation();
        const value = operation.parse(text, { status: response.status, requestId });
        // An X-Request-Id that echoes the credential must not reach result.requestIds.
        return { value, requestId: requestId === undefined ? undefined : redact(requestId, allSecrets()) };
      }
      throw httpFailure(response, text, requestId, this.#context.runtime.now());
    } catch (error) {
      // The one exit of every error of an attempt: whatever it quotes from the answer is redacted here.
      if (error instanceof ModelArtsError) redactError(error, allSecrets());
      throw error;
    } finally {
      cancelTimer();
      outerSignal.removeEventListener('abort', onOuterAbort);
    }
  }
}

/** The auth hook: adds the strategy's headers to the exact request that will be sent, and remembers their secret values. */
function authorize(context: AttemptContext, remember: (signal: AbortSignal, credentials: string[]) => void): RequestHook {
  // The values of the last headers added, reused while they are the same (see #lastSecrets).
  let last: { sent: Record<string, string>; values: string[] } | undefined;
  return async ({ url, init }): Promise<TransportRequest> => {
    const headers = { ...init.headers };
    let added: Record<string, string>;
    try {
      added = await context.auth.authorize(
        { method: init.method, url, headers, body: init.body },
        { projectId: context.projectId, now: context.runtime.now() },
      );
      if (added === null || typeof added !== 'object') throw new ConfigurationError('The auth strategy returned no object of headers');
    } catch (error) {
      throw authFailure(error, context.auth, secretValues(knownSecrets(context.auth)));
    }
    const sent: Record<string, string> = {};
    for (const [name, value] of Object.entries(added)) headers[name.toLowerCase()] = sent[name.toLowerCase()] = value;
    // The HTTP stack derives Host from the URL; it is signed with the same value.
    delete headers.host;
    if (!last || !sameHeaders(last.sent, sent)) last = { sent, values: credentialValues(sent) };
    if (init.signal) remember(init.signal, last.values);
    return { ...init, headers };
  };
}

function isTransportResponse(value: unknown): value is TransportResponse {
  const response = value as Partial<TransportResponse> | null | undefined;
  return typeof response?.status === 'number' && typeof response.headers?.get === 'function' && typeof response.text === 'function';
}

function sameValues(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameHeaders(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let count = 0;
  for (const name in b) {
    if (a[name] !== b[name] || !Object.hasOwn(a, name)) return false;
    count++;
  }
  return count === Object.keys(a).length;
}
