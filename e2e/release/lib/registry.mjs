// A throwaway, offline npm registry (Verdaccio, pinned in ../verdaccio/package.json) on 127.0.0.1.
//
// Offline means `uplinks: {}`: it serves only what was published to it. Consumers therefore point only
// the @modelarts-kit scope at it (`@modelarts-kit:registry=...`); ajv, yaml and the rest still come
// from the npm registry, exactly as they will for users.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../n8n/harness.mjs';
import { delay, run, startBackground } from './processes.mjs';

const VERDACCIO_DIR = fileURLToPath(new URL('../verdaccio/', import.meta.url));
const VERDACCIO_BIN = path.join(VERDACCIO_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
export const SCOPE = '@modelarts-kit';

/** Installs the pinned Verdaccio from its committed lockfile when it is missing (or of another version). */
export async function ensureVerdaccio({ env, log }) {
  const wanted = JSON.parse(await fs.readFile(path.join(VERDACCIO_DIR, 'package.json'), 'utf8')).dependencies.verdaccio;
  const installedManifest = path.join(VERDACCIO_DIR, 'node_modules', 'verdaccio', 'package.json');
  if (existsSync(installedManifest)) {
    const { version } = JSON.parse(await fs.readFile(installedManifest, 'utf8'));
    if (version === wanted) return { installed: false, version };
  }
  log(`installing Verdaccio ${wanted} into ${path.relative(process.cwd(), VERDACCIO_DIR) || VERDACCIO_DIR}`);
  await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: VERDACCIO_DIR,
    env,
    timeoutMs: 10 * 60_000,
  });
  return { installed: true, version: wanted };
}

/**
 * Starts Verdaccio with its storage, password file and log under `dir`, creates a throwaway user and
 * returns its token.
 * @returns {Promise<{ url: string, port: number, token: string, pid: number, logFile: string,
 *   stop(): Promise<void>, packument(name: string): Promise<any>, npmrcLines(): string }>}
 */
export async function startRegistry({ dir, env }) {
  await fs.mkdir(path.join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const configFile = path.join(dir, 'config.yaml');
  await fs.writeFile(configFile, verdaccioConfig(dir));
  const logFile = path.join(dir, 'verdaccio.log');
  const server = startBackground(process.execPath, [VERDACCIO_BIN, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    env,
    logFile,
  });

  try {
    await waitUntilUp(url, server, logFile);
    const user = `release-test-${process.pid}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const res = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(user)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user, password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || typeof body.token !== 'string') {
      throw new Error(`Verdaccio did not create the throwaway user (HTTP ${res.status}: ${body.error ?? 'no token in the answer'})`);
    }
    const token = body.token;
    const hostKey = `//127.0.0.1:${port}/`;
    return {
      url,
      port,
      token,
      pid: server.pid,
      logFile,
      stop: () => server.stop(),
      async packument(name) {
        const r = await fetch(`${url}${name.replace('/', '%2f')}`, { headers: { accept: 'application/json' } });
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(`GET ${name} from the test registry: HTTP ${r.status}`);
        return r.json();
      },
      /**
       * .npmrc lines that publish to this registry: the default registry and our scope both point here
       * (nothing can reach the public registry by mistake), authenticated with the throwaway token.
       */
      npmrcLines() {
        return `\nregistry=${url}\n${SCOPE}:registry=${url}\n${hostKey}:_authToken=${token}\n`;
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

function verdaccioConfig(dir) {
  const q = (p) => JSON.stringify(p);
  return [
    `storage: ${q(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${q(path.join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    '# Offline: nothing is proxied from another registry.',
    'uplinks: {}',
    'packages:',
    "  '@*/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'web:',
    '  enable: false',
    'publish:',
    '  allow_offline: true',
    'max_body_size: 50mb',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitUntilUp(url, server, logFile) {
  let exited = false;
  server.exited.then(() => (exited = true));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited) throw new Error(`Verdaccio exited while starting; its log:\n${await readTail(logFile)}`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await delay(200);
  }
  throw new Error(`Verdaccio did not answer on ${url} within 60s; its log:\n${await readTail(logFile)}`);
}

async function readTail(file) {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-30).join('\n');
}

/** Whether something still accepts connections on 127.0.0.1:port. */
export function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
