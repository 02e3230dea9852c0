import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tail } from '../harness.mjs';
import { capture } from '../install.mjs';
import { REPO_ROOT } from '../versions.mjs';

const NODE_PACKAGE_DIR = path.join(REPO_ROOT, 'packages', 'n8n-nodes-modelarts');
const NODE_PACKAGE_NAME = '@modelarts-kit/n8n-nodes-modelarts';

/** `npm pack` a package folder into a fresh temporary folder; returns the .tgz path. */
export async function npmPack(dir) {
  const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
  const stdout = await new Promise((resolve, reject) => {
    const child = spawn('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`npm pack in ${dir} exited ${code}: ${err.trim()}`))));
  });
  const [packed] = JSON.parse(stdout);
  return { tgz: path.join(dest, packed.filename), dir: dest, packed };
}

/**
 * The packed @modelarts-kit/n8n-nodes-modelarts under test: `N8N_E2E_NODE_PACKAGE` (a .tgz or an unpacked
 * folder) when given, else the package built (turbo) and packed (`npm pack`) into a temporary folder.
 */
export async function resolveNodePackage() {
  const given = process.env.N8N_E2E_NODE_PACKAGE;
  if (given) {
    const p = path.resolve(given);
    if (!existsSync(p)) throw new Error(`N8N_E2E_NODE_PACKAGE does not exist: ${p}`);
    console.log(`node package: ${p}`);
    return p;
  }
  console.log(`building ${NODE_PACKAGE_NAME}`);
  const { code, stdout, stderr } = await capture('npx', ['turbo', 'run', 'build', `--filter=${NODE_PACKAGE_NAME}`, '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (code !== 0) throw new Error(`building ${NODE_PACKAGE_NAME} failed (exit ${code}):\n${tail(stderr || stdout)}`);
  const { tgz, packed } = await npmPack(NODE_PACKAGE_DIR);
  console.log(`node package: ${tgz} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} KB)`);
  return tgz;
}
