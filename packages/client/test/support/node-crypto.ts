// Tests import the core's modules directly, not through an entry point, so no entry has said where
// signing gets node:crypto from: give it the static import the core entry uses.
import * as crypto from 'node:crypto';
import { provideNodeCrypto } from '../../src/core/auth/node-crypto.js';

provideNodeCrypto(() => crypto);
