import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runChecked } from './processes.mjs';

/**
 * `npm pack` of a package folder (already built) into `dest`, or into a fresh temporary folder.
 *
 * @param {string} packageDir
 * @param {{ dest?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ tgz: string, dir: string, packed: { filename: string, entryCount: number, size: number } }>}
 */
export async function npmPack(packageDir, { dest, env } = {}) {
  const dir = dest ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'e2e-pack-')));
  await fs.mkdir(dir, { recursive: true });
  const { stdout } = await runChecked('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: packageDir,
    env,
    timeoutMs: 120_000,
  });
  // npm may print lifecycle noise before the JSON.
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return { tgz: path.join(dir, packed.filename), dir, packed };
}
