import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLASSIFICATION_JOB_ID, DEFAULT_PROJECT_ID, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index.js';
import { send, tagsPath, type TestResponse } from '../support/http.js';
import { signTestRequest } from '../support/sign-request.js';

// The emulator never echoes a credential: not the X-Auth-Token it was sent,
// not any part of the Authorization header (AK, signature), not the security
// token, not the keys it was configured with. Checked on every answer of
// every error path, and on the command line's stdout and stderr.

const TOKEN = 'sentinel-emulator-token-71c4';
const AK = 'SENTINELEMUAK9Q2W';
const SK = 'sentinel-emulator-sk/4e8a';
const STS = 'sentinel-emulator-sts-0b3f';
const PRESENTED = ['sentinel-presented-token-d2e9', 'SENTINELUNKNOWNAK5X', 'sentinel-wrong-sk-aa10'];
const SECRETS = [TOKEN, AK, SK, STS, ...PRESENTED];

function assertNoSecret(texts: string[], also: string[] = []): void {
  const all = texts.join('\n');
  for (const secret of [...SECRETS, ...also]) {
    const at = all.indexOf(secret);
    expect(at, `found ${secret} in: ...${all.slice(Math.max(0, at - 150), at + 50)}`).toBe(-1);
  }
}

function render(response: TestResponse): string {
  return `${response.status}\n${JSON.stringify(response.headers)}\n${response.text}`;
}

/** Raw bytes in, everything that comes back out. */
interface Target {
  url: string;
  port: number;
  imageIds: string[];
}

function raw(target: Target, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, '127.0.0.1');
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(reply) : reject(error)));
    socket.on('close', () => resolve(reply));
    socket.on('connect', () => socket.write(bytes));
  });
}

/** Every way a request can fail authentication or validation, with sentinel credentials in it. */
async function exercise(emulator: Target): Promise<{ texts: string[]; signatures: string[]; statuses: Set<number> }> {
  const texts: string[] = [];
  const signatures: string[] = [];
  const statuses = new Set<number>();
  const path = tagsPath(CLASSIFICATION_JOB_ID);
  const body = JSON.stringify({ image_id: emulator.imageIds });
  const record = (response: TestResponse): void => {
    statuses.add(response.status);
    texts.push(render(response));
  };
  const signed = (credentials: { accessKey: string; secretKey: string }, extra: Record<string, string> = {}, date?: Date) => {
    const headers = signTestRequest(
      {
        method: 'POST',
        url: `${emulator.url}${path}`,
        headers: { 'content-type': 'application/json', 'x-project-id': DEFAULT_PROJECT_ID, ...extra },
        body,
      },
      credentials,
      date ? { date } : {},
    );
    signatures.push(/Signature=([0-9a-f]+)/.exec(headers.authorization!)![1]!);
    return { 'content-type': 'application/json', 'x-project-id': DEFAULT_PROJECT_ID, ...extra, ...headers } as Record<string, string>;
  };
  const post = async (headers: Record<string, string>, requestBody = body, requestPath = path) =>
    record(await send(emulator.url, { path: requestPath, headers, body: requestBody }));

  // Tokens: wrong, right (to the error paths behind auth), and odd.
  await post({ 'content-type': 'application/json', 'x-auth-token': PRESENTED[0]! });
  await post({ 'content-type': 'application/json', 'x-auth-token': `${TOKEN}x` });
  await post({ 'content-type': 'application/json', 'x-auth-token': TOKEN }, '{"image_id":');
  await post({ 'content-type': 'application/json', 'x-auth-token': TOKEN }, body, tagsPath('999'));
  await post(
    { 'content-type': 'application/json', 'x-auth-token': TOKEN },
    body,
    tagsPath(CLASSIFICATION_JOB_ID, 'ffffffffffffffffffffffffffffffff'),
  );
  record(await send(emulator.url, { method: 'GET', path, headers: { 'x-auth-token': TOKEN } }));
  await post({ 'content-type': 'application/json', 'x-auth-token': TOKEN }, body, '/v1/nothing');
  await post({ 'content-type': 'text/plain', 'x-auth-token': TOKEN });
  await post(
    { 'content-type': 'application/json', 'x-auth-token': TOKEN },
    JSON.stringify({ image_id: ['x'], pad: 'y'.repeat(2_000_000) }),
  );
  // AK/SK: unknown AK, wrong SK, stale date, a security token, a tampered body, broken headers.
  await post(signed({ accessKey: PRESENTED[1]!, secretKey: SK }));
  await post(signed({ accessKey: AK, secretKey: PRESENTED[2]! }));
  await post(signed({ accessKey: AK, secretKey: SK }, {}, new Date(Date.now() - 16 * 60_000)));
  await post(signed({ accessKey: AK, secretKey: SK }, { 'x-security-token': STS }));
  await post(signed({ accessKey: AK, secretKey: SK }), body.replace('"]', 'x"]'));
  const good = signed({ accessKey: AK, secretKey: SK });
  // A signed header that was not sent: the answer names the header (a name, not a secret).
  await post({ ...good, authorization: good.authorization!.replace('SignedHeaders=', 'SignedHeaders=x-not-sent;') });
  await post({ ...good, authorization: `SDK-HMAC-SHA256 Access=${AK}, Signature=${SK}` });
  await post({ ...good, authorization: `Bearer ${TOKEN}` });
  await post({ ...good, authorization: `SDK-HMAC-SHA256 Credential=${AK}/${SK}/x/y, SignedHeaders=host, Signature=00` });
  await post({ ...good, 'x-sdk-date': `${SK}` });
  // Malformed HTTP and slow requests go through another path (clientError).
  texts.push(await raw(emulator, `POST ${path} HTTP/1.1\r\nX-Auth-Token: ${TOKEN}\r\nAuthorization: ${AK} ${SK}\r\nBad Header\r\n\r\n`));
  texts.push(
    await raw(emulator, `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${TOKEN}\r\nX-Long: ${'z'.repeat(20_000)}${SK}\r\n\r\n`),
  );
  texts.push(await raw(emulator, `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${TOKEN}\r\nContent-Length: 50\r\n\r\n{"image_id":`));
  return { texts, signatures, statuses };
}

function target(emulator: RunningEmulator): Target {
  return { url: emulator.url, port: emulator.port, imageIds: emulator.jobs.classification.imageIds.slice(0, 2) };
}

function emulatorOptions(extra: EmulatorOptions = {}): EmulatorOptions {
  return {
    imagesPerJob: 50,
    tokens: [TOKEN],
    keys: [{ accessKey: AK, secretKey: SK }],
    bodyLimitBytes: 1_000_000,
    requestTimeoutMs: 500,
    headersTimeoutMs: 300,
    ...extra,
  };
}

describe('the emulator never echoes a credential', () => {
  it('in any answer: 400, 401, 404, 405, 408, 413, 431, and the 200 it gives the one good request', async () => {
    const emulator = await startEmulator(emulatorOptions());
    try {
      const { texts, signatures, statuses } = await exercise(target(emulator));
      expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401, 404, 405, 413]));
      expect(texts.join('\n')).toMatch(/HTTP\/1\.1 (408|400|431) /);
      assertNoSecret(texts, signatures);
    } finally {
      await emulator.close();
    }
  });

  it('in the answers of every injected fault', async () => {
    const kinds = ['429', '500', '503', 'reset', 'truncated', 'html502', 'unsuccessful', 'delay'] as const;
    const emulator = await startEmulator(emulatorOptions({ faults: { sequence: [...kinds], delayMs: 100 } }));
    try {
      const texts: string[] = [];
      for (let i = 0; i < kinds.length; i++) {
        const response = await send(emulator.url, {
          path: tagsPath(CLASSIFICATION_JOB_ID),
          headers: { 'content-type': 'application/json', 'x-auth-token': TOKEN },
          body: JSON.stringify({ image_id: ['a'] }),
        }).catch((error: Error) => ({ status: 0, headers: {}, text: error.message, json: () => undefined }));
        texts.push(render(response));
      }
      expect(Object.values(emulator.stats.faults).reduce((a, b) => a + b, 0)).toBe(kinds.length);
      assertNoSecret(texts);
    } finally {
      await emulator.close();
    }
  });

  it('on the command line: stdout and stderr of a run with credentials given as flags, and of flag mistakes', async () => {
    const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
    const run = (args: string[], whileRunning?: (url: string) => Promise<void>) =>
      new Promise<{ out: string; code: number | null }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let started = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (!started && whileRunning && out.includes('\n')) {
            started = true;
            void whileRunning(out.split('\n')[0]!).finally(() => child.kill('SIGTERM'));
          }
        });
        child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ out, code }));
      });

    const outputs: string[] = [];
    let signatures: string[] = [];
    const served = await run(
      ['--port', '0', '--images', '20', '--token', TOKEN, '--ak', AK, '--sk', SK, '--request-timeout', '500'],
      async (url) => {
        const port = Number(new URL(url).port);
        const result = await exercise({ url, port, imageIds: ['a', 'b'] });
        signatures = result.signatures;
        outputs.push(...result.texts);
      },
    );
    expect(served.code).toBe(0);
    expect(served.out).toMatch(/tokens: 1 accepted \(given on the command line\)/);
    outputs.push(served.out);

    for (const args of [
      ['--ak', AK],
      ['--sk', SK],
      ['--ak', AK, '--ak', PRESENTED[1]!, '--sk', SK],
      ['--token', TOKEN, '--port', SK],
      ['--token', TOKEN, '--faults', `{"jobs":${SK}`],
      ['--token', TOKEN, '--tokn', SK],
      ['--token', '', '--port', '0'],
    ]) {
      const { out, code } = await run(args);
      expect(code, args.join(' ')).not.toBe(0);
      outputs.push(out);
    }
    assertNoSecret(outputs, signatures);
  });
});
