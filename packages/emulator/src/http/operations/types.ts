import type { QueryValues } from '../../spec/operation-contract.js';
import type { EmulatorState, LiveJob } from '../../state/emulator-state.js';
import type { ErrorAnswer } from '../error-catalog.js';

/** A request that passed routing, authentication and the OpenAPI checks. */
export interface OperationRequest {
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<QueryValues>;
  /** The parsed body, valid against the operation's schema; undefined when the operation has none. */
  readonly body: unknown;
  /** The job named by `data_annotation_id` or `job_id`; undefined for project-wide operations. */
  readonly job: LiveJob | undefined;
  readonly state: EmulatorState;
  readonly now: () => number;
}

export type OperationResult = { ok: true; body: string } | { ok: false; error: ErrorAnswer };

export interface OperationHandler {
  /** The image IDs the request names: checked against `maxBatchSize` and counted in the stats. */
  batch?(request: OperationRequest): readonly string[];
  /** The body field that holds the batch, named when it is over the limit. Default `image_id`. */
  batchField?: string;
  /** What decides the fault draw; by default the operation, its query and its body. */
  faultKey?(request: OperationRequest): string;
  /** Answers the request, applying its change to the state when it writes. */
  run(request: OperationRequest): OperationResult;
}

/** A successful answer: `is_success: true` and the operation's fields. */
export function success(fields: Record<string, unknown> = {}): OperationResult {
  return { ok: true, body: JSON.stringify({ is_success: true, ...fields }) };
}

export function failure(error: ErrorAnswer): OperationResult {
  return { ok: false, error };
}

/** The job of a request whose route names one (the pipeline answered 404 already if it is unknown). */
export function jobOf(request: OperationRequest): LiveJob {
  if (!request.job) throw new Error('this operation needs a job');
  return request.job;
}
