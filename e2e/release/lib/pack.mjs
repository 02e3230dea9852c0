import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './processes.mjs';

/** `npm pack` of a package folder (already built) into `dest`; returns the tarball path. */
export async function npmPack(packageDir, dest, { env } = {}) {
  await fs.mkdir(dest, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: packageDir, env, timeoutMs: 120_000 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return path.join(dest, packed.filename);
}
