import { createHmac, hkdfSync } from 'node:crypto';
import { sha256Hex } from './canonical-request.js';

export interface CredentialScope {
  date: string;
  region: string;
  service: string;
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}`;
}

/** The string to sign: the plain algorithm without a scope, V11 with one. */
export function buildStringToSign(sdkDate: string, canonicalRequest: string, scope?: CredentialScope): string {
  const hash = sha256Hex(canonicalRequest);
  return scope === undefined ? `SDK-HMAC-SHA256\n${sdkDate}\n${hash}` : `V11-HMAC-SHA256\n${sdkDate}\n${scopeString(scope)}\n${hash}`;
}

/**
 * The HMAC key: the SK itself, or for V11 the hex text of
 * HKDF-SHA256(IKM = SK, salt = AK, info = scope), used as UTF-8 bytes.
 */
export function signingKey(accessKey: string, secretKey: string, scope?: CredentialScope): string {
  if (scope === undefined) return secretKey;
  const derived = hkdfSync('sha256', secretKey, accessKey, scopeString(scope), 32);
  return Buffer.from(derived).toString('hex');
}

export function hmacSha256Hex(key: string, data: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(data, 'utf8').digest('hex');
}
