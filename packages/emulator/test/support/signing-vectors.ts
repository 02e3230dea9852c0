import { readFileSync } from 'node:fs';

/** One golden vector made with Huawei's official signer (packages/client/test/fixtures/signing-vectors.json). */
export interface SigningVector {
  id: string;
  description: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string | null };
  credentials: { accessKey: string; secretKey: string; securityToken?: string };
  date: string;
  expected: {
    xSdkDate: string;
    host: string;
    canonicalRequest: string;
    stringToSign: string;
    signedHeaders: string;
    signature: string;
    authorization: string;
  };
  derived?: { region: string; service: string };
}

export function loadSigningVectors(): SigningVector[] {
  // One copy in the repository, beside the signer it was made for.
  const file = new URL('../../../client/test/fixtures/signing-vectors.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { vectors: SigningVector[] }).vectors;
}

/** The request as it reaches a server: lower-case headers plus host, x-sdk-date and authorization. */
export function receivedFromVector(vector: SigningVector) {
  const url = new URL(vector.request.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(vector.request.headers)) headers[name.toLowerCase()] = value;
  headers.host = vector.expected.host;
  headers['x-sdk-date'] = vector.expected.xSdkDate;
  headers.authorization = vector.expected.authorization;
  return {
    method: vector.request.method,
    target: url.pathname + url.search,
    headers,
    body: Buffer.from(vector.request.body ?? '', 'utf8'),
  };
}
