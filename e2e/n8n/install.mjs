#!/usr/bin/env node
// Installs the pinned real n8n versions used by the end-to-end tests into .cache/n8n/ (git-ignored).
//
//   node e2e/n8n/install.mjs                 # both versions, in parallel
//   N8N_E2E_VERSIONS=2 node e2e/n8n/install.mjs
//   node e2e/n8n/install.mjs --force         # reinstall even if the cache looks complete
//   node e2e/n8n/install.mjs --update-lock   # after installing, copy the resolved lockfile back to e2e/n8n/installs/
//
// Each version gets its own folder with the committed package.json (and lockfile when there is one):
// the install runs without lifecycle scripts, then only the native modules n8n needs are rebuilt against
// local Node headers (nothing is downloaded besides registry packages). A marker file is written on
// success; a later run with the same inputs reuses the folder.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecked, runProcess, tail } from '../lib/processes.mjs';
import { CACHE_DIR, nodeBinary, pathWithNode, selectVersions } from './versions.mjs';

const MARKER = '.e2e-installed.json';
const HEARTBEAT_MS = 30_000;
// An install of n8n takes minutes; one that takes an hour is stuck.
const INSTALL_STEP_TIMEOUT_MS = 60 * 60_000;

/**
 * Ensures the given versions are installed; returns per-version info including how long it took.
 * @param {import('./versions.mjs').N8nVersion[]} versions
 * @param {{ force?: boolean, updateLock?: boolean, parallel?: boolean, log?: (line: string) => void }} [options]
 */
export async function ensureInstalled(versions, options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const one = (v) => withLock(`${v.dir}.lock`, log, `[n8n ${v.n8n}]`, () => installOne(v, { ...options, log }));
  if (options.parallel === false) {
    const out = [];
    for (const v of versions) out.push(await one(v));
    return out;
  }
  return Promise.all(versions.map(one));
}

async function installOne(version, { force = false, updateLock = false, log }) {
  const tag = `[n8n ${version.n8n}]`;
  const spec = await readSpec(version);
  const markerPath = path.join(version.dir, MARKER);
  if (!force) {
    const marker = await readJson(markerPath);
    if (marker && marker.fingerprint === spec.fingerprint && (await isComplete(version))) {
      log(
        `${tag} cached in ${path.relative(process.cwd(), version.dir) || version.dir} (installed ${marker.installedAt}, took ${marker.seconds.total}s)`,
      );
      return { version, cached: true, seconds: marker.seconds };
    }
  }

  const started = Date.now();
  await fs.rm(markerPath, { force: true });
  await fs.mkdir(version.dir, { recursive: true });
  await fs.writeFile(path.join(version.dir, 'package.json'), spec.packageJson);
  const logFile = path.join(version.dir, 'install.log');
  await fs.writeFile(logFile, '');

  const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];
  if (spec.lock !== null) {
    await fs.writeFile(path.join(version.dir, 'package-lock.json'), spec.lock);
    log(`${tag} npm ci (from the committed lockfile) in ${version.dir}`);
    await run('npm', ['ci', ...npmArgs], { cwd: version.dir, logFile, tag, log, what: 'npm ci' });
  } else {
    log(`${tag} npm install in ${version.dir}`);
    await run('npm', ['install', ...npmArgs], { cwd: version.dir, logFile, tag, log, what: 'npm install' });
  }
  const installed = Date.now();

  // Native modules: built for the Node that will run n8n, against that Node's own headers (offline).
  const nodeDir = version.nodeDir ?? machineNodeDir();
  const node = nodeBinary(version);
  if (!existsSync(node)) throw new Error(`${tag} Node binary missing after install: ${node}`);
  log(`${tag} npm rebuild ${version.rebuild.join(' ')} --nodedir=${nodeDir} (Node ${await nodeVersion(node)})`);
  await run('npm', ['rebuild', ...version.rebuild, `--nodedir=${nodeDir}`, '--loglevel=warn'], {
    cwd: version.dir,
    logFile,
    tag,
    log,
    what: 'npm rebuild',
    // JOBS: node-gyp compiles with all cores.
    env: { PATH: pathWithNode(version), npm_config_nodedir: nodeDir, JOBS: 'max' },
  });
  const rebuilt = Date.now();

  const reported = await n8nVersion(version);
  if (reported !== version.n8n) {
    throw new Error(`${tag} installed n8n reports version "${reported}", expected ${version.n8n}`);
  }

  if (updateLock) {
    await fs.copyFile(path.join(version.dir, 'package-lock.json'), path.join(version.specDir, 'package-lock.json'));
    log(`${tag} lockfile copied to ${path.join(version.specDir, 'package-lock.json')}`);
  }
  const finalSpec = await readSpec(version);
  const seconds = {
    install: round((installed - started) / 1000),
    rebuild: round((rebuilt - installed) / 1000),
    total: round((Date.now() - started) / 1000),
  };
  await fs.writeFile(
    markerPath,
    `${JSON.stringify({ n8n: version.n8n, node: await nodeVersion(node), fingerprint: finalSpec.fingerprint, installedAt: new Date().toISOString(), seconds }, null, 2)}\n`,
  );
  log(`${tag} installed in ${seconds.total}s (install ${seconds.install}s, rebuild ${seconds.rebuild}s)`);
  return { version, cached: false, seconds };
}

/** What the install is made from; the fingerprint changes when package.json or the committed lockfile does. */
async function readSpec(version) {
  const packageJson = await fs.readFile(path.join(version.specDir, 'package.json'), 'utf8');
  const lock = await fs.readFile(path.join(version.specDir, 'package-lock.json'), 'utf8').catch(() => null);
  const hash = createHash('sha256').update(packageJson).update('\0').update(version.rebuild.join(','));
  if (lock !== null) hash.update('\0').update(lock);
  // Without a committed lockfile the install is fingerprinted by package.json alone.
  return { packageJson, lock, fingerprint: hash.digest('hex') };
}

async function isComplete(version) {
  return existsSync(version.n8nBin) && existsSync(nodeBinary(version));
}

function machineNodeDir() {
  // Headers of the Node running us: <prefix>/include/node (e.g. /usr for a distribution Node).
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (existsSync(path.join(prefix, 'include', 'node', 'node_version.h'))) return prefix;
  throw new Error(`No Node headers under ${prefix}/include/node; install the Node development headers for ${process.version}`);
}

async function nodeVersion(node) {
  const { stdout } = await runChecked(node, ['--version']);
  return stdout.trim();
}

export async function n8nVersion(version) {
  const { stdout } = await runChecked(nodeBinary(version), [version.n8nBin, '--version'], {
    env: { ...process.env, PATH: pathWithNode(version), N8N_DIAGNOSTICS_ENABLED: 'false' },
  });
  return (stdout.trim().split('\n').pop() ?? '').trim();
}

/** Runs an install step with a heartbeat in the log; a failure throws with the end of its output. */
async function run(cmd, args, { cwd, logFile, tag, log, what, env = {} }) {
  const started = Date.now();
  const heartbeat = setInterval(() => log(`${tag} ${what} still running (${Math.round((Date.now() - started) / 1000)}s)`), HEARTBEAT_MS);
  try {
    const r = await runProcess(cmd, args, { cwd, env: { ...process.env, ...env }, logFile, timeoutMs: INSTALL_STEP_TIMEOUT_MS });
    if (r.exitCode !== 0 || r.timedOut) {
      const how = r.timedOut ? `timed out after ${r.seconds}s` : `exit ${r.exitCode ?? r.signal}`;
      throw new Error(`${tag} ${what} failed (${how}); full log: ${logFile}\n${tail(`${r.stdout}\n${r.stderr}`)}`);
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** A folder lock so two test runs sharing the cache never install into the same folder at once. */
async function withLock(lockDir, log, tag, fn) {
  let announced = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(await fs.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
      if (pid && !isAlive(pid)) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`${tag} another process (pid ${pid || '?'}) is installing; waiting`);
      announced = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function readJson(file) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

const round = (n) => Math.round(n * 10) / 10;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const started = Date.now();
  ensureInstalled(selectVersions(), {
    force: args.has('--force'),
    updateLock: args.has('--update-lock'),
    parallel: !args.has('--serial'),
  }).then(
    () => console.log(`n8n installs ready in ${round((Date.now() - started) / 1000)}s`),
    (err) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
