import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PROJECT_ID, startEmulator, type FaultKind, type RunningEmulator } from '@modelarts-kit/emulator';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanEnv, runCliProcess } from '../support/run-cli.js';

// modelarts-tags run with sentinel credentials in its environment, against
// every way a run can go wrong: the secrets, and the signatures derived
// from them, appear in none of stdout, stderr or the HTML report.

const AK = 'SENTINELDEMOAK7H3J';
const SK = 'sentinel-demo-sk/5c9d+e1';
const STS = 'sentinel-demo-sts-2a7f';
const TOKEN = 'sentinel-demo-token-8b04';
const SECRETS = [AK, SK, STS, TOKEN];

const akskEnv = { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS };
const tokenEnv = { MODELARTS_TOKEN: TOKEN };

let dir: string;
const emulators: RunningEmulator[] = [];
const servers: Server[] = [];
/** Signatures the recording server saw; derived from SK, they must not be printed either. */
const signatures = new Set<string>();
let recorderUrl: string;
let redirectUrl: string;
let tlsUrl: string;

function listen(server: Server, scheme = 'http'): Promise<string> {
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-hygiene-'));
  // Answers 401 and keeps each signature it was sent.
  recorderUrl = await listen(
    createServer((req, res) => {
      const signature = /Signature=([0-9a-f]+)/.exec(req.headers.authorization ?? '')?.[1];
      if (signature) signatures.add(signature);
      res.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req-recorder' });
      res.end('{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information."}');
    }),
  );
  redirectUrl = await listen(
    createServer((_req, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    }),
  );
  // A certificate no client trusts, made for this run.
  const tls = await generate([{ name: 'commonName', value: 'x' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  tlsUrl = await listen(
    createHttpsServer({ key: tls.private, cert: tls.cert }, (_req, res) => res.end('{}')),
    'https',
  );
});

afterAll(async () => {
  for (const emulator of emulators) await emulator.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const outputs: string[] = [];

async function runWith(
  endpoint: string,
  auth: Record<string, string>,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<number | null> {
  const report = join(dir, `report-${outputs.length}.html`);
  const { code, stdout, stderr } = await runCliProcess(['get', '282', 'a', 'b', 'c', '--report', report, ...args], {
    env: cleanEnv({ MODELARTS_ENDPOINT: endpoint, HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID, ...auth, ...extraEnv }),
  });
  outputs.push(stdout, stderr);
  if (existsSync(report)) outputs.push(readFileSync(report, 'utf8'));
  return code;
}

function assertClean(): void {
  const all = outputs.join('\n');
  for (const secret of [...SECRETS, ...signatures]) {
    const at = all.indexOf(secret);
    expect(at, `found ${secret} in: ...${all.slice(Math.max(0, at - 150), at + 50)}`).toBe(-1);
  }
}

describe('modelarts-tags never prints a credential', () => {
  it('against an emulator that fails every request, with each kind of fault, in every output format', async () => {
    const kinds: FaultKind[] = ['500', '503', '429', 'reset', 'truncated', 'html502', 'unsuccessful'];
    const formats = ['ndjson', 'json', 'csv', 'table'];
    for (const [i, kind] of kinds.entries()) {
      const emulator = await startEmulator({
        imagesPerJob: 20,
        tokens: [TOKEN],
        keys: [{ accessKey: AK, secretKey: SK }],
        faults: { rate: 1, kinds: [kind], retryAfterSeconds: 0 },
      });
      emulators.push(emulator);
      // Alternating the kind of auth keeps the run short: each retried fault costs real backoff time.
      const code = await runWith(emulator.url, i % 2 === 0 ? akskEnv : tokenEnv, [
        '--format',
        formats[i % formats.length]!,
        '--batch-size',
        '2',
      ]);
      expect(code, kind).not.toBe(0);
    }
    assertClean();
  });

  it('when the credentials are refused, the job or project is unknown, or nothing answers', async () => {
    const emulator = await startEmulator({
      imagesPerJob: 20,
      tokens: ['another-token'],
      keys: [{ accessKey: 'OTHERAK', secretKey: 'other-sk' }],
    });
    emulators.push(emulator);
    for (const auth of [akskEnv, tokenEnv]) {
      expect(await runWith(emulator.url, auth)).toBe(1);
      expect(await runWith(recorderUrl, auth)).toBe(1);
      expect(await runWith('http://127.0.0.1:9', auth)).not.toBe(0);
      expect(await runWith(redirectUrl, auth)).not.toBe(0);
      expect(await runWith(emulator.url, auth, ['--project-id', 'ffffffffffffffffffffffffffffffff'])).not.toBe(0);
    }
    expect(signatures.size).toBeGreaterThan(0);
    assertClean();
  });

  it('when TLS fails, and when certificate checks are turned off by NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    for (const auth of [akskEnv, tokenEnv]) {
      expect(await runWith(tlsUrl, auth)).not.toBe(0);
      expect(await runWith(tlsUrl, auth, [], { NODE_TLS_REJECT_UNAUTHORIZED: '0' })).toBe(1);
    }
    expect(outputs.join('\n')).toContain('NODE_TLS_REJECT_UNAUTHORIZED');
    assertClean();
  });

  it('on configuration and usage mistakes', async () => {
    const mistakes: [Record<string, string>, string[]][] = [
      [{ HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SECURITY_TOKEN: STS }, []],
      [{ HUAWEICLOUD_SDK_SK: SK }, []],
      [{ ...akskEnv, MODELARTS_ENDPOINT: 'http://10.0.0.1' }, []],
      [{ ...tokenEnv, MODELARTS_TOKEN: `${TOKEN}\nInjected: 1` }, []],
      [akskEnv, ['--endpoint', 'ftp://x']],
      [akskEnv, ['--batch-size', '0']],
      [akskEnv, ['--bogus']],
    ];
    for (const [env, args] of mistakes) {
      const { code, stdout, stderr } = await runCliProcess(['get', '282', 'a', ...args], {
        env: cleanEnv({ HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID, HUAWEICLOUD_SDK_REGION_ID: 'cn-north-4', ...env }),
      });
      expect(code, JSON.stringify(args)).not.toBe(0);
      outputs.push(stdout, stderr);
    }
    assertClean();
  });

  it('in every whole-job command, when the credentials are refused', async () => {
    const id = 'a'.repeat(32);
    const commands = [
      ['jobs'],
      ['images', '282'],
      ['stats', '282'],
      ['get', '282', '--all'],
      ['set', '282', '--file', '-'],
      ['delete', '282', id, '--yes'],
      ['sync', '282', '--wait'],
      ['export', '282', '--all', '--format', 'csv', '--out', join(dir, 'export.csv')],
      ['check', '282', '--all'],
    ];
    for (const auth of [akskEnv, tokenEnv]) {
      for (const args of commands) {
        const { code, stdout, stderr } = await runCliProcess(args, {
          env: cleanEnv({ MODELARTS_ENDPOINT: recorderUrl, HUAWEICLOUD_SDK_PROJECT_ID: DEFAULT_PROJECT_ID, ...auth }),
          input: JSON.stringify({ image_id: id, tags: ['cat'] }),
        });
        expect(code, args.join(' ')).toBe(1);
        expect(stderr, args.join(' ')).toContain('Authentication failed');
        outputs.push(stdout, stderr);
      }
    }
    assertClean();
  });
});
