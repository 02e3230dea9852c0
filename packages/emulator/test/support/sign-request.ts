import { createHash, createHmac, hkdfSync } from 'node:crypto';

// A deliberately separate, minimal SDK-HMAC-SHA256 signer for the tests. It
// shares no code with the emulator's verifier, so the two check each other.

export interface TestCredentials {
  accessKey: string;
  secretKey: string;
}

export interface RequestToSign {
  method: string;
  url: string;
  /** Headers to sign besides host and x-sdk-date; names any case. */
  headers: Record<string, string>;
  body?: string;
}

export interface SignOptions {
  date?: Date;
  derived?: { region: string; service: string };
}

/** The headers to add (lower-case names): host, x-sdk-date, authorization. */
export function signTestRequest(request: RequestToSign, credentials: TestCredentials, options: SignOptions = {}): Record<string, string> {
  const url = new URL(request.url);
  const sdkDate = (options.date ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const headers: Record<string, string> = { host: url.host, 'x-sdk-date': sdkDate };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value.trim();
  const names = Object.keys(headers).sort();

  const path = url.pathname
    .split('/')
    .map((segment) => encode(decodeURIComponent(segment)))
    .join('/');
  // Query pairs are decoded, re-encoded and sorted by key, then by value.
  const query = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => pair.split('=').map((part) => encode(decodeURIComponent(part))) as [string, string?])
    .map(([key, value]) => `${key}=${value ?? ''}`)
    .sort()
    .join('&');
  const canonical = [
    request.method,
    path.endsWith('/') ? path : `${path}/`,
    query,
    names.map((name) => `${name}:${headers[name]}\n`).join(''),
    names.join(';'),
    // Like the official signer, a declared payload hash (e.g. UNSIGNED-PAYLOAD) is used as given.
    headers['x-sdk-content-sha256'] ?? sha256(request.body ?? ''),
  ].join('\n');

  let algorithm = 'SDK-HMAC-SHA256';
  let key = credentials.secretKey;
  let stringToSign = `${algorithm}\n${sdkDate}\n${sha256(canonical)}`;
  let credentialPart = `Access=${credentials.accessKey}`;
  if (options.derived) {
    algorithm = 'V11-HMAC-SHA256';
    const scope = `${sdkDate.slice(0, 8)}/${options.derived.region}/${options.derived.service}`;
    key = Buffer.from(hkdfSync('sha256', credentials.secretKey, credentials.accessKey, scope, 32)).toString('hex');
    stringToSign = `${algorithm}\n${sdkDate}\n${scope}\n${sha256(canonical)}`;
    credentialPart = `Credential=${credentials.accessKey}/${scope}`;
  }
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    host: headers.host as string,
    'x-sdk-date': sdkDate,
    authorization: `${algorithm} ${credentialPart}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
