import { describe, expect, it } from 'vitest';
import { loadSigningVectors } from '../../test/support/signing-vectors.js';
import { buildCanonicalRequest, canonicalQuery, canonicalUri, EMPTY_BODY_SHA256, sha256Hex } from './canonical-request.js';
import { buildStringToSign, hmacSha256Hex, signingKey } from './signature.js';
import { splitTarget } from './signature-verifier.js';

const vectors = loadSigningVectors();

describe.each(vectors)('official vector $id', (vector) => {
  const url = new URL(vector.request.url);
  const headers: Record<string, string> = { host: vector.expected.host, 'x-sdk-date': vector.expected.xSdkDate };
  for (const [name, value] of Object.entries(vector.request.headers)) headers[name.toLowerCase()] = value;
  const signedHeaders = Object.keys(headers).sort();
  const canonicalRequest = buildCanonicalRequest({
    method: vector.request.method,
    ...splitTarget(url.pathname + url.search),
    headers,
    signedHeaders,
    payloadHash: vector.request.body === null ? EMPTY_BODY_SHA256 : sha256Hex(Buffer.from(vector.request.body, 'utf8')),
  });

  it('lists the same signed headers', () => {
    expect(signedHeaders.join(';')).toBe(vector.expected.signedHeaders);
  });

  it('builds the same canonical request', () => {
    expect(canonicalRequest).toBe(vector.expected.canonicalRequest);
  });

  it('builds the same string to sign and signature', () => {
    const scope = vector.derived && { date: vector.expected.xSdkDate.slice(0, 8), ...vector.derived };
    const stringToSign = buildStringToSign(vector.expected.xSdkDate, canonicalRequest, scope);
    expect(stringToSign).toBe(vector.expected.stringToSign);
    const key = signingKey(vector.credentials.accessKey, vector.credentials.secretKey, scope);
    expect(hmacSha256Hex(key, stringToSign)).toBe(vector.expected.signature);
  });
});

describe('canonical URI and query', () => {
  it('decodes before encoding, so nothing is encoded twice', () => {
    expect(canonicalUri('/v1/a%2Fb/c d/%E7%8C%AB')).toBe('/v1/a%2Fb/c%20d/%E7%8C%AB/');
    expect(canonicalUri('/v1/x/')).toBe('/v1/x/');
    expect(canonicalUri("/v1/it's(*)!")).toBe('/v1/it%27s%28%2A%29%21/');
  });

  it('sorts by key then value and gives a bare key an empty value', () => {
    expect(canonicalQuery('b=2&a=2&a=1&flag')).toBe('a=1&a=2&b=2&flag=');
    expect(canonicalQuery('')).toBe('');
  });

  it('refuses malformed encodings', () => {
    expect(() => canonicalUri('/v1/%zz')).toThrow(/not validly percent-encoded/);
  });
});
