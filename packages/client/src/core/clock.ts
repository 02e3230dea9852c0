/**
 * Time and randomness, injected so that the core is deterministic in tests
 * and can run where timers are provided by the host (n8n's sandbox rules
 * forbid our code from touching setTimeout).
 */
export interface Runtime {
  /**
   * Waits `ms` milliseconds. Should return early (resolve or reject) when
   * `signal` aborts, so that timers do not outlive the call.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `onTimeout` after `ms` milliseconds unless the function it
   * returns is called first. Optional: without it, each request's timeout
   * is a `sleep` with an AbortSignal of its own, which costs a few
   * microseconds more per request.
   */
  setTimer?(ms: number, onTimeout: () => void): () => void;
  /** Milliseconds since the epoch. */
  now(): number;
  /** A number in [0, 1), for backoff jitter. */
  random(): number;
}

export type RuntimeOptions = Partial<Runtime>;
