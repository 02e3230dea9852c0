import { nodeCrypto } from './node-crypto.js';

/**
 * Huawei Cloud AK/SK request signing (SDK-HMAC-SHA256, and the derived
 * V11-HMAC-SHA256 variant). Byte-compatible with the official signer on
 * every documented case, without its quirks: header values are trimmed,
 * one header order is used throughout, the exact bytes sent are hashed, and
 * path segments are decoded before they are encoded (no `%252F`).
 */
export interface SignableRequest {
  method: string;
  /** The full URL, including any query. */
  url: string | URL;
  /** Every header given is signed. */
  headers?: Record<string, string | undefined> | undefined;
  /** The exact body sent: a string is hashed as its UTF-8 bytes. */
  body?: string | Uint8Array | undefined;
}

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string | undefined;
}

export interface SignOptions {
  /** The signing time; the clock when absent. */
  date?: Date;
  /** Sign with the derived-key variant, scoped to a region and service. */
  derived?: { region: string; service: string };
}

export interface SignatureParts {
  xSdkDate: string;
  host: string;
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
  authorization: string;
  /** Lower-case header names and values to add to the request. */
  headers: Record<string, string>;
}

const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
const DERIVED_ALGORITHM = 'V11-HMAC-SHA256';
const UNSIGNED_PAYLOAD_HEADER = 'x-sdk-content-sha256';

/** Returns the headers to add (`x-sdk-date`, `host`, `authorization`, and `x-security-token` for temporary credentials). */
export function signRequest(request: SignableRequest, credentials: AkSkCredentials, options: SignOptions = {}): Record<string, string> {
  return computeSignature(request, credentials, options).headers;
}

/** The whole derivation, for tests and for debugging a rejected signature. */
export function computeSignature(request: SignableRequest, credentials: AkSkCredentials, options: SignOptions = {}): SignatureParts {
  if (!credentials.accessKey || !credentials.secretKey) {
    throw new TypeError('AK/SK signing needs both an access key and a secret key');
  }
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const headers = lowerCaseHeaders(request.headers);

  const xSdkDate = headers['x-sdk-date'] ?? formatSdkDate(options.date ?? new Date());
  headers['x-sdk-date'] = xSdkDate;
  const host = url.host;
  headers.host = host;
  if (credentials.securityToken && headers['x-security-token'] === undefined) {
    headers['x-security-token'] = credentials.securityToken.trim();
  }

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  let canonicalHeaders = '';
  for (const name of names) canonicalHeaders += `${name}:${headers[name]}\n`;

  const payloadHash = headers[UNSIGNED_PAYLOAD_HEADER] ?? sha256Hex(request.body ?? '');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const requestHash = sha256Hex(canonicalRequest);

  let stringToSign: string;
  let signature: string;
  let authorization: string;
  if (options.derived) {
    const scope = `${xSdkDate.slice(0, 8)}/${options.derived.region}/${options.derived.service}`;
    stringToSign = `${DERIVED_ALGORITHM}\n${xSdkDate}\n${scope}\n${requestHash}`;
    const derivedKey = toHex(new Uint8Array(nodeCrypto().hkdfSync('sha256', credentials.secretKey, credentials.accessKey, scope, 32)));
    signature = hmacHex(derivedKey, stringToSign);
    authorization = `${DERIVED_ALGORITHM} Credential=${credentials.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  } else {
    stringToSign = `${SIGNING_ALGORITHM}\n${xSdkDate}\n${requestHash}`;
    signature = hmacHex(credentials.secretKey, stringToSign);
    authorization = `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }

  const added: Record<string, string> = { 'x-sdk-date': xSdkDate, host, authorization };
  if (headers['x-security-token'] !== undefined && !hasHeader(request.headers, 'x-security-token')) {
    added['x-security-token'] = headers['x-security-token'];
  }
  return { xSdkDate, host, canonicalRequest, stringToSign, signedHeaders, signature, authorization, headers: added };
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC. */
export function formatSdkDate(date: Date): string {
  // Signing reads the clock on every request; the text changes once a second.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastDate.second) {
    lastDate = {
      second,
      text: date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, ''),
    };
  }
  return lastDate.text;
}

let lastDate = { second: Number.NaN, text: '' };

function lowerCaseHeaders(headers: SignableRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower.includes('_')) {
      // Gateways and proxies drop or rewrite such headers, which breaks the signature.
      throw new TypeError(`Header name "${name}" contains "_", which cannot be signed reliably`);
    }
    out[lower] = String(value).trim();
  }
  return out;
}

function hasHeader(headers: SignableRequest['headers'], lowerName: string): boolean {
  return headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === lowerName);
}

const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Decodes then re-encodes each segment, so an already-encoded path is never encoded twice. */
export function canonicalUri(pathname: string): string {
  // Only unreserved characters: decoding and encoding would change nothing.
  if (UNRESERVED_PATH.test(pathname)) return pathname.endsWith('/') ? pathname : `${pathname}/`;
  const encoded = pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

export function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const pairs: [string, string][] = [];
  for (const part of search.slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([encodeRfc3986(decodeURIComponent(key)), encodeRfc3986(decodeURIComponent(value))]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/** Percent-encodes all but `A-Z a-z 0-9 - . _ ~`, from UTF-8 bytes, with upper-case hex. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function sha256Hex(data: string | Uint8Array): string {
  const crypto = nodeCrypto();
  // One-shot hashing (Node >= 20.12) skips the Hash object: several microseconds per signature.
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

function hmacHex(key: string, data: string): string {
  return nodeCrypto().createHmac('sha256', key).update(data).digest('hex');
}
