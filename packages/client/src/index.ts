import { ModelArtsClient as CoreClient, type ModelArtsClientOptions as CoreOptions } from './client.js';
import { createNodeTransport } from './http/node-transport.js';
import type { RuntimeOptions } from './runtime/runtime.js';
import { nodeRuntime } from './runtime/node.js';

export * from './core.js';
export { createNodeTransport, type NodeTransportOptions } from './http/node-transport.js';
export { nodeRuntime } from './runtime/node.js';

export interface ModelArtsClientOptions extends Omit<CoreOptions, 'runtime'> {
  /** Replace the timers, clock or randomness (tests, hosts with their own timers). */
  runtime?: RuntimeOptions;
}

/**
 * The client with Node.js defaults: real timers, the system clock, and
 * `node:http`/`node:https` with keep-alive as the transport (pass
 * `fetch: globalThis.fetch`, or any other transport, to replace it).
 */
export class ModelArtsClient extends CoreClient {
  constructor(options: ModelArtsClientOptions) {
    super({ ...options, fetch: options?.fetch ?? createNodeTransport(), runtime: { ...nodeRuntime, ...options?.runtime } });
  }
}
