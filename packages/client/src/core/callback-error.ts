import { ModelArtsError } from './errors.js';
import type { ObsSyncStatus, WriteResult } from './annotation-types.js';
import type { ImageTagsResult } from './types.js';

/**
 * A callback of the caller (`onProgress`; `onStatus` of syncFromObs)
 * threw. The call stops: no further request is sent, those in flight are
 * cancelled, and what was fetched or written before stays as it was. The method rejects with this error,
 * `result` holding what the call did: every ID of a read (found and missing
 * ones as fetched, the rest in `failed` with this error), or the
 * WriteResult of a write (the images not yet sent in `failed`). A streaming
 * form yields the batches settled so far, then throws it (its `result` is
 * then undefined). For syncFromObs, `result` is the status given to
 * `onStatus`. `cause` is what the callback threw.
 */
export class CallbackError<
  R extends ImageTagsResult | WriteResult | ObsSyncStatus = ImageTagsResult | WriteResult | ObsSyncStatus,
> extends ModelArtsError {
  override name = 'CallbackError';
  /** The option whose function threw. */
  readonly callback: string;
  /** Everything the call settled, when thrown by a method that returns a result (not a streaming form). */
  result: R | undefined;

  constructor(callback: string, thrown: unknown) {
    const what = describeThrown(thrown);
    super(`The ${callback} callback threw (${what.slice(0, 300)}); the call stopped, and error.result holds what it had done`, {
      cause: thrown,
    });
    this.callback = callback;
  }
  protected static override readonly fatalKind = true;

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), callback: this.callback };
  }
}

function describeThrown(thrown: unknown): string {
  try {
    return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  } catch {
    return Object.prototype.toString.call(thrown);
  }
}
