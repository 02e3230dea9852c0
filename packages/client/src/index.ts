import { provideNodeCrypto } from './core/auth/node-crypto.js';
import { ModelArtsCoreClient } from './core/client.js';
import type { Runtime } from './core/clock.js';
import type { ModelArtsClientOptions } from './core/types.js';
import { nodeRuntime } from './node/node-clock.js';
import { loadNodeCrypto } from './node/node-crypto.js';
import { createNodeTransport } from './node/node-transport.js';

provideNodeCrypto(loadNodeCrypto);

export * from './core/public.js';
export { createNodeTransport, type NodeTransportOptions } from './node/node-transport.js';
export { nodeRuntime } from './node/node-clock.js';

/**
 * The client with Node.js defaults: real timers, the system clock, and
 * `node:http`/`node:https` with keep-alive as the transport (pass
 * `transport: globalThis.fetch`, or any other transport, to replace it).
 * The core entry's ModelArtsCoreClient is the same client without defaults.
 */
export class ModelArtsClient extends ModelArtsCoreClient {
  constructor(options: ModelArtsClientOptions) {
    super({
      ...options,
      transport: options?.transport ?? options?.fetch ?? createNodeTransport(),
      runtime: withNodeTimers(options?.runtime),
    });
  }
}

/** The Node.js runtime with the user's parts in place: a `sleep` of theirs also times requests out, unless they give a `setTimer` too. */
function withNodeTimers(given: ModelArtsClientOptions['runtime']): Runtime {
  const runtime: Runtime = { ...nodeRuntime, ...given };
  if (given?.sleep && !given.setTimer) delete runtime.setTimer;
  return runtime;
}
