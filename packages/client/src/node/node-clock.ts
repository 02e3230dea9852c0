import type { Runtime } from '../core/clock.js';

/** Timer-based sleep for Node.js, cleared when the signal aborts. */
export function nodeSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The defaults of the package root: real timers, the system clock, Math.random. */
export const nodeRuntime: Runtime = {
  sleep: nodeSleep,
  setTimer(ms, onTimeout) {
    const timer = setTimeout(onTimeout, ms);
    return () => clearTimeout(timer);
  },
  now: () => Date.now(),
  random: () => Math.random(),
};
