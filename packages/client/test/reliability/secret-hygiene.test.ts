import { inspect } from 'node:util';
import { DEFAULT_PROJECT_ID, startEmulator } from '@modelarts-kit/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/env.js';
import { ModelArtsClient, type ModelArtsClientOptions, type Transport, type TransportRequest } from '../../src/index.js';
import { selfSignedCertificate, startHttpServer, startHttpsServer, type TestServer } from './support/servers.js';

// Every error path of the client, driven with known sentinel credentials.
// Whatever a caller can see or print (message, stack, cause chain, inspect,
// JSON, String, the partial result, the logger, the client object itself)
// must not contain a credential, nor the signature derived from one.
// (The test in test/emulator.test.ts covers the emulator-side paths; this
// one adds hostile transports, TLS, redirects, oversized bodies, timeouts,
// aborts, deadlines and configuration errors.)

const AK = 'SENTINELAK4F1D2C3B';
const SK = 'sentinel-sk/93b0e7+c4a1';
const STS = 'sentinel-sts-token-6e2d90';
const TOKEN = 'sentinel-iam-token-ba85c1';
const SECRETS = [AK, SK, STS, TOKEN];

/** Everything a caller could print of a value, the cause chain followed to the end. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Infinity, showHidden: true, getters: true }), safeJson(value), safeString(value)];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Error) {
      out.push(v.message, v.stack ?? '', safeJson(v), inspect(v, { depth: Infinity, showHidden: true }));
      visit(v.cause);
      if (v instanceof AggregateError) v.errors.forEach(visit);
    }
    for (const key of Reflect.ownKeys(v)) {
      try {
        visit((v as Record<PropertyKey, unknown>)[key]);
      } catch {
        // a throwing getter reveals nothing
      }
    }
  };
  visit(value);
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return String(error);
  }
}
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch (error) {
    return String(error);
  }
}

/** Signatures the servers and transports saw: derived from SK, they are secret too. */
const derived = new Set<string>();

class Capture {
  readonly texts: string[] = [];
  readonly logger = { debug: (m: string) => this.texts.push(m), warn: (m: string) => this.texts.push(m) };
  errors = 0;

  add(value: unknown): void {
    if (value instanceof Error) this.errors++;
    this.texts.push(...renderings(value));
  }

  /** Runs a call and captures the error it throws or the result it returns (failed entries included). */
  async call(run: () => Promise<unknown>): Promise<void> {
    try {
      const result = await run();
      this.add(result);
      for (const failed of (result as { failed?: { error: unknown }[] }).failed ?? []) this.add(failed.error);
    } catch (error) {
      this.add(error);
    }
  }

  assertClean(): void {
    const all = this.texts.join('\n');
    for (const secret of [...SECRETS, ...derived]) {
      const at = all.indexOf(secret);
      expect(at, `secret found in: ...${all.slice(Math.max(0, at - 200), at + 50)}`).toBe(-1);
    }
  }
}

const auths: Record<string, ModelArtsClientOptions['auth']> = {
  aksk: { accessKey: AK, secretKey: SK, securityToken: STS },
  token: { token: TOKEN },
  tokenProvider: async () => TOKEN,
};

/** Records what the signed request carried, so the derived signature can be searched for too. */
function noteSignature(headers: Record<string, string | string[] | undefined>): void {
  const authorization = String(headers.authorization ?? '');
  const signature = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
  if (signature) derived.add(signature);
}

describe('no credential leaks from any error path', () => {
  let capture: Capture;
  beforeEach(() => {
    capture = new Capture();
  });
  const servers: TestServer[] = [];
  let tls: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let endpoints: Record<string, string>;

  beforeAll(async () => {
    tls = await selfSignedCertificate();
    const reply = (status: number, body: string, headers: Record<string, string> = {}) =>
      startHttpServer((req, res) => {
        noteSignature(req.headers);
        res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-hygiene', ...headers });
        res.end(body);
      });
    const made = {
      badRequest: await reply(400, '{"error_code":"ModelArts.0104","error_msg":"Parameter error."}'),
      unauthorized: await reply(401, '{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information."}'),
      forbidden: await reply(403, '{"error_code":"ModelArts.0112","error_msg":"denied"}'),
      notFound: await reply(404, '{"error_code":"ModelArts.4104","error_msg":"no job"}'),
      throttled: await reply(429, '{"error_code":"APIG.0308","error_msg":"throttled"}', { 'retry-after': '0' }),
      html502: await reply(502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' }),
      unsuccessful: await reply(200, '{"is_success":false,"error_code":"ModelArts.6101","error_msg":"System busy."}'),
      notJson: await reply(200, '<html>login</html>'),
      truncated: await reply(200, '{"is_success":true,"images_tags":[{"image_id":"a"'),
      wrongShape: await reply(200, '{"is_success":true,"images_tags":[{"image_id":"a","tags":[{"tag":"t","pos":[1]}]}]}'),
      tooLarge: await reply(200, JSON.stringify({ is_success: true, images_tags: [], padding: 'x'.repeat(10_000) })),
      redirect: await reply(307, '', { location: 'http://127.0.0.1:9/elsewhere' }),
      // Echoes the credentials back in its error message, as a careless gateway might.
      echoing: await startHttpServer((req, res) => {
        noteSignature(req.headers);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error_code: 'APIG.0101', error_msg: `bad request with ${JSON.stringify(req.headers)}` }));
      }),
      slow: await startHttpServer(() => undefined),
      tlsImpostor: await startHttpsServer(tls, (_req, res) => res.end('{}')),
    };
    servers.push(...Object.values(made));
    endpoints = Object.fromEntries(Object.entries(made).map(([name, server]) => [name, server.url]));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    tls.dispose();
  });

  it('over HTTP: every status, body and transport failure, with each kind of auth', async () => {
    const emulator = await startEmulator({
      imagesPerJob: 50,
      tokens: ['another-token'],
      keys: [{ accessKey: 'OTHERAK', secretKey: 'other-sk' }],
    });
    try {
      const targets = { ...endpoints, emulator: emulator.url, refused: 'http://127.0.0.1:9' };
      for (const [name, endpoint] of Object.entries(targets)) {
        for (const auth of Object.values(auths)) {
          const client = new ModelArtsClient({
            endpoint,
            projectId: DEFAULT_PROJECT_ID,
            auth,
            logger: capture.logger,
            maxRetries: 1,
            timeoutMs: name === 'slow' ? 100 : 5_000,
            maxResponseBytes: name === 'tooLarge' ? 1_000 : 1_000_000,
            runtime: { random: () => 0 },
          });
          capture.add(client);
          capture.add(inspect(client, { showHidden: true, depth: Infinity }));
          await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a', 'b', 'c'] }, { batchSize: 2 }));
          await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { onError: 'collect' }));
        }
      }
    } finally {
      await emulator.close();
    }
    expect(capture.errors).toBeGreaterThan(80);
    capture.assertClean();
  });

  it('aborts, deadlines and the async iterator', async () => {
    for (const auth of Object.values(auths)) {
      const client = new ModelArtsClient({ endpoint: endpoints.slow!, projectId: DEFAULT_PROJECT_ID, auth, logger: capture.logger });
      const controller = new AbortController();
      const pending = capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { signal: controller.signal }));
      setTimeout(() => controller.abort(new Error(`aborted by the caller`)), 50);
      await pending;
      await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }, { deadlineMs: 50 }));
      await capture.call(async () => {
        const batches = [];
        for await (const batch of client.iterateImageTags({ annotationId: '282', imageIds: ['a', 'b'] }, { deadlineMs: 50 }))
          batches.push(batch);
        return batches;
      });
    }
    capture.assertClean();
  });

  it('configuration errors, including credentials that cannot be sent', async () => {
    const bad: unknown[] = [
      { token: `${TOKEN}\r\nX-Injected: 1` },
      { token: `${TOKEN}\u0000` },
      { accessKey: AK, secretKey: '' },
      { accessKey: '', secretKey: SK },
      { accessKey: `${AK}\n`, secretKey: SK },
      { accessKey: AK, secretKey: SK, securityToken: `${STS}\r\n` },
      { tokn: TOKEN },
      TOKEN,
    ];
    for (const auth of bad) {
      try {
        new ModelArtsClient({ region: 'cn-north-4', projectId: DEFAULT_PROJECT_ID, auth: auth as ModelArtsClientOptions['auth'] });
        throw new Error('expected a ConfigurationError');
      } catch (error) {
        capture.add(error);
      }
    }
    // A token provider that returns something unusable, and one that throws.
    for (const provider of [async () => `${TOKEN}\n`, async () => 42 as unknown as string]) {
      const client = new ModelArtsClient({
        region: 'cn-north-4',
        projectId: DEFAULT_PROJECT_ID,
        auth: provider,
        maxRetries: 0,
        fetch: async () => new Response('{}'),
      });
      await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }));
    }
    // The environment entry point, with every variable set but one thing wrong.
    const env = { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS, MODELARTS_TOKEN: TOKEN };
    for (const extra of [
      {},
      { HUAWEICLOUD_SDK_PROJECT_ID: 'bad/id', HUAWEICLOUD_SDK_REGION_ID: 'x' },
      { NODE_TLS_REJECT_UNAUTHORIZED: '0', HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID, HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4' },
    ]) {
      try {
        new ModelArtsClient(configFromEnv({ ...env, ...extra }));
        throw new Error('expected a ConfigurationError');
      } catch (error) {
        capture.add(error);
      }
    }
    capture.assertClean();
  });

  it('a hostile transport whose errors carry the request, as HTTP libraries do (axios keeps config.headers)', async () => {
    const failures: ((init: TransportRequest) => unknown)[] = [
      (init) =>
        Object.assign(new Error('Request failed with status code 500'), {
          config: { headers: init.headers },
          request: { _header: `POST / HTTP/1.1\r\n${headerLines(init)}` },
        }),
      (init) =>
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', headers: init.headers }),
        }),
      (init) => new AggregateError([Object.assign(new Error('connect ECONNREFUSED'), { options: init })], 'all attempts failed'),
      (init) => ({ message: 'a plain object', init }),
      (init) => `a string with the request ${JSON.stringify(init.headers)}`,
    ];
    for (const fail of failures) {
      for (const auth of Object.values(auths)) {
        const transport: Transport = async (_url, init) => {
          noteSignature(init.headers);
          throw fail(init);
        };
        const client = new ModelArtsClient({
          region: 'cn-north-4',
          projectId: DEFAULT_PROJECT_ID,
          auth,
          fetch: transport,
          maxRetries: 1,
          logger: capture.logger,
          runtime: { random: () => 0 },
        });
        await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }));
      }
      // A body stream that fails with the request attached.
      const streaming: Transport = async (_url, init) => ({
        status: 200,
        headers: { get: () => null },
        text: async () => '',
        body: new ReadableStream({ pull: (controller) => controller.error(fail(init)) }),
      });
      const client = new ModelArtsClient({
        region: 'cn-north-4',
        projectId: DEFAULT_PROJECT_ID,
        auth: auths.aksk!,
        fetch: streaming,
        maxRetries: 0,
      });
      await capture.call(() => client.getImageTags({ annotationId: '282', imageIds: ['a'] }));
    }
    capture.assertClean();
  });
});

function headerLines(init: TransportRequest): string {
  return Object.entries(init.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}
