import type { Runtime } from '../../core/clock.js';
import type { CallOptions } from '../../core/annotation-types.js';
import { AbortError } from '../../core/errors.js';
import type { Logger } from '../../core/types.js';
import type { JobDefaults } from '../batching/job.js';
import { stopOnSignalOrDeadline } from '../batching/schedule.js';
import { checkSignal, positiveInt } from '../options/validate.js';
import type { AttemptSender, GeneratedApis, Operation } from '../http/attempt.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry/policy.js';
import { withRetries } from '../retry/retry-loop.js';
import { type RetrySafety, retryRule } from '../retry/safety.js';

/** What every operation of the family needs from the client. */
export interface OperationContext {
  sender: AttemptSender;
  projectId: string;
  runtime: Runtime;
  logger: Logger | undefined;
  defaults: JobDefaults;
}

/**
 * One call of an operation, which may send many requests (pages, batches,
 * status reads): the caller's signal and the deadline cover all of them,
 * and each request goes through the sender with the retry rule of its
 * operation. Close it when done, to drop the deadline timer.
 */
export class Call {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly #context: OperationContext;
  readonly #cleanups: (() => void)[];
  readonly #control = new AbortController();

  constructor(context: OperationContext, options: CallOptions) {
    this.#context = context;
    ({ timeoutMs: this.timeoutMs, policy: this.policy } = Call.check(context, options));
    this.#cleanups = stopOnSignalOrDeadline(this.#control, options, context.runtime);
    this.signal = this.#control.signal;
  }

  /** Checks the options, starting nothing. */
  static check(context: OperationContext, options: CallOptions): { timeoutMs: number; policy: RetryPolicy } {
    checkSignal(options.signal);
    if (options.deadlineMs !== undefined) positiveInt(options.deadlineMs, 'deadlineMs', 1);
    return {
      timeoutMs: positiveInt(options.timeoutMs ?? context.defaults.timeoutMs, 'timeoutMs', 1),
      policy: { ...DEFAULT_RETRY_POLICY, maxRetries: positiveInt(options.maxRetries ?? context.defaults.maxRetries, 'maxRetries', 0) },
    };
  }

  /**
   * For iterators: the options are checked now, the call (its deadline
   * timer, its signal wiring) starts at the first `next()`, so an iterator
   * that is never read holds nothing open.
   */
  static later(context: OperationContext, options: CallOptions): () => Call {
    Call.check(context, options);
    return () => new Call(context, options);
  }

  /** Sends one request of an operation, with retries as `safety` allows. */
  run<T>(
    what: string,
    call: (apis: GeneratedApis, init: { signal: AbortSignal }, projectId: string) => ReturnType<Operation<T>['call']>,
    parse: Operation<T>['parse'],
    safety: RetrySafety = 'idempotent',
  ): Promise<{ value: T; requestId: string | undefined }> {
    const { sender, projectId, runtime, logger } = this.#context;
    const operation: Operation<T> = { call: (apis, init) => call(apis, init, projectId), parse };
    return withRetries(
      (signal) => sender.request(operation, this.timeoutMs, signal),
      what,
      this.policy,
      this.signal,
      runtime,
      logger,
      retryRule(safety),
    );
  }

  /** Ends the call: drops the deadline timer and stops a request still in flight (a page fetched ahead that is no longer wanted). */
  close(): void {
    for (const cleanup of this.#cleanups) cleanup();
    if (!this.#control.signal.aborted) this.#control.abort(new AbortError('The call ended'));
  }
}
