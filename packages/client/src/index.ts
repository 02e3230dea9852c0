import { ModelArtsClient as CoreClient, type ModelArtsClientOptions as CoreOptions } from './client.js';
import type { RuntimeOptions } from './runtime/runtime.js';
import { nodeRuntime } from './runtime/node.js';

export * from './core.js';
export { nodeRuntime } from './runtime/node.js';

export interface ModelArtsClientOptions extends Omit<CoreOptions, 'runtime'> {
  /** Replace the timers, clock or randomness (tests, hosts with their own timers). */
  runtime?: RuntimeOptions;
}

/** The client with Node.js defaults for timers, clock and randomness. */
export class ModelArtsClient extends CoreClient {
  constructor(options: ModelArtsClientOptions) {
    super({ ...options, runtime: { ...nodeRuntime, ...options?.runtime } });
  }
}
