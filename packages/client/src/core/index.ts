/**
 * The core entry point (`@modelarts-kit/client/core`): the client without
 * Node.js defaults, and the one home of every rule the client, the n8n node
 * and the CLI share (endpoints, IDs, previews, redaction, which errors are
 * fatal or retryable). It references no timers, `process` or `globalThis`,
 * so it can be bundled into hosts with sandbox rules (n8n); the host
 * injects `runtime.sleep`. Its one Node module is `node:crypto`, imported
 * statically: such hosts allow that import and no other way to load it.
 */
import * as crypto from 'node:crypto';
import { provideNodeCrypto } from './auth/node-crypto.js';

provideNodeCrypto(() => crypto);

export * from './public.js';
