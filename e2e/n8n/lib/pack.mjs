import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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
