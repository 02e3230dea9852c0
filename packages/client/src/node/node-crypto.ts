import { createRequire } from 'node:module';
import type { Crypto } from '../core/auth/node-crypto.js';

/** `node:crypto` for the package root, loaded on the first AK/SK signature rather than at import. */
export function loadNodeCrypto(): Crypto {
  const builtin = process.getBuiltinModule?.('node:crypto') as Crypto | undefined;
  // Node 20 before 20.16 has no process.getBuiltinModule. A built-in resolves from anywhere: any
  // absolute path will do as the base (import.meta.url would need a shim in the CommonJS build).
  return builtin ?? (createRequire(process.execPath)('node:crypto') as Crypto);
}
