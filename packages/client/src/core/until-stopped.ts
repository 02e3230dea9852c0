/**
 * Settles with `work`, or rejects as soon as `signal` aborts, whichever
 * comes first. Every awaited function of the user (token provider, auth
 * strategy, transport, its body) runs under the attempt's signal this way,
 * so one that never settles, or ignores the signal, still ends with the
 * attempt's timeout, the call's deadline or the caller's abort. Exported
 * for hosts whose own transport awaits a request that ignores the signal.
 */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
