import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureVerifier, type AccessKeyPair, type ReceivedRequest } from './signature-verifier.js';

export type AuthOutcome =
  | { ok: true; method: 'token' }
  | { ok: true; method: 'signature'; accessKey: string }
  | { ok: false; reason: string };

/**
 * Accepts either an IAM token in `X-Auth-Token` or an AK/SK signature in
 * `Authorization`. A request that carries a token is judged by the token.
 */
export class Authenticator {
  private readonly tokenDigests: Buffer[];
  private readonly verifier: SignatureVerifier;

  constructor(tokens: readonly string[], keys: readonly AccessKeyPair[], clock: () => number) {
    // Comparing fixed-length digests keeps the comparison constant-time
    // whatever the lengths of the tokens.
    this.tokenDigests = tokens.map(digest);
    this.verifier = new SignatureVerifier(keys, clock);
  }

  authenticate(request: ReceivedRequest): AuthOutcome {
    const token = request.headers['x-auth-token'];
    if (typeof token === 'string') {
      const presented = digest(token);
      return this.tokenDigests.some((accepted) => timingSafeEqual(accepted, presented))
        ? { ok: true, method: 'token' }
        : { ok: false, reason: 'the token is invalid or has expired' };
    }
    if (request.headers.authorization !== undefined) {
      const result = this.verifier.verify(request);
      return result.ok ? { ok: true, method: 'signature', accessKey: result.accessKey } : result;
    }
    return { ok: false, reason: 'the request carries neither X-Auth-Token nor an AK/SK signature' };
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
