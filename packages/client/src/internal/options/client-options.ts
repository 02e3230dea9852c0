import type { AuthStrategy } from '../../core/auth/strategies.js';
import { resolveAuth } from '../../core/auth/strategies.js';
import type { Runtime } from '../../core/clock.js';
import { resolveEndpoint } from '../../core/endpoint.js';
import { ConfigurationError } from '../../core/errors.js';
import { assertProjectId } from '../../core/ids.js';
import type { Transport } from '../../core/transport.js';
import type { Logger, ModelArtsClientOptions } from '../../core/types.js';
import { CLIENT_DEFAULTS, type JobDefaults } from '../batching/job.js';
import { DEFAULT_RETRY_POLICY } from '../retry/policy.js';
import { checkClientFunctions, positiveInt, quietLogger } from './validate.js';

/** The client's options, checked, with the defaults applied: what the client is made of. */
export interface ClientSettings {
  endpoint: string;
  projectId: string;
  auth: AuthStrategy;
  runtime: Runtime;
  logger: Logger | undefined;
  defaults: JobDefaults;
  transport: Transport;
  maxResponseBytes: number;
}

/**
 * Checks every option of the core client's constructor and fills in the
 * defaults. The core entry references no timers: `runtime.sleep` must be
 * given (the package root's client gives Node.js's); the transport defaults
 * to the global `fetch`, looked up when a request is sent.
 */
export function resolveClientOptions(options: ModelArtsClientOptions): ClientSettings {
  if (!options || typeof options !== 'object') throw new ConfigurationError('ModelArtsClient needs an options object');
  const endpoint = resolveEndpoint(options);
  const projectId = assertProjectId(options.projectId);
  const auth = resolveAuth(options.auth);
  checkClientFunctions(options);
  const sleep = options.runtime?.sleep;
  if (typeof sleep !== 'function') {
    throw new ConfigurationError(
      'runtime.sleep is required by the core entry point; import from "@modelarts-kit/client" for Node.js defaults',
    );
  }
  return {
    endpoint,
    projectId,
    auth,
    runtime: {
      sleep,
      now: options.runtime?.now ?? (() => Date.now()),
      random: options.runtime?.random ?? Math.random,
      ...(options.runtime?.setTimer ? { setTimer: options.runtime.setTimer } : {}),
    },
    logger: quietLogger(options.logger),
    defaults: {
      maxRetries: positiveInt(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries, 'maxRetries', 0),
      timeoutMs: positiveInt(options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs, 'timeoutMs', 1),
      batchSize: positiveInt(options.batchSize ?? CLIENT_DEFAULTS.batchSize, 'batchSize', 1),
      concurrency: positiveInt(options.concurrency ?? CLIENT_DEFAULTS.concurrency, 'concurrency', 1),
    },
    transport: options.transport ?? options.fetch ?? ((url, init) => fetch(url, init)),
    maxResponseBytes: positiveInt(options.maxResponseBytes ?? CLIENT_DEFAULTS.maxResponseBytes, 'maxResponseBytes', 1),
  };
}
