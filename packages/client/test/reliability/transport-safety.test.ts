import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/env.js';
import {
  ConfigurationError,
  ConnectionError,
  InvalidResponseError,
  ModelArtsClient,
  type ModelArtsError,
  type ModelArtsClientOptions,
  ResponseTooLargeError,
  type Transport,
} from '../../src/index.js';
import { EMPTY_SUCCESS, selfSignedCertificate, startHttpServer, startHttpsServer, type TestServer } from './support/servers.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'transport-safety-token-5d1e';
const CREDENTIALS = { accessKey: 'TRANSPORTSAFETYAK', secretKey: 'transport-safety-sk-77c0' };

function client(endpoint: string, options: Partial<ModelArtsClientOptions> = {}): ModelArtsClient {
  return new ModelArtsClient({ endpoint, projectId: PROJECT, auth: { token: TOKEN }, maxRetries: 0, timeoutMs: 10_000, ...options });
}

async function firstError(c: ModelArtsClient): Promise<ModelArtsError | undefined> {
  const result = await c.getImageTags({ annotationId: '282', imageIds: ['a', 'b'] }, { onError: 'collect' });
  return result.failed[0]?.error;
}

/** A transport that records the URLs it was asked for and answers with an empty success. */
function recordingTransport(): Transport & { urls: string[] } {
  const urls: string[] = [];
  const transport = (async (url: string) => {
    urls.push(url);
    return new Response(EMPTY_SUCCESS, { status: 200 });
  }) as unknown as Transport & { urls: string[] };
  transport.urls = urls;
  return transport;
}

describe('HTTPS is required, except for loopback or an explicit opt-in', () => {
  const refused = [
    'http://modelarts.cn-north-4.myhuaweicloud.com',
    'http://10.0.0.8:8080',
    'http://127.0.0.1.nip.io',
    'http://localhost.example.com',
    'http://[::ffff:10.0.0.1]',
    'http://0.0.0.0:9',
  ];
  for (const endpoint of refused) {
    it(`refuses ${endpoint} before sending anything`, () => {
      const transport = recordingTransport();
      expect(() => client(endpoint, { fetch: transport })).toThrow(ConfigurationError);
      expect(() => client(endpoint, { fetch: transport })).toThrow(/plain HTTP.*allowInsecureHttp/);
      expect(transport.urls).toEqual([]);
    });
  }

  it('refuses it from the environment too', () => {
    expect(() =>
      configFromEnv({ MODELARTS_ENDPOINT: 'http://10.0.0.8', MODELARTS_TOKEN: TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT }),
    ).not.toThrow();
    expect(
      () =>
        new ModelArtsClient(
          configFromEnv({ MODELARTS_ENDPOINT: 'http://10.0.0.8', MODELARTS_TOKEN: TOKEN, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT }),
        ),
    ).toThrow(/plain HTTP/);
  });

  it('sends to a non-loopback HTTP endpoint only with allowInsecureHttp', async () => {
    const transport = recordingTransport();
    const c = client('http://10.0.0.8:8080', { fetch: transport, allowInsecureHttp: true });
    expect(await firstError(c)).toBeUndefined();
    expect(transport.urls).toEqual([`http://10.0.0.8:8080/v1/${PROJECT}/data-annotations/282/tags/show`]);
  });

  it('talks plain HTTP to a real server on 127.0.0.1', async () => {
    const server = await startHttpServer((_req, res) => res.end(EMPTY_SUCCESS));
    try {
      expect(await firstError(client(server.url))).toBeUndefined();
      expect(await firstError(client(server.url.replace('127.0.0.1', 'localhost')))).toBeUndefined();
      expect(server.received).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});

describe('TLS certificates are verified', () => {
  let tls: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let server: TestServer;
  beforeAll(async () => {
    tls = await selfSignedCertificate();
    server = await startHttpsServer(tls, (_req, res) => res.end(EMPTY_SUCCESS));
  });
  afterAll(async () => {
    await server.close();
    tls.dispose();
  });

  it('the server works for a client that trusts its certificate (the control)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`${server.url}/`, { method: 'POST', ca: tls.cert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('refuses a self-signed certificate by default: a ConnectionError, and no request (so no token) reaches the server', async () => {
    const before = server.received.length;
    const error = await firstError(client(server.url));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error!.message).toMatch(/SELF_SIGNED|self-signed certificate/i);
    expect(server.received.length).toBe(before);
    expect(server.connections).toBeGreaterThan(0);
  });

  it('refuses a certificate issued for another name', async () => {
    const other = await selfSignedCertificate('DNS:modelarts.example.com');
    const impostor = await startHttpsServer(other, (_req, res) => res.end(EMPTY_SUCCESS));
    try {
      const error = await firstError(client(impostor.url));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(impostor.received).toEqual([]);
    } finally {
      await impostor.close();
      other.dispose();
    }
  });

  const child = (entry: 'root' | 'env', env: Record<string, string>) =>
    runChild(fileURLToPath(new URL('./support/fetch-once.ts', import.meta.url)), [entry], {
      MODELARTS_ENDPOINT: server.url,
      MODELARTS_TOKEN: TOKEN,
      HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      ...env,
    });

  it('trusts a private CA given the supported way, NODE_EXTRA_CA_CERTS', async () => {
    const before = server.received.length;
    const { result } = await child('root', { NODE_EXTRA_CA_CERTS: tls.certFile });
    expect(result).toEqual({ ok: true });
    expect(server.received.length).toBe(before + 1);
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 is refused by the environment entry point, before any request', async () => {
    const before = server.received.length;
    const { result } = await child('env', { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(result).toMatchObject({ ok: false, name: 'ConfigurationError' });
    expect(result.message).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED/);
    expect(result.message).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(server.received.length).toBe(before);
    expect(() =>
      configFromEnv({
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
        MODELARTS_ENDPOINT: 'https://x.example',
        MODELARTS_TOKEN: TOKEN,
        HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      }),
    ).toThrow(ConfigurationError);
    // Plain HTTP to loopback (the emulator) uses no TLS: nothing to protect, nothing refused.
    expect(() =>
      configFromEnv({
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
        MODELARTS_ENDPOINT: 'http://127.0.0.1:1',
        MODELARTS_TOKEN: TOKEN,
        HUAWEICLOUD_SDK_PROJECT_ID: PROJECT,
      }),
    ).not.toThrow();
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 with the package root is not silent: Node warns on stderr', async () => {
    const { result, stderr } = await child('root', { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(result).toEqual({ ok: true });
    expect(stderr).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED.*insecure/);
  });
});

describe('redirects are not followed, so credentials stay with the configured host', () => {
  let target: TestServer;
  const origins: TestServer[] = [];
  beforeAll(async () => {
    target = await startHttpServer((_req, res) => res.end(EMPTY_SUCCESS));
  });
  afterAll(async () => {
    await target.close();
    for (const origin of origins) await origin.close();
  });

  async function redirecting(status: number): Promise<TestServer> {
    const origin = await startHttpServer((req, res) => {
      res.writeHead(status, { location: `${target.url}${req.url}` });
      res.end();
    });
    origins.push(origin);
    return origin;
  }

  it('the control: fetch left to itself follows a 307 and hands the token to the other port', async () => {
    const origin = await redirecting(307);
    const before = target.received.length;
    await fetch(`${origin.url}/x`, { method: 'POST', headers: { 'x-auth-token': TOKEN }, body: '{}' });
    expect(target.received.length).toBe(before + 1);
    expect(target.received.at(-1)!['x-auth-token']).toBe(TOKEN);
    target.received.length = 0;
  });

  for (const status of [301, 302, 303, 307, 308]) {
    for (const auth of ['token', 'aksk'] as const) {
      it(`a ${status} to another port with ${auth} auth is an InvalidResponseError naming the location; the other port hears nothing`, async () => {
        const origin = await redirecting(status);
        const error = await firstError(client(origin.url, { auth: auth === 'token' ? { token: TOKEN } : CREDENTIALS, maxRetries: 2 }));
        expect(error).toBeInstanceOf(InvalidResponseError);
        expect((error as InvalidResponseError).status).toBe(status);
        expect(error!.message).toContain(`redirected to ${target.url}/v1/`);
        expect(error!.message).toMatch(/set the endpoint to the final address/);
        // Not retried either: a redirect will not change by asking again.
        expect(origin.received).toHaveLength(1);
        expect(target.received).toEqual([]);
      });
    }
  }
});

describe('response bodies are size-limited', () => {
  const LIMIT = 64 * 1024;

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    let closedEarly = false;
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
      res.write('{"is_success":true,"images_tags":[');
      res.on('close', () => (closedEarly = !res.writableFinished));
    });
    try {
      const error = await firstError(client(server.url, { maxResponseBytes: LIMIT, maxRetries: 2 }));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error!.message).toContain(`maxResponseBytes (${LIMIT} bytes)`);
      expect(error!.message).toMatch(/lower the batch size or raise maxResponseBytes/);
      expect(error!.attempts).toBe(1);
      await waitFor(() => closedEarly);
    } finally {
      await server.close();
    }
  });

  it('stops an endless chunked body at the limit and hangs up', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"is_success":true,"images_tags":[], "padding":"');
      const pump = (): void => {
        while (!closed && res.write(chunk)) written += chunk.length;
        if (!closed) res.once('drain', pump);
      };
      res.on('close', () => (closed = true));
      pump();
    });
    try {
      const error = await firstError(client(server.url, { maxResponseBytes: LIMIT }));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      await waitFor(() => closed);
      // What the server managed to write is bounded by the limit plus socket buffers, not endless.
      expect(written).toBeLessThan(LIMIT + 32 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('counts bytes, not characters, at the exact limit', async () => {
    // 4-byte UTF-8 characters: the body is 4x longer in bytes than in UTF-16 code units / 2.
    const padding = '😀'.repeat(2_000);
    const body = JSON.stringify({ is_success: true, images_tags: [], padding });
    const bytes = Buffer.byteLength(body);
    const server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      // Split inside a character: the decoder must carry the partial sequence over.
      const raw = Buffer.from(body);
      res.write(raw.subarray(0, 1001));
      res.end(raw.subarray(1001));
    });
    try {
      expect(await firstError(client(server.url, { maxResponseBytes: bytes }))).toBeUndefined();
      expect(await firstError(client(server.url, { maxResponseBytes: bytes - 1 }))).toBeInstanceOf(ResponseTooLargeError);
    } finally {
      await server.close();
    }
  });

  it('applies the limit in bytes to a transport that only offers text(), as a host transport may', async () => {
    const body = JSON.stringify({ is_success: true, images_tags: [], padding: '€'.repeat(1_000) });
    const bytes = Buffer.byteLength(body);
    expect(bytes).toBeGreaterThan(body.length + 1_000);
    const textOnly: Transport = async () => ({ status: 200, headers: { get: () => null }, text: async () => body });
    const within = client('https://modelarts.example.com', { fetch: textOnly, maxResponseBytes: bytes });
    const over = client('https://modelarts.example.com', { fetch: textOnly, maxResponseBytes: bytes - 1 });
    expect(await firstError(within)).toBeUndefined();
    expect(await firstError(over)).toBeInstanceOf(ResponseTooLargeError);
  });
});

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function runChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ result: { ok: boolean; name?: string; message?: string }; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { NODE_TLS_REJECT_UNAUTHORIZED: _, NODE_EXTRA_CA_CERTS: __, NODE_OPTIONS: ___, ...inherited } = process.env;
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('close', () => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`the child printed no result; stderr: ${stderr}`));
      resolve({ result: JSON.parse(line) as { ok: boolean; name?: string; message?: string }, stderr });
    });
  });
}
