import { AbortError } from '../../core/errors.js';

/**
 * Turns a producer that pushes items into an async generator, with
 * back-pressure: the producer waits while `capacity` items are unread, and
 * is stopped (its signal aborts) when the consumer stops iterating. The
 * producer's failure is thrown after the items it delivered.
 */
export async function* streamFrom<T>(
  produce: (push: (item: T) => Promise<void>, consumerGone: AbortSignal) => Promise<void>,
  capacity: number,
): AsyncGenerator<T> {
  const ready: T[] = [];
  let wake: (() => void) | undefined;
  let drained: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const consumerGone = new AbortController();

  const push = async (item: T): Promise<void> => {
    ready.push(item);
    wake?.();
    // Back-pressure: do not fetch further ahead of a slow consumer.
    while (ready.length >= capacity && !consumerGone.signal.aborted) {
      await new Promise<void>((resolve) => (drained = resolve));
    }
  };
  const running = produce(push, consumerGone.signal).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );

  try {
    for (;;) {
      if (ready.length > 0) {
        const item = ready.shift()!;
        drained?.();
        yield item;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  } finally {
    consumerGone.abort(new AbortError('The consumer stopped iterating'));
    drained?.();
    await running;
  }
}
