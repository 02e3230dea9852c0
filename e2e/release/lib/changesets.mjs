import fs from 'node:fs/promises';
import path from 'node:path';

const ORDER = ['none', 'patch', 'minor', 'major'];

/** The changeset files waiting in `.changeset/`: [{ file, releases: { name: bump } }]. */
export async function pendingChangesets(repoRoot) {
  const dir = path.join(repoRoot, '.changeset');
  const out = [];
  for (const file of (await fs.readdir(dir)).sort()) {
    if (!file.endsWith('.md') || file.toLowerCase() === 'readme.md') continue;
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    const front = text.match(/^---\s*\n([\s\S]*?)\n---/);
    if (!front) throw new Error(`.changeset/${file} has no front matter`);
    const releases = {};
    for (const line of front[1].split('\n')) {
      const m = line.match(/^\s*["']?([^"']+?)["']?\s*:\s*(major|minor|patch|none)\s*$/);
      if (m) releases[m[1].trim()] = m[2];
      else if (line.trim()) throw new Error(`.changeset/${file}: cannot read "${line.trim()}"`);
    }
    out.push({ file, releases });
  }
  return out;
}

/** The version a fixed group at `from` moves to: the largest bump any pending changeset asks for. */
export function bumpVersion(from, changesets) {
  let bump = 'none';
  for (const c of changesets) for (const b of Object.values(c.releases)) if (ORDER.indexOf(b) > ORDER.indexOf(bump)) bump = b;
  const [major, minor, patch] = from.split('-')[0].split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
  return from;
}
