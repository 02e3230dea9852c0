import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalUri, computeSignature, signRequest, type SignatureParts } from './signing.js';

interface Vector {
  id: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  credentials: { accessKey: string; secretKey: string; securityToken?: string };
  date: string;
  derived?: { region: string; service: string };
  expected: Omit<SignatureParts, 'headers'>;
}

const { vectors } = JSON.parse(readFileSync(new URL('../../../test/fixtures/signing-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

describe('signRequest matches the official signer', () => {
  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(8);
  });

  for (const vector of vectors) {
    it(vector.id, () => {
      const options = { date: new Date(vector.date), ...(vector.derived ? { derived: vector.derived } : {}) };
      const parts = computeSignature(vector.request, vector.credentials, options);
      expect(parts.xSdkDate).toBe(vector.expected.xSdkDate);
      expect(parts.host).toBe(vector.expected.host);
      expect(parts.canonicalRequest).toBe(vector.expected.canonicalRequest);
      expect(parts.stringToSign).toBe(vector.expected.stringToSign);
      expect(parts.signedHeaders).toBe(vector.expected.signedHeaders);
      expect(parts.signature).toBe(vector.expected.signature);
      expect(parts.authorization).toBe(vector.expected.authorization);

      const headers = signRequest(vector.request, vector.credentials, options);
      expect(headers).toMatchObject({
        'x-sdk-date': vector.expected.xSdkDate,
        host: vector.expected.host,
        authorization: vector.expected.authorization,
      });
    });
  }
});

describe('signRequest does not copy the official quirks', () => {
  const credentials = { accessKey: 'AK', secretKey: 'SK' };
  const date = new Date('2024-01-02T03:04:05Z');
  const url = 'https://modelarts.cn-north-4.myhuaweicloud.com/v1/p/data-annotations/1/tags/show';

  it('trims header values, as the HTTP stack sends them', () => {
    const padded = computeSignature({ method: 'POST', url, headers: { 'Content-Type': '  application/json ' } }, credentials, { date });
    const plain = computeSignature({ method: 'POST', url, headers: { 'content-type': 'application/json' } }, credentials, { date });
    expect(padded.signature).toBe(plain.signature);
  });

  it('hashes the exact bytes of a string body (no added quotes)', () => {
    const body = '{"image_id":["a"]}';
    const asString = computeSignature({ method: 'POST', url, body }, credentials, { date });
    const asBytes = computeSignature({ method: 'POST', url, body: new TextEncoder().encode(body) }, credentials, { date });
    expect(asString.canonicalRequest).toBe(asBytes.canonicalRequest);
  });

  it('never double-encodes an already-encoded path segment', () => {
    expect(canonicalUri('/v1/a%2Fb/c')).toBe('/v1/a%2Fb/c/');
    expect(canonicalUri('/v1/caf%C3%A9')).toBe('/v1/caf%C3%A9/');
  });

  it('refuses header names with "_", which gateways drop', () => {
    expect(() => signRequest({ method: 'GET', url, headers: { x_custom: '1' } }, credentials, { date })).toThrow(/_/);
  });

  it('computes a fresh date per call when none is given', () => {
    const a = signRequest({ method: 'GET', url }, credentials, { date: new Date('2024-01-02T03:04:05Z') });
    const b = signRequest({ method: 'GET', url }, credentials, { date: new Date('2024-01-02T03:04:06Z') });
    expect(a['x-sdk-date']).not.toBe(b['x-sdk-date']);
    expect(a.authorization).not.toBe(b.authorization);
  });

  it('adds and signs X-Security-Token for temporary credentials', () => {
    const headers = signRequest({ method: 'GET', url }, { ...credentials, securityToken: 'tmp' }, { date });
    expect(headers['x-security-token']).toBe('tmp');
    expect(headers.authorization).toContain('x-security-token');
  });
});
