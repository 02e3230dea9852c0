import type { ObsSyncStatus, SyncFromObsOptions } from '../../core/annotation-types.js';
import { ConfigurationError, DeadlineExceededError, type ModelArtsError } from '../../core/errors.js';
import { assertAnnotationId } from '../../core/ids.js';
import { CallbackError } from '../../core/callback-error.js';
import { ObsSyncFailedError } from '../../core/job-errors.js';
import { parseFamilyBody } from '../response/parse-family.js';
import { abortReason, asModelArtsError } from '../retry/retry-loop.js';
import { provablyNotProcessed } from '../retry/safety.js';
import { assertKnownOptions, CALL_OPTION_NAMES, intInRange, optionalFunction } from '../options/validate.js';
import { Call, type OperationContext } from './call.js';
import { syncStatusRead } from './reads.js';

const SYNC_OPTIONS = [...CALL_OPTION_NAMES, 'wait', 'pollIntervalMs', 'maxPollIntervalMs', 'onStatus'];
/** A sync that never finishes must not hold the caller for ever. */
export const DEFAULT_SYNC_DEADLINE_MS = 30 * 60_000;

/**
 * Starts an OBS re-sync and, with `wait` (the default), reads its status
 * with growing pauses until it is done (1) or failed (2: an
 * ObsSyncFailedError), under `deadlineMs` (default 30 minutes; a
 * DeadlineExceededError names the last status seen).
 *
 * Starting is not idempotent (each call starts a sync), so its request is
 * retried only after a failure that proves the service did not act on it
 * (429/503, a refused connection). After an ambiguous failure (a timeout, a
 * reset, a 5xx) the status is read once: running means the start arrived;
 * anything else ends the call with the original error, so no second sync is
 * started blindly.
 *
 * `onStatus` is called with every status read, before the call acts on it.
 * If it throws, no further request is made and the call rejects with a
 * CallbackError whose `result` is that status (the sync goes on in the
 * service).
 */
export async function syncFromObs(
  context: OperationContext,
  annotationId: string,
  options: SyncFromObsOptions = {},
): Promise<ObsSyncStatus> {
  const job = assertAnnotationId(annotationId);
  assertKnownOptions(options, SYNC_OPTIONS, 'syncFromObs');
  if (options.wait !== undefined && typeof options.wait !== 'boolean') throw new ConfigurationError('wait must be true or false');
  optionalFunction(options.onStatus, 'onStatus');
  const firstPause = intInRange(options.pollIntervalMs ?? 1_000, 'pollIntervalMs', 1, 3_600_000);
  const maxPause = intInRange(options.maxPollIntervalMs ?? Math.max(15_000, firstPause), 'maxPollIntervalMs', firstPause, 3_600_000);
  const call = new Call(context, { ...options, deadlineMs: options.deadlineMs ?? DEFAULT_SYNC_DEADLINE_MS });
  const [request, parse] = syncStatusRead(job);
  const read = async (): Promise<ObsSyncStatus> => (await call.run('reading the OBS sync status', request, parse)).value;
  const seen = (status: ObsSyncStatus): ObsSyncStatus => {
    try {
      options.onStatus?.(status);
    } catch (caught) {
      const error = new CallbackError<ObsSyncStatus>('onStatus', caught);
      error.result = status;
      throw error;
    }
    return status;
  };
  const readStatus = async (): Promise<ObsSyncStatus> => seen(await read());
  try {
    let status: ObsSyncStatus | undefined;
    try {
      await call.run(
        'starting the OBS sync',
        (apis, init, projectId) => apis.dataAnnotations.startObsSyncRaw({ projectId, dataAnnotationId: job }, init),
        (text, meta) => parseFamilyBody(text, meta, (s) => s.resultStatus),
        'not-idempotent',
      );
    } catch (caught) {
      const error = asModelArtsError(caught);
      if (abortReason(call.signal) || !error.retryable || provablyNotProcessed(error)) throw error;
      status = await read().catch(() => undefined);
      if (status?.state !== 'running') throw ambiguousStart(error, job);
      seen(status);
    }
    if (options.wait === false) return status ?? (await readStatus());
    for (let pause = firstPause; ; pause = Math.min(maxPause, pause * 2)) {
      status = await readStatus();
      if (status.state === 'done') return status;
      if (status.state === 'failed') throw new ObsSyncFailedError(job, { requestId: status.requestId });
      await context.runtime.sleep(pause, call.signal).catch(() => undefined);
      const stopped = abortReason(call.signal);
      if (stopped instanceof DeadlineExceededError) {
        throw new DeadlineExceededError(
          `The OBS sync of annotation job ${job} was still ${status.state} when deadlineMs ran out; it goes on in the service: read getObsSyncStatus later`,
          { requestId: status.requestId, cause: stopped },
        );
      }
      if (stopped) throw stopped;
    }
  } finally {
    call.close();
  }
}

function ambiguousStart(error: ModelArtsError, job: string): ModelArtsError {
  error.message += `; the OBS sync of annotation job ${job} may or may not have started, and starting it is not retried blindly: read getObsSyncStatus before starting it again`;
  return error;
}
