// Why one long file: it is the whole command-line surface of n8n that the tests use (user folder,
// package install, imports, execute, result parsing); split up, one protocol would be scattered.
// Drives a real, headless n8n: a throwaway user folder, a community node package installed the way
// n8n installs one, imported credentials and workflows, then `n8n execute --id=<id> --rawOutput` per workflow.
//
//   import { runWorkflows } from './harness.mjs';
//   const [run] = await runWorkflows({ version: '2', nodePackage: 'pkg.tgz', credentials: [...], workflows: [wf] });
//   run.exitCode; run.result /* the execution JSON */; run.stdout; run.stderr
//
// Everything stays on this machine: sqlite, no telemetry, no version checks, no templates.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TIMEOUT_MS, runProcess, tail } from '../lib/processes.mjs';
import { VERSIONS, nodeBinary, pathWithNode } from './versions.mjs';

/** Fixed, test-only key so credentials imported in plain text are encrypted the same way every run. */
export const ENCRYPTION_KEY = 'modelarts-kit-e2e-only-encryption-key';

// Environment variables from the calling shell that would change how n8n runs.
const INHERITED_DROP = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|NODE_OPTIONS$|NODE_FUNCTION_ALLOW_|WEBHOOK_URL$|VUE_APP_)/;

/**
 * A throwaway n8n user folder with a node package, credentials and workflows imported.
 * Call `execute(id)` for each workflow (one n8n process each) and `close()` at the end.
 *
 * @param {object} options
 * @param {'2' | '1'} options.version          n8n major version to run (see versions.mjs)
 * @param {string | string[]} [options.nodePackage] packed community node (.tgz) or an unpacked package folder (or several)
 * @param {boolean} [options.npmInstall]        also run `npm install --ignore-scripts --omit=dev --omit=peer` in the unpacked package
 * @param {object[]} [options.credentials]      n8n credential export objects ({ id, name, type, data })
 * @param {object[]} [options.workflows]        n8n workflow objects; missing `id`s are assigned
 * @param {Record<string, string>} [options.env] extra environment for every n8n command
 * @param {(folders: { userFolder: string, nodesDir: string }) => Promise<void> | void} [options.prepareUserFolder]
 *        called before any import, e.g. to `npm install` a package into `nodesDir` from a registry as n8n does
 * @param {boolean} [options.keep]              keep the user folder (also N8N_E2E_KEEP=1)
 * @param {number} [options.timeoutMs]          per n8n command
 * @param {(line: string) => void} [options.log]
 */
export async function createN8nSession(options) {
  const version = VERSIONS[options.version];
  if (!version) throw new Error(`Unknown n8n version "${options.version}" (use "2" or "1")`);
  if (!existsSync(version.n8nBin)) {
    throw new Error(`n8n ${version.n8n} is not installed in ${version.dir}; run node e2e/n8n/install.mjs first`);
  }
  const log = options.log ?? (() => {});
  const keep = options.keep ?? process.env.N8N_E2E_KEEP === '1';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userFolder = await fs.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-${version.key}-`));
  const dataDir = path.join(userFolder, '.n8n');
  await fs.mkdir(dataDir, { recursive: true });

  const closeSession = async () => {
    if (keep) log(`[n8n ${version.n8n}] kept user folder ${userFolder}`);
    else await fs.rm(userFolder, { recursive: true, force: true });
  };

  try {
    const env = await n8nEnvironment(version, userFolder, options.env);

    const installedPackages = [];
    for (const source of [options.nodePackage ?? []].flat()) {
      const installed = await installNodePackage(dataDir, source, { npmInstall: options.npmInstall, log, timeoutMs });
      installedPackages.push(installed);
      log(`[n8n ${version.n8n}] installed ${installed.name}@${installed.version} into ${path.relative(userFolder, installed.dir)}`);
    }

    if (options.prepareUserFolder) {
      const nodesDir = path.join(dataDir, 'nodes');
      await fs.mkdir(nodesDir, { recursive: true });
      await options.prepareUserFolder({ userFolder, nodesDir });
    }

    const cli = (args, what) => runCli(version, args, { env, timeoutMs, what });
    const credentials = options.credentials ?? [];
    const workflows = (options.workflows ?? []).map((wf, i) => normaliseWorkflow(wf, i));
    assertUniqueIds('credential', credentials);
    assertUniqueIds('workflow', workflows);

    /** Imports a list through a JSON file (`n8n import:... --input=FILE`); returns the seconds it took. */
    const importList = async (command, list) => {
      if (list.length === 0) return 0;
      const file = path.join(userFolder, `${command.replace(':', '-')}.json`);
      await fs.writeFile(file, JSON.stringify(list));
      const r = await withStartRetry(() => cli([command, `--input=${file}`], command), log, version, command);
      if (r.exitCode !== 0) throw commandError(version, command, r);
      await fs.rm(file);
      return r.seconds;
    };
    const timings = {
      importCredentials: await importList('import:credentials', credentials),
      importWorkflows: await importList('import:workflow', workflows),
    };

    return {
      version,
      userFolder,
      env,
      installedPackages,
      workflows,
      timings,
      /**
       * Runs one imported workflow. A failed start (crash before any execution result) is retried once;
       * a workflow that ran and failed is returned as it is (exitCode 1, result with the error).
       */
      async execute(id) {
        const wf = workflows.find((w) => w.id === id);
        const r = await withStartRetry(
          () => cli(['execute', `--id=${id}`, '--rawOutput'], `execute ${id}`),
          log,
          version,
          `execute ${wf?.name ?? id}`,
        );
        return { id, name: wf?.name, ...r };
      },
      /** Any n8n CLI command in this user folder (e.g. ['export:credentials', '--all', '--decrypted']). */
      cli,
      close: closeSession,
    };
  } catch (err) {
    await closeSession();
    throw err;
  }
}

/**
 * The environment of every n8n command in a throwaway user folder: sqlite, the fixed test key, no
 * telemetry, version checks, templates or personalisation, a free task-runner broker port, nothing
 * inherited that would change how n8n runs, and no proxy for this machine.
 * @param {import('./versions.mjs').N8nVersion} version
 * @param {string} userFolder
 * @param {Record<string, string>} [extra]
 */
export async function n8nEnvironment(version, userFolder, extra = {}) {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED_DROP.test(k))),
    PATH: pathWithNode(version),
    N8N_USER_FOLDER: userFolder,
    DB_TYPE: 'sqlite',
    N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_LOG_LEVEL: 'info',
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    // The workflows only talk to servers on this machine; never send those calls through a proxy.
    NO_PROXY: mergeNoProxy(process.env.NO_PROXY ?? process.env.no_proxy),
    no_proxy: mergeNoProxy(process.env.NO_PROXY ?? process.env.no_proxy),
    ...version.env,
    ...extra,
  };
}

/**
 * Imports everything, runs every workflow (in order) in one user folder, cleans up.
 * @returns {Promise<Array<{ id: string, name?: string, exitCode: number | null, signal: string | null,
 *   result: any, stdout: string, stderr: string, seconds: number, attempts: number }>>}
 */
export async function runWorkflows(options) {
  const session = await createN8nSession(options);
  try {
    const results = [];
    for (const wf of session.workflows) results.push(await session.execute(wf.id));
    return results;
  } finally {
    await session.close();
  }
}

/** One workflow, one user folder: { exitCode, result, stdout, stderr, ... }. */
export async function runWorkflow(options) {
  const { workflow, ...rest } = options;
  const [r] = await runWorkflows({ ...rest, workflows: [workflow] });
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Community node package: unpacked to <user folder>/.n8n/nodes/node_modules/<package name>/,
// with <user folder>/.n8n/nodes/package.json listing it, as n8n's community package installer leaves it.

/**
 * @param {string} dataDir
 * @param {string} source
 * @param {{ npmInstall?: boolean, log?: (line: string) => void, timeoutMs?: number }} [options]
 */
export async function installNodePackage(dataDir, source, { npmInstall = false, log = () => {}, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const nodesDir = path.join(dataDir, 'nodes');
  await fs.mkdir(path.join(nodesDir, 'node_modules'), { recursive: true });
  const stat = await fs.stat(source).catch(() => null);
  if (!stat) throw new Error(`Node package not found: ${source}`);

  let unpacked;
  let scratch = null;
  if (stat.isDirectory()) {
    unpacked = source;
  } else {
    scratch = await fs.mkdtemp(path.join(dataDir, 'unpack-'));
    const r = await runProcess('tar', ['-xzf', path.resolve(source), '-C', scratch], { timeoutMs });
    if (r.exitCode !== 0) throw new Error(`Could not unpack ${source}: ${r.stderr.trim()}`);
    unpacked = path.join(scratch, 'package');
  }
  const pkg = JSON.parse(await fs.readFile(path.join(unpacked, 'package.json'), 'utf8'));
  if (!pkg.name || !pkg.version) throw new Error(`${source}: package.json has no name or version`);
  const target = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rm(target, { recursive: true, force: true });
  if (scratch) await fs.rename(unpacked, target);
  else await fs.cp(unpacked, target, { recursive: true, dereference: true });
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });

  const manifestPath = path.join(nodesDir, 'package.json');
  const manifest = existsSync(manifestPath)
    ? JSON.parse(await fs.readFile(manifestPath, 'utf8'))
    : { name: 'installed-nodes', private: true, dependencies: {} };
  manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
  await fs.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  if (npmInstall) {
    log(`npm install --ignore-scripts --omit=dev --omit=peer in ${pkg.name}`);
    const r = await runProcess(
      'npm',
      ['install', '--ignore-scripts', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock'],
      {
        cwd: target,
        timeoutMs,
      },
    );
    if (r.exitCode !== 0) throw new Error(`npm install in the unpacked ${pkg.name} failed:\n${tail(r.stderr || r.stdout)}`);
  }
  return { name: pkg.name, version: pkg.version, dir: target, packageJson: pkg };
}

// ---------------------------------------------------------------------------------------------------
// Running n8n commands

async function runCli(version, args, { env, timeoutMs, what }) {
  const r = await runProcess(nodeBinary(version), [version.n8nBin, ...args], { env, timeoutMs, cwd: env.N8N_USER_FOLDER });
  return { what, ...r, result: parseResult(r.stdout) };
}

/**
 * Retries once when n8n did not start: it crashed (signal, e.g. the occasional SIGSEGV of n8n 2.x) or
 * exited non-zero before printing any execution result. A run that produced a result is never retried.
 */
async function withStartRetry(fn, log, version, what) {
  const first = await fn();
  if (!isStartFailure(first)) return { ...first, attempts: 1 };
  log(`[n8n ${version.n8n}] ${what}: n8n did not start properly (${describeExit(first)}); retrying once`);
  const second = await fn();
  return { ...second, attempts: 2, firstAttempt: { exitCode: first.exitCode, signal: first.signal, stderr: tail(first.stderr) } };
}

export function isStartFailure(r) {
  if (r.timedOut) return false; // a hang is reported, not hidden behind a second long wait
  if (r.signal) return true;
  if (r.exitCode === 0) return false;
  if (r.exitCode !== null && r.exitCode >= 128) return true; // killed by a signal inside a wrapper
  return r.result === null;
}

/**
 * The execution JSON that `n8n execute --rawOutput` prints after its log lines: it starts at the first
 * line beginning with `{`; it is read up to its matching closing brace.
 */
export function parseResult(stdout) {
  const lines = stdout.split('\n');
  const first = lines.findIndex((l) => l.startsWith('{'));
  if (first === -1) return null;
  const text = lines.slice(first).join('\n');
  const end = matchingBrace(text);
  if (end === -1) return null;
  try {
    return JSON.parse(text.slice(0, end + 1));
  } catch {
    return null;
  }
}

function matchingBrace(text) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------
// Reading results

/** The run data of a node (last run): `{ items: [{ json, pairedItem, ... }], error }`. */
export function nodeRun(result, nodeName) {
  const runs = resultData(result)?.runData?.[nodeName];
  if (!runs || runs.length === 0) return null;
  const run = runs[runs.length - 1];
  return { items: run.data?.main?.[0] ?? [], outputs: run.data?.main ?? [], error: run.error ?? null, run };
}

/** Output items of a node (first output, last run), or [] when the node did not run. */
export function nodeItems(result, nodeName) {
  return nodeRun(result, nodeName)?.items ?? [];
}

/** The workflow-level error of a failed execution, if any: { message, description, node, ... }. */
export function executionError(result) {
  return resultData(result)?.error ?? null;
}

export function lastNodeExecuted(result) {
  return resultData(result)?.lastNodeExecuted ?? null;
}

function resultData(result) {
  // `n8n execute --rawOutput` prints the run's `data`: { resultData: { runData, lastNodeExecuted, error? } }.
  if (!result) return null;
  return result.resultData ?? result.data?.resultData ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

/** Workflow ids are 16 characters [A-Za-z0-9] in n8n; assign one when the caller did not. */
function normaliseWorkflow(wf, index) {
  const id = wf.id ?? `e2ewf${String(index).padStart(3, '0')}${randomBytes(4).toString('hex')}`;
  return { active: false, settings: {}, connections: {}, ...wf, id, name: wf.name ?? `e2e workflow ${index + 1}` };
}

function assertUniqueIds(kind, list) {
  const seen = new Set();
  for (const x of list) {
    if (!x.id) throw new Error(`Every ${kind} needs an id (workflows reference credentials by id): ${JSON.stringify(x.name)}`);
    if (seen.has(x.id)) throw new Error(`Duplicate ${kind} id "${x.id}"`);
    seen.add(x.id);
  }
}

function commandError(version, what, r) {
  return new Error(`n8n ${version.n8n} ${what} failed (${describeExit(r)}):\n${tail(r.stderr || r.stdout)}`);
}

function describeExit(r) {
  if (r.timedOut) return `timed out after ${r.seconds}s`;
  return r.signal ? `signal ${r.signal}` : `exit ${r.exitCode}`;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function mergeNoProxy(existing) {
  const parts = new Set(
    (existing ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const h of ['127.0.0.1', 'localhost', '::1']) parts.add(h);
  return [...parts].join(',');
}
