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
  /** Milliseconds since the epoch. */
  now(): number;
  /** A number in [0, 1), for backoff jitter. */
  random(): number;
}

export type RuntimeOptions = Partial<Runtime>;
