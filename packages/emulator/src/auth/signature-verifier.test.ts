import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTestRequest } from '../../test/support/sign-request.js';
import { loadSigningVectors, receivedFromVector } from '../../test/support/signing-vectors.js';
import { MAX_CLOCK_SKEW_MS, parseSdkDate, SignatureVerifier, type ReceivedRequest } from './signature-verifier.js';

const vectors = loadSigningVectors();
const MINUTE = 60_000;

function verifierAt(time: number, keys = [vectors[0]!.credentials]) {
  return new SignatureVerifier(keys, () => time);
}

describe('SignatureVerifier on the official vectors', () => {
  it.each(vectors)('accepts $id', (vector) => {
    const result = verifierAt(Date.parse(vector.date), [vector.credentials]).verify(receivedFromVector(vector));
    expect(result).toEqual({ ok: true, accessKey: vector.credentials.accessKey });
  });

  it.each(vectors)('rejects $id once a signed header value changes', (vector) => {
    const request = receivedFromVector(vector);
    request.headers['content-type'] = 'text/plain';
    expect(verifierAt(Date.parse(vector.date), [vector.credentials]).verify(request)).toEqual({
      ok: false,
      reason: 'the signature does not match the request',
    });
  });
});

describe('SignatureVerifier rejections', () => {
  const vector = vectors.find((v) => v.id === 'tags_show_basic')!;
  const signedAt = Date.parse(vector.date);
  const verify = (request: ReceivedRequest, time = signedAt, keys = [vector.credentials]) => verifierAt(time, keys).verify(request);

  const cases: [string, (request: ReceivedRequest) => void, RegExp, { time?: number; keys?: (typeof vector.credentials)[] }?][] = [
    ['a body changed after signing', (r) => (r.body = Buffer.from('{"image_id":["img-003"]}')), /signature does not match/],
    ['a changed path', (r) => (r.target = r.target.replace('tags/show', 'tags/shoW')), /signature does not match/],
    ['another method', (r) => (r.method = 'PUT'), /signature does not match/],
    ['the wrong SK', () => {}, /signature does not match/, { keys: [{ ...vector.credentials, secretKey: 'wrong' }] }],
    ['an unknown AK', () => {}, /access key is unknown/, { keys: [{ accessKey: 'OTHER', secretKey: 'x' }] }],
    ['a date 16 minutes ago', () => {}, /more than 15 minutes/, { time: signedAt + 16 * MINUTE }],
    ['a date 16 minutes ahead', () => {}, /more than 15 minutes/, { time: signedAt - 16 * MINUTE }],
    ['a missing signed header', (r) => delete r.headers['x-project-id'], /signed header x-project-id is missing/],
    ['an unreadable date', (r) => (r.headers['x-sdk-date'] = '2024-01-02T03:04:05Z'), /X-Sdk-Date is not of the form/],
    [
      'SignedHeaders without host',
      (r) => (r.headers.authorization = (r.headers.authorization as string).replace('content-type;host;', 'content-type;')),
      /must include host/,
    ],
    [
      'SignedHeaders without x-sdk-date',
      (r) => (r.headers.authorization = (r.headers.authorization as string).replace(';x-sdk-date', '')),
      /must include x-sdk-date/,
    ],
    ['another scheme', (r) => (r.headers.authorization = 'Basic abc'), /unsupported signature algorithm/],
    ['a body hash header that lies', (r) => (r.headers['x-sdk-content-sha256'] = 'ab'.repeat(32)), /does not match the body/],
    ['a malformed path encoding', (r) => (r.target = '/v1/%zz/tags/show'), /not validly percent-encoded/],
  ];

  it.each(cases)('rejects %s', (_, mutate, reason, options = {}) => {
    const request = receivedFromVector(vector);
    mutate(request);
    const result = verify(request, options.time, options.keys);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
    // The reason goes back to the caller: it must never quote a secret.
    const reasonText = JSON.stringify(result);
    expect(reasonText).not.toContain(vector.credentials.secretKey);
    expect(reasonText).not.toContain(vector.expected.signature);
  });

  it('accepts dates up to 15 minutes either way', () => {
    expect(verify(receivedFromVector(vector), signedAt + MAX_CLOCK_SKEW_MS).ok).toBe(true);
    expect(verify(receivedFromVector(vector), signedAt - MAX_CLOCK_SKEW_MS).ok).toBe(true);
  });

  it('rejects a derived signature whose scope date is not the X-Sdk-Date day', () => {
    const derived = vectors.find((v) => v.id === 'derived_v11')!;
    const request = receivedFromVector(derived);
    request.headers.authorization = (request.headers.authorization as string).replace('/20240102/', '/20240103/');
    expect(verify(request)).toEqual({ ok: false, reason: 'the credential scope date does not match X-Sdk-Date' });
  });
});

describe('SignatureVerifier with the test signer', () => {
  const credentials = { accessKey: 'TESTAK', secretKey: 'test-secret' };
  const now = Date.parse('2025-06-01T12:00:00Z');
  const url = 'http://127.0.0.1:9000/v1/p/data-annotations/282/tags/show';
  const body = '{"image_id":["a"]}';

  function signed(headers: Record<string, string>, options: Parameters<typeof signTestRequest>[2] = {}): ReceivedRequest {
    const added = signTestRequest({ method: 'POST', url, headers, body }, credentials, { date: new Date(now), ...options });
    const received: ReceivedRequest['headers'] = {};
    for (const [name, value] of Object.entries({ ...headers, ...added })) received[name.toLowerCase()] = value;
    return { method: 'POST', target: new URL(url).pathname, headers: received, body: Buffer.from(body) };
  }

  it('agrees with a second, independent signer', () => {
    expect(verifierAt(now, [credentials]).verify(signed({ 'content-type': 'application/json' })).ok).toBe(true);
  });

  it('agrees on derived (V11) signatures', () => {
    const request = signed({ 'x-project-id': 'p' }, { derived: { region: 'cn-north-4', service: 'modelarts' } });
    expect(verifierAt(now, [credentials]).verify(request).ok).toBe(true);
  });

  it('trims header values as HTTP stacks do', () => {
    const request = signed({ 'x-project-id': 'p' });
    request.headers['x-project-id'] = '  p  ';
    expect(verifierAt(now, [credentials]).verify(request).ok).toBe(true);
  });

  it('honours a signed unsigned-payload declaration, which by design leaves the body uncovered', () => {
    const request = signed({ 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' });
    expect(verifierAt(now, [credentials]).verify(request).ok).toBe(true);
    request.body = Buffer.from('{"image_id":["b"]}');
    expect(verifierAt(now, [credentials]).verify(request).ok).toBe(true);
  });

  it('accepts a declared payload hash only when it is the hash of the body', () => {
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const request = signed({ 'x-sdk-content-sha256': bodyHash });
    expect(verifierAt(now, [credentials]).verify(request).ok).toBe(true);
    request.body = Buffer.from('{"image_id":["b"]}');
    expect(verifierAt(now, [credentials]).verify(request)).toEqual({
      ok: false,
      reason: 'X-Sdk-Content-Sha256 does not match the body',
    });
  });
});

describe('parseSdkDate', () => {
  it('reads the basic ISO form', () => {
    expect(parseSdkDate('20240102T030405Z')).toBe(Date.parse('2024-01-02T03:04:05Z'));
  });

  it.each(['20240231T000000Z', '20240102T030405', '2024-01-02T03:04:05Z', ''])('refuses %s', (value) => {
    expect(parseSdkDate(value)).toBeUndefined();
  });
});
