import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelArtsClient, noAuth, type TransportRequest, type TransportResponse } from '../../src/index.js';
import {
  AUTH_KINDS,
  type AuthKind,
  ENCODINGS,
  type Encoding,
  findSecret,
  HELD,
  inHeader,
  inJson,
  renderings,
  SENTINELS,
} from './support/echoes.js';
import { startHttpServer, type TestServer } from './support/servers.js';

// A server (or a gateway in front of it) that echoes what it was sent, in
// every place an answer has and in every spelling: no sentinel credential of
// any auth kind may reach anything a caller can see or print.

const RUNS = 10_000;
const TIMEOUT = 987_654;
const PLACES = ['x-request-id', 'location', 'error_msg', 'error_code', 'unsuccessful', 'html', 'invalid', 'data', 'data key'] as const;
type Place = (typeof PLACES)[number];
/** Places whose echo ends up in the entries of a result: only the spellings a JSON parser undoes are redacted there. */
const DATA_PLACES: ReadonlySet<Place> = new Set(['data', 'data key']);
/** The values of the request's credential headers, or all of its headers, or a credential the kind holds. */
const SOURCES = ['credential header', 'all headers', 'held credential'] as const;

interface Case {
  kind: AuthKind;
  status: number;
  place: Place;
  source: (typeof SOURCES)[number];
  pick: number;
  encoding: Encoding;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    kind: fc.constantFrom(...(Object.keys(AUTH_KINDS) as AuthKind[])),
    status: fc.oneof(
      fc.constantFrom(200, 301, 302, 303, 307, 308, 400, 401, 403, 404, 408, 429, 500, 502, 503),
      fc.integer({ min: 100, max: 599 }),
    ),
    place: fc.constantFrom(...PLACES),
    source: fc.constantFrom(...SOURCES),
    pick: fc.nat(),
    encoding: fc.constantFrom(...ENCODINGS),
  })
  .filter((c) => !DATA_PLACES.has(c.place) || c.encoding.jsonLevel);

/** The value echoed back, taken from the request as the server saw it. */
function echoOf(c: Case, init: TransportRequest): string {
  const { 'content-type': _, 'x-sdk-date': __, 'x-project-id': ___, ...credentials } = init.headers;
  if (c.source === 'all headers') return JSON.stringify(init.headers);
  const values = c.source === 'held credential' ? HELD[c.kind] : Object.values(credentials);
  return values[c.pick % values.length]!;
}

function answer(c: Case, init: TransportRequest): TransportResponse {
  const echo = echoOf(c, init);
  const json = inJson(c.encoding, echo);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let status = c.status;
  let body = '{"error_code":"ModelArts.0001","error_msg":"failed"}';
  switch (c.place) {
    case 'x-request-id':
      headers['x-request-id'] = inHeader(c.encoding, echo);
      if (status < 300) body = '{"is_success":true,"images_tags":[{"image_id":"a","tags":["cat"]}]}';
      break;
    case 'location':
      status = 300 + (c.status % 9);
      headers.location = `https://gateway.example/login?next=${inHeader(c.encoding, echo)}`;
      break;
    case 'error_msg':
      body = `{"error_code":"APIG.0101","error_msg":"bad request: ${json}"}`;
      break;
    case 'error_code':
      body = `{"error_code":"${json}","error_msg":"echo"}`;
      break;
    case 'unsuccessful':
      status = 200;
      body = `{"is_success":false,"error_code":"APIG.0301","error_msg":"${json}"}`;
      break;
    case 'html':
      headers['content-type'] = 'text/html';
      body = `<html><body>Request ${inHeader(c.encoding, echo)} refused</body></html>`;
      break;
    case 'invalid':
      status = 200;
      body = `{"is_success":true,"images_tags":[{"image_id":"a","tags":[{"tag":"${json}","pos":"${json}"}]}]}`;
      break;
    case 'data':
      status = 200;
      body = `{"is_success":true,"images_tags":[{"image_id":"a","tags":["${json}"],"note":{"echo":"${json}"}}]}`;
      break;
    case 'data key':
      status = 200;
      body = `{"is_success":true,"images_tags":[{"image_id":"a","tags":["cat"],"${json}":1}],"${json}":"${json}"}`;
      break;
  }
  return { status, headers: { get: (name) => headers[name.toLowerCase()] ?? null }, text: async () => body };
}

/** Waits for the per-request timeout only when the call is stopped; every backoff and Retry-After passes at once. */
const runtime = {
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    ms === TIMEOUT ? new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })) : Promise.resolve(),
  random: () => 0,
};

describe('servers that echo the credentials back', () => {
  it(`no sentinel credential in anything a caller sees, over ${RUNS.toLocaleString('en')} hostile answers`, {
    timeout: 120_000,
  }, async () => {
    let current: Case | undefined;
    const signatures = new Set<string>();
    const lines: string[] = [];
    const clients = Object.fromEntries(
      (Object.keys(AUTH_KINDS) as AuthKind[]).map((kind) => [
        kind,
        new ModelArtsClient({
          endpoint: 'https://modelarts.example.test',
          projectId: '0123456789abcdef0123456789abcdef',
          auth: AUTH_KINDS[kind],
          transport: async (_url, init) => {
            const signature = /Signature=([0-9a-f]+)/.exec(init.headers.authorization ?? '')?.[1];
            if (signature) signatures.add(signature);
            return answer(current!, init);
          },
          runtime,
          timeoutMs: TIMEOUT,
          maxRetries: 1,
          logger: { debug: (line) => lines.push(line), warn: (line) => lines.push(line) },
        }),
      ]),
    ) as Record<AuthKind, ModelArtsClient>;
    const secrets = [...Object.values(SENTINELS)];
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        current = c;
        signatures.clear();
        lines.length = 0;
        seen.set(c.place, (seen.get(c.place) ?? 0) + 1);
        let outcome: unknown;
        try {
          const result = await clients[c.kind].getImageTags({ annotationId: '282', imageIds: ['a', 'b'] }, { onError: 'collect' });
          outcome = { result, requestIds: result.requestIds, errors: result.failed.map((f) => f.error) };
        } catch (error) {
          outcome = error;
        }
        const found = findSecret([...renderings(outcome), ...lines], [...secrets, ...signatures]);
        expect(found, `${c.kind}, ${c.place}, ${c.source}, ${c.encoding.name}, HTTP ${c.status}`).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    // Every place was tried many times over.
    for (const place of PLACES) expect(seen.get(place) ?? 0, place).toBeGreaterThan(RUNS / PLACES.length / 3);
  });
});

describe('real servers on 127.0.0.1 that echo the credentials in headers and escaped bodies', () => {
  const credentialsOf = (req: IncomingMessage): string =>
    ['authorization', 'x-auth-token', 'x-security-token', 'x-api-key'].map((name) => req.headers[name] ?? '').join(' ');
  const escapeAll = (text: string): string => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const percentAll = (text: string): string => [...Buffer.from(text)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  const servers: Record<string, TestServer> = {};
  const signatures = new Set<string>();
  const note = (req: IncomingMessage): string => {
    const signature = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (signature) signatures.add(signature);
    return credentialsOf(req);
  };
  beforeAll(async () => {
    servers.requestIdOnSuccess = await startHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': note(req) });
      res.end('{"is_success":true,"images_tags":[{"image_id":"a","tags":["cat"]}]}');
    });
    servers.requestIdOn401 = await startHttpServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': `req-${percentAll(note(req))}` });
      res.end('{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information."}');
    });
    servers.redirect = await startHttpServer((req, res) => {
      res.writeHead(302, { location: `https://login.example/sso?back=${percentAll(note(req))}&raw=${encodeURIComponent(note(req))}` });
      res.end();
    });
    servers.escapedBody = await startHttpServer((req, res) => {
      const echo = JSON.stringify(req.headers).replace(/\//g, '\\/');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(`{"error_code":"APIG.0101","error_msg":"bad request ${escapeAll(note(req))} ${echo.slice(1, -1).replace(/"/g, "'")}"}`);
    });
    servers.base64Pair = await startHttpServer((req, res) => {
      // The pair as HTTP Basic would carry it: AK:SK for AK/SK auth, else user:credential.
      const sent = note(req).trim();
      const signed = req.headers.authorization !== undefined;
      const pair = Buffer.from(signed ? `${SENTINELS.accessKey}:${SENTINELS.secretKey}` : `user:${sent}`).toString('base64');
      res.writeHead(503, { 'content-type': 'application/json', 'x-request-id': `Basic ${pair}`, 'retry-after': '0' });
      res.end(`{"error_code":"ModelArts.6103","error_msg":"as Basic ${pair}"}`);
    });
  });
  afterAll(async () => {
    for (const server of Object.values(servers)) await server.close();
  });

  for (const kind of Object.keys(AUTH_KINDS) as AuthKind[]) {
    it(`${kind} auth: nothing echoed reaches the result, the errors or the log`, async () => {
      const lines: string[] = [];
      const texts: string[] = [];
      for (const [name, server] of Object.entries(servers)) {
        const client = new ModelArtsClient({
          endpoint: server.url,
          projectId: '0123456789abcdef0123456789abcdef',
          auth: AUTH_KINDS[kind],
          maxRetries: 1,
          runtime: { random: () => 0 },
          logger: { debug: (line) => lines.push(line), warn: (line) => lines.push(line) },
        });
        const result = await client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { onError: 'collect' });
        expect(server.received.length, name).toBeGreaterThan(0);
        texts.push(...renderings(result), ...result.failed.flatMap((f) => renderings(f.error)));
      }
      expect(findSecret([...texts, ...lines], [...Object.values(SENTINELS), ...signatures])).toBeUndefined();
      // The control: the servers did echo what they were sent.
      expect(texts.join('\n')).toContain('[credential]');
    });
  }
});

describe('a host that signs in its own layer (auth: noAuth, as the n8n node does)', () => {
  it('still has echoed signatures masked by their shape, in the body and in the request ID', async () => {
    const signature = 'ab'.repeat(32);
    const client = new ModelArtsClient({
      endpoint: 'https://modelarts.example.test',
      projectId: '0123456789abcdef0123456789abcdef',
      auth: noAuth,
      maxRetries: 0,
      transport: async () => {
        const echo = `SDK-HMAC-SHA256 Access=HOSTAK, SignedHeaders=host, Signature=${signature}`;
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': echo };
        const body = JSON.stringify({ error_code: 'APIG.0301', error_msg: `bad ${echo}` });
        return { status: 401, headers: { get: (name) => headers[name] ?? null }, text: async () => body };
      },
    });
    const result = await client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { onError: 'collect' });
    const texts = renderings(result.failed[0]!.error);
    expect(texts.join('\n')).toContain('Signature=[credential]');
    expect(findSecret(texts, [signature])).toBeUndefined();
  });
});
