// A real n8n server (`n8n start`) for tests that drive the editor: a throwaway user folder with the
// community package installed as n8n installs one, sqlite, listening on 127.0.0.1 on a free port.
//
//   const server = await startN8nServer({ version: '2', nodePackage: 'pkg.tgz' });
//   const { cookie } = await server.setupOwner();
//   ... drive server.url in a browser ...
//   server.log;            // everything n8n printed so far
//   await server.stop();
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { killGroup, tail } from '../../lib/processes.mjs';
import { freePort, installNodePackage, n8nEnvironment } from '../harness.mjs';
import { VERSIONS, nodeBinary } from '../versions.mjs';

/** The line n8n prints once the editor and the REST API answer. */
const READY_LINE = /Editor is now accessible via/;
const START_TIMEOUT_MS = 5 * 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** The owner account the tests log in as (a throwaway instance: nothing here is a real secret). */
export const OWNER = { email: 'owner@modelarts-kit.test', firstName: 'Test', lastName: 'Owner', password: 'E2e-owner-password-1' };

/**
 * Starts `n8n start` and resolves once it serves the REST API. A start that crashes before it is ready
 * (n8n 2.x segfaults now and then) is retried once in a fresh user folder.
 *
 * @param {object} options
 * @param {'2' | '1'} options.version
 * @param {string | string[]} [options.nodePackage] packed community node (.tgz) or unpacked package folder (or several)
 * @param {Record<string, string>} [options.env] extra n8n environment
 * @param {(line: string) => void} [options.log]
 * @param {boolean} [options.keep] keep the user folder (also N8N_E2E_KEEP=1)
 */
export async function startN8nServer(options) {
  const log = options.log ?? (() => {});
  try {
    return await startOnce(options);
  } catch (err) {
    if (!err.startFailure) throw err;
    log(`[n8n ${VERSIONS[options.version].n8n}] server did not start (${err.message.split('\n')[0]}); retrying once`);
    return await startOnce(options);
  }
}

async function startOnce(options) {
  const version = VERSIONS[options.version];
  if (!version) throw new Error(`Unknown n8n version "${options.version}" (use "2" or "1")`);
  if (!existsSync(version.n8nBin))
    throw new Error(`n8n ${version.n8n} is not installed in ${version.dir}; run node e2e/n8n/install.mjs first`);
  const keep = options.keep ?? process.env.N8N_E2E_KEEP === '1';
  const userFolder = await fs.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-server-${version.key}-`));
  const dataDir = path.join(userFolder, '.n8n');
  await fs.mkdir(dataDir, { recursive: true });
  for (const source of [options.nodePackage ?? []].flat()) await installNodePackage(dataDir, source);

  const port = await freePort();
  const env = await n8nEnvironment(version, userFolder, {
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
    N8N_SECURE_COOKIE: 'false',
    ...options.env,
  });

  // Own process group, so stop() also ends n8n's task runners.
  const child = spawn(nodeBinary(version), [version.n8nBin, 'start'], {
    env,
    cwd: userFolder,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = /** @type {number} */ (child.pid);
  let output = '';
  const lineListeners = new Set();
  const onData = (chunk) => {
    output += chunk;
    for (const listener of lineListeners) listener(output);
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    killGroup(pid, 'SIGKILL'); // anything left in the group (task runners)
    if (!keep) await fs.rm(userFolder, { recursive: true, force: true });
  };

  try {
    // Wait for the ready line (an event from n8n itself), the process ending, or the time limit.
    const ready = /** @type {Promise<void>} */ (
      new Promise((resolve) => {
        const check = (text) => {
          if (READY_LINE.test(text)) {
            lineListeners.delete(check);
            resolve();
          }
        };
        lineListeners.add(check);
        check(output);
      })
    );
    let timer;
    const outcome = await Promise.race([
      ready.then(() => 'ready'),
      exited.then(({ code, signal }) => `exit ${signal ?? code}`),
      new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (outcome !== 'ready') {
      const err = Object.assign(new Error(`n8n ${version.n8n} start: ${outcome} before the editor was ready\n${tail(output, 30)}`), {
        startFailure: outcome.startsWith('exit'),
      });
      throw err;
    }
    const settings = await fetch(`${url}/rest/settings`);
    const body = await settings.text();
    if (!settings.ok || !body.startsWith('{'))
      throw new Error(`n8n ${version.n8n}: GET /rest/settings answered ${settings.status}: ${body.slice(0, 200)}`);
  } catch (err) {
    await cleanup();
    throw err;
  }

  return {
    version,
    url,
    port,
    userFolder,
    /** Everything n8n printed (stdout and stderr) so far. */
    get log() {
      return output;
    },
    /**
     * Creates the owner account and returns the session cookie the response set, for the browser.
     * @returns {Promise<{ name: string, value: string }>}
     */
    async setupOwner() {
      const res = await fetch(`${url}/rest/owner/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(OWNER),
      });
      if (!res.ok) throw new Error(`n8n ${version.n8n}: owner setup answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('n8n-auth='));
      if (!cookie) throw new Error(`n8n ${version.n8n}: owner setup set no n8n-auth cookie`);
      const [name, ...value] = cookie.split('=');
      return { name, value: value.join('=') };
    },
    stop: cleanup,
  };
}
