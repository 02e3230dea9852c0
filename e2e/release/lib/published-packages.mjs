// The packages that are published, all at one version: the `fixed` group of .changeset/config.json.
import fs from 'node:fs';
import path from 'node:path';

/** @returns {{ name: string, dir: string, manifest: any }[]} from the fixed group, in config order */
export function publishedPackages(repoRoot) {
  const config = JSON.parse(fs.readFileSync(path.join(repoRoot, '.changeset', 'config.json'), 'utf8'));
  const groups = config.fixed ?? [];
  if (groups.length !== 1) throw new Error(`.changeset/config.json should have exactly one "fixed" group, found ${groups.length}`);
  const byName = workspacePackages(repoRoot);
  return groups[0].map((name) => {
    const pkg = byName.get(name);
    if (!pkg) throw new Error(`.changeset/config.json names ${name} in "fixed", but no workspace package has that name`);
    return pkg;
  });
}

/** Every workspace package of the repository, by name. */
export function workspacePackages(repoRoot) {
  const root = readJson(path.join(repoRoot, 'package.json'));
  const byName = new Map();
  for (const pattern of root.workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => path.join(repoRoot, pattern.slice(0, -2), e.name))
      : [path.join(repoRoot, pattern)];
    for (const dir of dirs) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const manifest = readJson(file);
      byName.set(manifest.name, { name: manifest.name, dir, manifest });
    }
  }
  return byName;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
