#!/usr/bin/env node
// The metadata of the published packages (author, licence, repository, homepage, issue tracker) comes
// from one file, package-metadata.json at the root. This script derives each package's fields from it
// and either reports the packages that disagree or writes the fields into them.
//
//   node scripts/package-metadata.mjs           # report disagreements; exit 1 if there are any
//   node scripts/package-metadata.mjs --write   # write the fields into every published package.json
//                                               # (npm run metadata)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedPackages } from '../e2e/release/lib/published-packages.mjs';

export const METADATA_FILE = 'package-metadata.json';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** @returns {{ repository: string, defaultBranch: string, author: { name: string, email?: string }, license: string }} */
export function readProjectMetadata(repoRoot) {
  const file = path.join(repoRoot, METADATA_FILE);
  const metadata = JSON.parse(fs.readFileSync(file, 'utf8'));
  const repository = String(metadata.repository ?? '');
  if (!/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new Error(
      `${METADATA_FILE}: "repository" must be https://github.com/OWNER/NAME (npm provenance links packages to a GitHub repository), got ${JSON.stringify(metadata.repository)}`,
    );
  }
  for (const key of ['defaultBranch', 'license']) {
    if (typeof metadata[key] !== 'string' || metadata[key] === '') throw new Error(`${METADATA_FILE}: "${key}" is missing`);
  }
  if (typeof metadata.author?.name !== 'string') throw new Error(`${METADATA_FILE}: "author.name" is missing`);
  return metadata;
}

/** "OWNER/NAME" of the repository, as GitHub Actions calls it (`github.repository`). */
export function repositorySlug(metadata) {
  return metadata.repository.replace(/^https:\/\/github\.com\//, '');
}

/**
 * The fields a published package must carry. n8n rejects `repository.directory`, so a package with an
 * `n8n` section has none; the others name their folder, so npm links to it.
 */
export function expectedFields(metadata, manifest, relativeDir) {
  const repository = { type: 'git', url: `git+${metadata.repository}.git` };
  if (!manifest.n8n) repository.directory = relativeDir;
  return {
    license: metadata.license,
    author: metadata.author,
    repository,
    homepage: `${metadata.repository}/tree/${metadata.defaultBranch}/${relativeDir}#readme`,
    bugs: { url: `${metadata.repository}/issues` },
  };
}

/** One sentence per field of a published package that disagrees with package-metadata.json. */
export function metadataProblems(repoRoot) {
  const metadata = readProjectMetadata(repoRoot);
  const problems = [];
  for (const pkg of publishedPackages(repoRoot)) {
    const relativeDir = path.relative(repoRoot, pkg.dir).split(path.sep).join('/');
    for (const [field, want] of Object.entries(expectedFields(metadata, pkg.manifest, relativeDir))) {
      const got = pkg.manifest[field];
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        problems.push(
          `${pkg.name} (${relativeDir}/package.json): "${field}" is ${JSON.stringify(got)}, ${METADATA_FILE} makes it ${JSON.stringify(want)}`,
        );
      }
    }
  }
  return problems;
}

/** Writes the derived fields into every published package.json; returns the files it changed. */
export function writeMetadata(repoRoot) {
  const metadata = readProjectMetadata(repoRoot);
  const changed = [];
  for (const pkg of publishedPackages(repoRoot)) {
    const relativeDir = path.relative(repoRoot, pkg.dir).split(path.sep).join('/');
    const file = path.join(pkg.dir, 'package.json');
    const before = fs.readFileSync(file, 'utf8');
    // Fields already there keep their place; new ones go after "homepage" (or "description").
    const manifest = { ...pkg.manifest };
    const fields = expectedFields(metadata, manifest, relativeDir);
    const anchor = 'homepage' in manifest ? 'homepage' : 'description';
    const ordered = {};
    for (const [key, value] of Object.entries(manifest)) {
      ordered[key] = key in fields ? fields[key] : value;
      if (key === anchor) for (const [k, v] of Object.entries(fields)) if (!(k in manifest)) ordered[k] = v;
    }
    for (const [k, v] of Object.entries(fields)) if (!(k in ordered)) ordered[k] = v;
    const after = `${JSON.stringify(ordered, null, 2)}\n`;
    if (after !== before) {
      fs.writeFileSync(file, after);
      changed.push(path.relative(repoRoot, file));
    }
  }
  return changed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    const changed = writeMetadata(ROOT);
    console.log(
      changed.length > 0
        ? `updated from ${METADATA_FILE}: ${changed.join(', ')}`
        : `every published package already matches ${METADATA_FILE}`,
    );
  } else {
    const problems = metadataProblems(ROOT);
    for (const p of problems) console.error(p);
    if (problems.length > 0)
      console.error(`\n${problems.length} field(s) disagree with ${METADATA_FILE}: run \`npm run metadata\` to write them.`);
    else console.log(`every published package matches ${METADATA_FILE}`);
    process.exitCode = problems.length > 0 ? 1 : 0;
  }
}
