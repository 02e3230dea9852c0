// The packed community node under test, shared by run.mjs and the queue-mode benchmark.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { npmPack } from '../../lib/pack.mjs';
import { runChecked } from '../../lib/processes.mjs';
import { REPO_ROOT } from '../versions.mjs';

const NODE_PACKAGE_DIR = path.join(REPO_ROOT, 'packages', 'n8n-nodes-modelarts');
const NODE_PACKAGE_NAME = '@modelarts-kit/n8n-nodes-modelarts';

/**
 * `N8N_E2E_NODE_PACKAGE` (a .tgz or an unpacked folder) when given, else the package built (turbo) and
 * packed (`npm pack`) into a temporary folder; returns its path.
 *
 * @returns {Promise<string>}
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
  await runChecked('npx', ['turbo', 'run', 'build', `--filter=${NODE_PACKAGE_NAME}`, '--output-logs=errors-only'], {
    cwd: REPO_ROOT,
    timeoutMs: 30 * 60_000,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  const { tgz, packed } = await npmPack(NODE_PACKAGE_DIR);
  console.log(`node package: ${tgz} (${packed.entryCount} files, ${Math.round(packed.size / 1024)} KB)`);
  return tgz;
}
