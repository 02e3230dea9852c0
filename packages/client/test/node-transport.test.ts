import { getEventListeners } from 'node:events';
import { Agent as HttpsAgent } from 'node:https';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  createNodeTransport,
  InvalidResponseError,
  ModelArtsClient,
  type ModelArtsClientOptions,
  ResponseTooLargeError,
  TimeoutError,
} from '../src/index.js';
import { selfSignedCertificate, startHttpServer, startHttpsServer, type TestServer } from './reliability/support/servers.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'node-transport-token-91c3';
const ENTRY = { image_id: 'a', tags: ['cat'] };
const BODY = JSON.stringify({ is_success: true, images_tags: [ENTRY] });

function client(endpoint: string, options: Partial<ModelArtsClientOptions> = {}): ModelArtsClient {
  return new ModelArtsClient({ endpoint, projectId: PROJECT, auth: { token: TOKEN }, maxRetries: 0, timeoutMs: 10_000, ...options });
}

const getA = (c: ModelArtsClient, options = {}) =>
  c.getImageTags({ annotationId: '282', imageIds: ['a'] }, { onError: 'collect', ...options });

describe('the default Node.js transport', () => {
  it('sends the signed request as given and reuses one keep-alive connection across calls', async () => {
    const bodies: string[] = [];
    const server = await startHttpServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(BODY);
      });
    });
    try {
      const c = client(server.url, { auth: { accessKey: 'NODETRANSPORTAK', secretKey: 'node-transport-sk-4e2a' } });
      for (let i = 0; i < 5; i++) {
        const result = await getA(c);
        expect(result.images).toEqual([{ type: 'classification', imageId: 'a', tags: ['cat'], extra: {} }]);
      }
      expect(bodies).toEqual(Array(5).fill('{"image_id":["a"]}'));
      const headers = server.received[0]!;
      expect(headers['content-type']).toBe('application/json');
      expect(headers['content-length']).toBe(String('{"image_id":["a"]}'.length));
      expect(headers['x-project-id']).toBe(PROJECT);
      expect(headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=NODETRANSPORTAK, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
      expect(headers.host).toBe(`127.0.0.1:${server.port}`);
      expect(server.connections).toBe(1);
    } finally {
      await server.close();
    }
  });

  describe('decodes compressed bodies', () => {
    const encodings = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
    for (const [encoding, compress] of Object.entries(encodings)) {
      it(encoding, async () => {
        const server = await startHttpServer((req, res) => {
          expect(req.headers['accept-encoding']).toContain(encoding);
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
          res.end(compress(Buffer.from(BODY)));
        });
        try {
          const result = await getA(client(server.url));
          expect(result.failed).toEqual([]);
          expect(result.images[0]).toMatchObject({ imageId: 'a', tags: ['cat'] });
        } finally {
          await server.close();
        }
      });
    }

    it('counts decoded bytes against maxResponseBytes, so a small compressed body cannot expand without limit', async () => {
      const padding = ' '.repeat(8 * 1024 * 1024);
      const bomb = gzipSync(Buffer.from(`{"is_success":true,"images_tags":[],"padding":"${padding}"}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const server = await startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        res.end(bomb);
      });
      try {
        const result = await getA(client(server.url, { maxResponseBytes: 1024 * 1024 }));
        expect(result.failed[0]?.error).toBeInstanceOf(ResponseTooLargeError);
      } finally {
        await server.close();
      }
    });

    for (const transport of ['default', 'fetch'] as const) {
      it(`reports a body that is not the gzip it claims as an InvalidResponseError, not retried (${transport} transport)`, async () => {
        const server = await startHttpServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-request-id': 'req-gz' });
          res.end(Buffer.from('this is not gzip'));
        });
        try {
          const result = await getA(client(server.url, { maxRetries: 2, ...(transport === 'fetch' ? { fetch: globalThis.fetch } : {}) }));
          const error = result.failed[0]?.error;
          expect(error).toBeInstanceOf(InvalidResponseError);
          expect(error!.message).toMatch(/cannot be decoded as its Content-Encoding \(gzip\) says.*request ID req-gz/);
          expect(error!.retryable).toBe(false);
          expect(error!.attempts).toBe(1);
          expect(server.received).toHaveLength(1);
        } finally {
          await server.close();
        }
      });
    }
  });

  describe('a body that stops half-way', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY.length) });
        res.write(BODY.slice(0, 10));
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    afterAll(() => server.close());

    it('is a ConnectionError when the server hangs up', async () => {
      const result = await getA(client(server.url));
      expect(result.failed[0]?.error).toBeInstanceOf(ConnectionError);
      expect(result.failed[0]!.error.message).toMatch(/closed before the whole body arrived|aborted|socket hang up/);
    });
  });

  describe('a body that never finishes', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY.length) });
        res.write(BODY.slice(0, 10));
      });
    });
    afterAll(() => server.close());

    it('is a TimeoutError after timeoutMs', async () => {
      const result = await getA(client(server.url, { timeoutMs: 200 }));
      expect(result.failed[0]?.error).toBeInstanceOf(TimeoutError);
    });

    it('is an AbortError when the signal aborts', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const result = await getA(client(server.url), { signal: controller.signal });
      expect(result.failed[0]?.error).toBeInstanceOf(AbortError);
    });

    it("called directly, stops reading the body when the signal aborts, with the signal's reason, and hangs up", async () => {
      const transport = createNodeTransport();
      const controller = new AbortController();
      const response = await transport(`${server.url}/`, { method: 'POST', headers: {}, body: '{}', signal: controller.signal });
      const reason = new Error('stop reading');
      controller.abort(reason);
      await expect(response.text()).rejects.toBe(reason);
      expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    });
  });

  it('leaves no listener on a signal that outlives its requests', async () => {
    const server = await startHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(BODY));
    });
    try {
      const transport = createNodeTransport();
      const { signal } = new AbortController();
      for (let i = 0; i < 20; i++) await (await transport(`${server.url}/`, { method: 'POST', headers: {}, body: '{}', signal })).text();
      await new Promise((resolve) => setImmediate(resolve));
      expect(getEventListeners(signal, 'abort')).toEqual([]);
      const aborted = AbortSignal.abort(new Error('aborted before sending'));
      await expect(transport(`${server.url}/`, { method: 'POST', headers: {}, body: '{}', signal: aborted })).rejects.toThrow(
        'aborted before sending',
      );
    } finally {
      await server.close();
    }
  });

  it("times requests out with the user's sleep when they give one without setTimer", async () => {
    const server = await startHttpServer(() => undefined);
    const sleeps: number[] = [];
    try {
      const sleep = (ms: number): Promise<void> => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50)));
      };
      const result = await getA(client(server.url, { timeoutMs: 60_000, runtime: { sleep } }));
      expect(result.failed[0]?.error).toBeInstanceOf(TimeoutError);
      expect(sleeps).toContain(60_000);
    } finally {
      await server.close();
    }
  });

  it('takes the agents it is given: here one that trusts a private CA', async () => {
    const tls = await selfSignedCertificate();
    const server = await startHttpsServer(tls, (_req, res) => res.end(BODY));
    try {
      // The default agent refuses the self-signed certificate ...
      expect((await getA(client(server.url))).failed[0]?.error).toBeInstanceOf(ConnectionError);
      // ... an agent that trusts it gets through.
      const transport = createNodeTransport({ httpsAgent: new HttpsAgent({ ca: tls.cert, keepAlive: true }) });
      const result = await getA(client(server.url, { fetch: transport }));
      expect(result.failed).toEqual([]);
      expect(result.images).toHaveLength(1);
    } finally {
      await server.close();
      tls.dispose();
    }
  });

  it('can be swapped for the global fetch', async () => {
    const server = await startHttpServer((_req, res) => res.end(BODY));
    try {
      const result = await getA(client(server.url, { fetch: globalThis.fetch }));
      expect(result.images).toHaveLength(1);
      expect(server.received[0]!['user-agent']).toBe('node');
    } finally {
      await server.close();
    }
  });
});
