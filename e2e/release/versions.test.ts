// The published packages share one version, always: today (the manifests agree), and after any release
// (Changesets' `fixed` group moves all of them whichever one a changeset names).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedPackages, workspacePackages, type WorkspacePackage } from './lib/published-packages.mjs';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPENDENCY_KINDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

type Pkg = WorkspacePackage;

const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.changeset', 'config.json'), 'utf8')) as {
  fixed: string[][];
  ignore: string[];
};
const fixed: Pkg[] = publishedPackages(REPO_ROOT);
const all: Map<string, Pkg> = workspacePackages(REPO_ROOT);
const fixedNames = fixed.map((p) => p.name);

describe('one version for every published package', () => {
  it('every package that can be published is in the one fixed group', () => {
    const publishable = [...all.values()]
      .filter((p) => !p.manifest.private)
      .map((p) => p.name)
      .sort();
    expect([...fixedNames].sort()).toEqual(publishable);
  });

  it('private apps are ignored by Changesets', () => {
    const privateOnes = [...all.values()]
      .filter((p) => p.manifest.private)
      .map((p) => p.name)
      .sort();
    expect([...config.ignore].sort()).toEqual(privateOnes);
  });

  it('the packages of the fixed group are at the same version', () => {
    const versions = Object.fromEntries(fixed.map((p) => [p.name, p.manifest.version]));
    expect(new Set(Object.values(versions)).size, JSON.stringify(versions)).toBe(1);
  });

  it('every internal dependency asks for that version', () => {
    const version = fixed[0]!.manifest.version;
    const stale: string[] = [];
    for (const pkg of all.values()) {
      for (const kind of DEPENDENCY_KINDS) {
        for (const [dep, range] of Object.entries(pkg.manifest[kind] ?? {})) {
          if (fixedNames.includes(dep) && range !== `^${version}`) stale.push(`${pkg.name} ${kind}.${dep} = ${range}`);
        }
      }
    }
    expect(stale).toEqual([]);
  });

  it('package-lock.json records the same versions (run `npm run version-packages`, not `changeset version` alone)', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    for (const pkg of fixed) {
      const key = path.relative(REPO_ROOT, pkg.dir).split(path.sep).join('/');
      expect(lock.packages[key]?.version, `package-lock.json entry ${key}`).toBe(pkg.manifest.version);
    }
  });
});

describe('a release moves them together', () => {
  const scratchDirs: string[] = [];
  afterAll(() => {
    for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The manifests and the Changesets config in a scratch folder, with one changeset, after `changeset version`. */
  async function versionWithOneChangeset(name: string, bump: 'patch' | 'minor' | 'major'): Promise<Record<string, string>> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-test-'));
    scratchDirs.push(scratch);
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(scratch, 'package.json'));
    fs.mkdirSync(path.join(scratch, '.changeset'));
    fs.copyFileSync(path.join(REPO_ROOT, '.changeset', 'config.json'), path.join(scratch, '.changeset', 'config.json'));
    for (const pkg of all.values()) {
      const dir = path.join(scratch, path.relative(REPO_ROOT, pkg.dir));
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(pkg.dir, 'package.json'), path.join(dir, 'package.json'));
    }
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(scratch, '.changeset', 'only-one.md'), `---\n"${name}": ${bump}\n---\n\nA change to ${name} alone.\n`);
    await execFileAsync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], {
      cwd: scratch,
      env: { ...process.env, CI: 'true' },
    });
    return Object.fromEntries(
      fixed.map((p) => {
        const file = path.join(scratch, path.relative(REPO_ROOT, p.dir), 'package.json');
        return [p.name, (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version];
      }),
    );
  }

  it.each(fixedNames.map((name, i) => [name, (['patch', 'minor', 'major'] as const)[i % 3]!] as const))(
    'a changeset for %s alone (%s) moves all of them to one new version',
    async (name, bump) => {
      const before = fixed[0]!.manifest.version;
      const after = await versionWithOneChangeset(name, bump);
      const versions = new Set(Object.values(after));
      expect(versions.size, JSON.stringify(after)).toBe(1);
      expect([...versions][0]).not.toBe(before);
    },
  );
});
