import type { Runtime } from '../core/clock.js';

/**
 * The reason given when a timer that is no longer needed is cancelled.
 * `abort()` without a reason builds a DOMException, stack trace included,
 * on every request: about a fifth of the client's CPU time per call.
 */
const TIMER_NOT_NEEDED = 'timer not needed';

/**
 * Calls `onTimeout` after `ms` unless the returned function is called
 * first: with the runtime's `setTimer` when it has one, else with its
 * `sleep` and a signal to cut the sleep short.
 */
export function startTimer(runtime: Runtime, ms: number, onTimeout: () => void): () => void {
  if (runtime.setTimer) return runtime.setTimer(ms, onTimeout);
  const cancel = new AbortController();
  void runtime
    .sleep(ms, cancel.signal)
    .then(() => {
      if (!cancel.signal.aborted) onTimeout();
    })
    .catch(() => undefined);
  return () => cancel.abort(TIMER_NOT_NEEDED);
}
