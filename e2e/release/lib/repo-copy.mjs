import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './processes.mjs';

/**
 * Copies the repository as `git` sees it (tracked files plus new files that are not ignored, as they
 * are in the working tree; no node_modules, builds or caches) into `dest`, and commits it there, so
 * Changesets can tag releases without touching the real repository.
 */
export async function copyRepository(repoRoot, dest, { env }) {
  await fs.mkdir(dest, { recursive: true });
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, env });
  const files = [...new Set(stdout.split('\0').filter(Boolean))];
  let copied = 0;
  for (const file of files) {
    const from = path.join(repoRoot, file);
    const stat = await fs.lstat(from).catch(() => null);
    if (!stat) continue; // deleted in the working tree but still in the index
    const to = path.join(dest, file);
    await fs.mkdir(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) await fs.symlink(await fs.readlink(from), to);
    else await fs.copyFile(from, to);
    await fs.chmod(to, stat.mode & 0o777).catch(() => {});
    copied++;
  }
  const git = (...args) =>
    run('git', ['-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', ...args], { cwd: dest, env });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '--all');
  await git('commit', '--quiet', '--no-verify', '-m', 'Snapshot of the working tree for the release test');
  return { files: copied, git };
}
