import type { Runtime } from '../../src/core/clock.js';

interface Timer {
  at: number;
  ms: number;
  resolve: () => void;
}

/**
 * A clock that only moves when everything else is waiting: `run` lets all
 * pending I/O and promises settle, then jumps to the next timer. Sleeps
 * that completed are recorded, so tests can check backoff delays exactly.
 */
export class VirtualClock implements Runtime {
  time: number;
  readonly fired: number[] = [];
  #timers: Timer[] = [];
  #random: () => number;

  constructor(start = Date.parse('2025-06-01T00:00:00Z'), random: () => number = () => 0.5) {
    this.time = start;
    this.#random = random;
  }

  now = (): number => this.time;
  random = (): number => this.#random();

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = {
        at: this.time + ms,
        ms,
        resolve: () => {
          this.fired.push(ms);
          resolve();
        },
      };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          resolve();
        },
        { once: true },
      );
    });

  /** Drives `promise` to completion, advancing virtual time whenever the system is idle. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const tracked = promise.finally(() => {
      settled = true;
    });
    tracked.catch(() => undefined);
    for (let guard = 0; guard < 100_000; guard++) {
      await idle();
      if (settled) return tracked;
      if (this.#timers.length === 0) continue;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    throw new Error('VirtualClock.run did not settle');
  }

  /** Sleeps that ran to completion, excluding the given per-request timeout. */
  backoffs(timeoutMs: number): number[] {
    return this.fired.filter((ms) => ms !== timeoutMs);
  }
}

async function idle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
