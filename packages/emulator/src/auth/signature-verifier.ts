import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parseAuthorizationHeader } from './authorization-header.js';
import { buildCanonicalRequest, EMPTY_BODY_SHA256, headerValue, MalformedEncodingError, sha256Hex } from './canonical-request.js';
import { buildStringToSign, hmacSha256Hex, signingKey, type CredentialScope } from './signature.js';

export interface AccessKeyPair {
  accessKey: string;
  secretKey: string;
}

/** A request as received: the target exactly as sent (path and query, still encoded). */
export interface ReceivedRequest {
  method: string;
  target: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export type VerificationResult = { ok: true; accessKey: string } | { ok: false; reason: string };

/** Huawei's gateway refuses an `X-Sdk-Date` further than this from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const REQUIRED_SIGNED_HEADERS = ['host', 'x-sdk-date'];

/**
 * Checks AK/SK signatures the way the API gateway does. Reasons never quote
 * a key, a signature or a header value.
 */
export class SignatureVerifier {
  private readonly secretKeys: Map<string, string>;

  constructor(
    keys: readonly AccessKeyPair[],
    private readonly clock: () => number,
  ) {
    this.secretKeys = new Map(keys.map((key) => [key.accessKey, key.secretKey]));
  }

  verify(request: ReceivedRequest): VerificationResult {
    const claim = parseAuthorizationHeader(headerValue(request.headers, 'authorization'));
    if ('invalid' in claim) return fail(claim.invalid);

    for (const name of REQUIRED_SIGNED_HEADERS) {
      if (!claim.signedHeaders.includes(name)) return fail(`SignedHeaders must include ${name}`);
    }
    for (const name of claim.signedHeaders) {
      if (request.headers[name.toLowerCase()] === undefined) return fail(`the signed header ${name} is missing`);
    }

    const sdkDate = headerValue(request.headers, 'x-sdk-date').trim();
    const signedAt = parseSdkDate(sdkDate);
    if (signedAt === undefined) return fail("X-Sdk-Date is not of the form YYYYMMDD'T'HHMMSS'Z'");
    if (Math.abs(this.clock() - signedAt) > MAX_CLOCK_SKEW_MS) {
      return fail('X-Sdk-Date is more than 15 minutes away from the server clock');
    }

    const secretKey = this.secretKeys.get(claim.accessKey);
    if (secretKey === undefined) return fail('the access key is unknown');

    let scope: CredentialScope | undefined;
    if (claim.algorithm === 'V11-HMAC-SHA256') {
      scope = claim.scope;
      if (scope.date !== sdkDate.slice(0, 8)) return fail('the credential scope date does not match X-Sdk-Date');
    }

    const payloadHash = this.payloadHash(request);
    if (payloadHash === undefined) return fail('X-Sdk-Content-Sha256 does not match the body');

    let canonicalRequest: string;
    try {
      canonicalRequest = buildCanonicalRequest({
        method: request.method,
        ...splitTarget(request.target),
        headers: request.headers,
        signedHeaders: claim.signedHeaders,
        payloadHash,
      });
    } catch (error) {
      if (error instanceof MalformedEncodingError) return fail(error.message);
      throw error;
    }
    const stringToSign = buildStringToSign(sdkDate, canonicalRequest, scope);
    const expected = hmacSha256Hex(signingKey(claim.accessKey, secretKey, scope), stringToSign);
    if (!equalInConstantTime(expected, claim.signature.toLowerCase())) {
      return fail('the signature does not match the request');
    }
    return { ok: true, accessKey: claim.accessKey };
  }

  // Signers may declare the payload unsigned, or give its hash in a header;
  // a declared hash must still be the hash of what arrived.
  private payloadHash(request: ReceivedRequest): string | undefined {
    const actual = request.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(request.body);
    const declared = request.headers['x-sdk-content-sha256'];
    if (declared === undefined) return actual;
    const value = headerValue(request.headers, 'x-sdk-content-sha256').trim();
    if (value === UNSIGNED_PAYLOAD) return value;
    return value.toLowerCase() === actual ? value : undefined;
  }
}

/** Milliseconds since the epoch for `YYYYMMDDTHHMMSSZ`, or undefined. */
export function parseSdkDate(value: string): number | undefined {
  const match = SDK_DATE.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  // Date.UTC rolls 20240231 over into March; such a date was not written by a signer.
  return new Date(time).getUTCDate() === day ? time : undefined;
}

export function splitTarget(target: string): { path: string; query: string } {
  const question = target.indexOf('?');
  return question === -1 ? { path: target, query: '' } : { path: target.slice(0, question), query: target.slice(question + 1) };
}

function equalInConstantTime(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function fail(reason: string): VerificationResult {
  return { ok: false, reason };
}
