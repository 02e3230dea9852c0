/** The part of an AbortSignal that the request path reads: a CallStop or a real signal. */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * What stops one call's requests (the caller's signal, the deadline, a
 * fatal answer, a throwing callback), in place of an AbortController per
 * call: its listeners are an array, and the real AbortSignal a sleep needs is
 * made only when a retry asks for one. An AbortController and its
 * listeners cost about a tenth of the client's CPU time on a small call.
 */
export class CallStop implements StopSignal {
  aborted = false;
  reason: unknown;
  /** An array, not a Set: there are a few at most (one per request in flight), and an empty Set costs 450 bytes. */
  #listeners: (() => void)[] = [];
  #controller: AbortController | undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted && !this.#listeners.includes(listener)) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
  }

  /** A real AbortSignal that aborts with this call, for `runtime.sleep`. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }
}

/** The AbortSignal to hand to code outside the request path (a user's sleep). */
export function abortSignalOf(stop: StopSignal): AbortSignal {
  return stop instanceof CallStop ? stop.signal : (stop as AbortSignal);
}
