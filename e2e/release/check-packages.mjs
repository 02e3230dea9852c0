#!/usr/bin/env node
// Packs the published packages (build them first) and checks each tarball: entry points present,
// metadata complete, n8n's rules for the n8n package, publint --strict and attw.
//
//   node e2e/release/check-packages.mjs                 # check the packages of this repository
//   node e2e/release/check-packages.mjs --self-check    # prove that broken packages are rejected
//
// The release test (run.mjs) runs the same checks on the tarballs it downloads from its registry.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { N8N_PACKAGE, checkConsistency, checkTarball } from './lib/package-checks.mjs';
import { npmPack } from '../lib/pack.mjs';
import { publishedPackages } from './lib/published-packages.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Packs and checks every package of the fixed group of `repoRoot`. */
export async function checkRepositoryPackages(repoRoot, { requireChangelog = false, log = console.log } = {}) {
  const dest = await fs.mkdtemp(path.join(os.tmpdir(), 'release-check-'));
  try {
    const results = [];
    for (const pkg of publishedPackages(repoRoot)) {
      const { tgz } = await npmPack(pkg.dir, { dest });
      const result = await checkTarball(tgz, { requireChangelog, toolsDir: repoRoot });
      log(`${result.problems.length === 0 ? 'ok  ' : 'FAIL'} ${result.name}@${result.version} (${path.basename(tgz)})`);
      results.push(result);
    }
    const across = checkConsistency(results.map((r) => r.manifest));
    log(
      `${across.length === 0 ? 'ok  ' : 'FAIL'} repository, author, licence, version and homepages agree across the ${results.length} packages`,
    );
    if (across.length > 0) results.push({ name: 'across packages', version: '', manifest: null, problems: across, notes: [] });
    return results;
  } finally {
    await fs.rm(dest, { recursive: true, force: true });
  }
}

/**
 * Breaks copies of built packages on purpose and checks that each break is reported, with a message
 * that names the fix. Returns one entry per case: { case, ok, message }.
 */
export async function selfCheck(repoRoot, { log = console.log } = {}) {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'release-selfcheck-'));
  const packages = publishedPackages(repoRoot);
  const cases = [
    {
      name: '"files" without dist',
      package: packages.find((p) => p.name !== N8N_PACKAGE) ?? packages[0],
      breakIt: (m) => ({ ...m, files: m.files.filter((f) => !/^\.?\/?dist\/?$/.test(f)) }),
      expect: [/points at \S*dist\/\S+, which is not in the packed tarball/, /no dist\/ folder/, /publint --strict failed/],
    },
    {
      name: 'a repository other than the one package-metadata.json names',
      package: packages.find((p) => p.name !== N8N_PACKAGE) ?? packages[0],
      breakIt: (m) => ({ ...m, repository: { ...m.repository, url: 'git+https://github.com/someone-else/fork.git' } }),
      expect: [/"repository\.url" should be git\+https:\/\/github\.com\/\S+\.git \(package-metadata\.json/],
    },
    {
      name: 'n8n package with a runtime dependency',
      package: packages.find((p) => p.name === N8N_PACKAGE),
      breakIt: (m) => ({ ...m, dependencies: { ...m.dependencies, zod: '^4.1.0' } }),
      expect: [/"dependencies" must be empty/],
    },
  ];
  const outcomes = [];
  try {
    for (const c of cases) {
      if (!c.package) {
        outcomes.push({ case: c.name, ok: false, message: 'no package to break for this case' });
        continue;
      }
      const copy = path.join(work, c.package.name.replace('/', '__'));
      await fs.cp(c.package.dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
      const manifest = JSON.parse(await fs.readFile(path.join(copy, 'package.json'), 'utf8'));
      await fs.writeFile(path.join(copy, 'package.json'), JSON.stringify(c.breakIt(manifest), null, 2));
      const { tgz } = await npmPack(copy, { dest: path.join(work, 'packed') });
      const result = await checkTarball(tgz, { requireChangelog: false, toolsDir: repoRoot, linters: true });
      const text = result.problems.join('\n');
      const missed = c.expect.filter((re) => !re.test(text));
      const ok = result.problems.length > 0 && missed.length === 0;
      const message = ok
        ? `rejected: ${result.problems[0].split('\n')[0]}`
        : result.problems.length === 0
          ? 'the broken package PASSED the checks'
          : `reported, but without ${missed.map(String).join(', ')}:\n${text}`;
      log(`${ok ? 'ok  ' : 'FAIL'} self-check, ${c.name}: ${message}`);
      outcomes.push({ case: c.name, ok, message });
    }
    return outcomes;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function main() {
  const self = process.argv.includes('--self-check');
  if (self) {
    const outcomes = await selfCheck(REPO_ROOT);
    const failed = outcomes.filter((o) => !o.ok).length;
    console.log(`${outcomes.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  }
  const results = await checkRepositoryPackages(REPO_ROOT, { requireChangelog: process.argv.includes('--require-changelog') });
  for (const r of results) for (const p of r.problems) console.log(`\n${p}`);
  for (const r of results) for (const n of r.notes) console.log(`\nnote: ${n}`);
  const failed = results.filter((r) => r.problems.length > 0).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err?.stack ?? err);
      process.exitCode = 1;
    },
  );
}
