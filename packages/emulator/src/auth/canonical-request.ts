import { createHash } from 'node:crypto';

// The emulator's own reading of Huawei's SDK-HMAC-SHA256 canonical request.
// It is written apart from the client's signer on purpose: a verifier that
// shared the signer's code would agree with the signer's bugs.

export const EMPTY_BODY_SHA256 = sha256Hex('');

/** What the canonical request is built from, as received from the wire. */
export interface CanonicalInput {
  method: string;
  /** The path, still percent-encoded as it was sent. */
  path: string;
  /** The query without its `?`, still percent-encoded; '' when there is none. */
  query: string;
  /** Header values by lower-case name. */
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case names in the order the `SignedHeaders` list gives them. */
  signedHeaders: string[];
  payloadHash: string;
}

export function buildCanonicalRequest(input: CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(input.query),
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** Each segment decoded, then re-encoded; always ends with `/`. */
export function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => encodeRfc3986(decodeComponent(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Pairs decoded, re-encoded and sorted by key, then value, by code unit. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      const key = equals === -1 ? part : part.slice(0, equals);
      const value = equals === -1 ? '' : part.slice(equals + 1);
      return [encodeRfc3986(decodeComponent(key)), encodeRfc3986(decodeComponent(value))] as const;
    });
  pairs.sort(([keyA, valueA], [keyB, valueB]) => compareCodeUnits(keyA, keyB) || compareCodeUnits(valueA, valueB));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** `name:value\n` per signed header; the block ends with its own newline. */
export function canonicalHeaders(headers: CanonicalInput['headers'], signedHeaders: string[]): string {
  return signedHeaders.map((name) => `${name}:${headerValue(headers, name).trim()}\n`).join('');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function headerValue(headers: CanonicalInput['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** Percent-encodes UTF-8 bytes, leaving only `A-Z a-z 0-9 - . _ ~` as they are. */
export function encodeRfc3986(text: string): string {
  // encodeURIComponent also spares ! ' ( ) *, which the signer encodes.
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Malformed percent sequences make a request that no signer could have signed. */
export class MalformedEncodingError extends Error {
  constructor() {
    super('the request target is not validly percent-encoded');
    this.name = 'MalformedEncodingError';
  }
}

function decodeComponent(text: string): string {
  try {
    // A '+' stays a '+': signers encode spaces as %20 in paths and queries.
    return decodeURIComponent(text);
  } catch {
    throw new MalformedEncodingError();
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
