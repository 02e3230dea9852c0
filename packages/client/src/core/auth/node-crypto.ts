import type * as NodeCrypto from 'node:crypto';

export type Crypto = typeof NodeCrypto;

let load: (() => Crypto) | undefined;
let loaded: Crypto | undefined;

/**
 * Where signing gets `node:crypto` from, set by the entry point that was
 * imported: the core entry imports it statically (its hosts allow no
 * other way), the package root loads it on the first signature, because
 * loading it costs about 3 ms, a third of importing the client, and a
 * token user never needs it.
 */
export function provideNodeCrypto(loader: () => Crypto): void {
  load = loader;
}

export function nodeCrypto(): Crypto {
  if (loaded) return loaded;
  if (!load) throw new Error('node:crypto was not provided: import the client from @modelarts-kit/client or @modelarts-kit/client/core');
  loaded = load();
  return loaded;
}
