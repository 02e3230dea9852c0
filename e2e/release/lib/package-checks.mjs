// Checks a packed package (.tgz) the way a user receives it: what its package.json promises must be in
// the tarball, the metadata the registries and n8n ask for must be there, and publint and
// @arethetypeswrong/cli must pass. Every problem is a sentence that says what to fix.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { METADATA_FILE, readProjectMetadata } from '../../../scripts/package-metadata.mjs';
import { run } from './processes.mjs';

const execFileAsync = promisify(execFile);

export const N8N_PACKAGE = '@modelarts-kit/n8n-nodes-modelarts';
const LIFECYCLE_SCRIPTS_N8N_FORBIDS = ['preinstall', 'install', 'postinstall', 'prepare'];

/** Files and package.json of a tarball, without unpacking it. */
export async function readTarball(tgz) {
  const { stdout: listing } = await execFileAsync('tar', ['-tzf', tgz], { maxBuffer: 64 * 1024 * 1024 });
  const files = listing
    .split('\n')
    .filter((f) => f && !f.endsWith('/'))
    .map((f) => f.replace(/^package\//, ''));
  const { stdout: manifestText } = await execFileAsync('tar', ['-xzOf', tgz, 'package/package.json'], { maxBuffer: 16 * 1024 * 1024 });
  const licenseFile = files.find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  const licenseText = licenseFile
    ? (await execFileAsync('tar', ['-xzOf', tgz, `package/${licenseFile}`], { maxBuffer: 1024 * 1024 })).stdout
    : null;
  return { files: new Set(files), manifest: JSON.parse(manifestText), licenseFile, licenseText };
}

/**
 * @param {string} tgz
 * @param {{ requireChangelog?: boolean, toolsDir: string, linters?: boolean }} options
 *   toolsDir: the repository root: its node_modules/.bin holds publint and attw, and its
 *   package-metadata.json says what author, licence and repository every package carries
 * @returns {Promise<{ name: string, version: string, manifest: any, problems: string[], notes: string[] }>}
 */
export async function checkTarball(tgz, { requireChangelog = true, toolsDir, linters = true }) {
  const { files, manifest, licenseFile, licenseText } = await readTarball(tgz);
  const metadata = readProjectMetadata(toolsDir);
  const name = manifest.name ?? path.basename(tgz);
  const problems = [];
  const notes = [];
  const problem = (text) => problems.push(`${name}: ${text}`);

  // 1. Everything package.json points at is in the tarball.
  for (const { field, target } of entryPoints(manifest)) {
    const file = normalise(target);
    if (!files.has(file)) {
      problem(`package.json ${field} points at ${target}, which is not in the packed tarball (is it built, and covered by "files"?)`);
    }
  }
  if (![...files].some((f) => f.startsWith('dist/'))) {
    problem(`the packed tarball has no dist/ folder: "files" is ${JSON.stringify(manifest.files)}`);
  }
  if (!files.has('README.md')) problem('the packed tarball has no README.md');
  if (requireChangelog && !files.has('CHANGELOG.md')) {
    problem('the packed tarball has no CHANGELOG.md (Changesets writes it during `npm run version-packages`)');
  }

  // 2. Metadata users and registries read.
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) problem('package.json has no "files" list');
  if (manifest.license !== metadata.license)
    problem(`package.json "license" should be ${metadata.license} (${METADATA_FILE}), got ${JSON.stringify(manifest.license)}`);
  if (!licenseFile) problem('the packed tarball has no LICENSE file');
  else if (metadata.license === 'MIT' && !/^\s*MIT License/.test(licenseText ?? ''))
    problem(`${licenseFile} in the tarball is not the MIT licence text`);
  const repoUrl = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (repoUrl !== `git+${metadata.repository}.git`) {
    problem(
      `package.json "repository.url" should be git+${metadata.repository}.git (${METADATA_FILE}; npm provenance checks it), got ${JSON.stringify(manifest.repository)}`,
    );
  }
  if (typeof manifest.homepage !== 'string' || !manifest.homepage.startsWith(`${metadata.repository}/`)) {
    problem(
      `package.json "homepage" should be a page of ${metadata.repository} (${METADATA_FILE}), got ${JSON.stringify(manifest.homepage)}`,
    );
  }
  if (JSON.stringify(manifest.author) !== JSON.stringify(metadata.author)) {
    problem(
      `package.json "author" should be ${JSON.stringify(metadata.author)} (${METADATA_FILE}), got ${JSON.stringify(manifest.author)}`,
    );
  }
  if (manifest.bugs?.url !== `${metadata.repository}/issues`)
    problem(`package.json "bugs.url" should be ${metadata.repository}/issues (${METADATA_FILE}), got ${JSON.stringify(manifest.bugs)}`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problem('package.json has no "keywords"');
  if (!manifest.description) problem('package.json has no "description"');
  if (manifest.private) problem('package.json says "private": true, so it can never be published');
  if (manifest.publishConfig?.access !== 'public')
    problem('package.json publishConfig.access should be "public" (scoped packages are private by default)');
  for (const kind of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[kind] ?? {})) {
      if (/^(workspace:|file:|link:|portal:)/.test(String(range)))
        problem(`${kind}.${dep} is "${range}", which nobody outside this repository can install`);
    }
  }
  if (manifest.exports) checkTypesFirst(manifest.exports, 'exports', problem);

  // 3. n8n's rules for community packages.
  if (name === N8N_PACKAGE) checkN8nRules(manifest, files, problem);

  // 4. The linters, on the tarball itself.
  if (linters) {
    const publint = await run(bin(toolsDir, 'publint'), ['run', tgz, '--strict'], { allowFailure: true, timeoutMs: 120_000 });
    const publintOut = stripAnsi(publint.stdout + publint.stderr).trim();
    if (publint.exitCode !== 0) problem(`publint --strict failed:\n${indent(publintOut)}`);
    else if (/Suggestions?:/.test(publintOut))
      notes.push(`${name}: publint suggests:\n${indent(publintOut.slice(publintOut.search(/Suggestions?:/)))}`);

    // An untyped package (the n8n node) gets "This package does not contain types" and passes.
    const attwArgs = [tgz, '--format', 'ascii'];
    const attw = await run(bin(toolsDir, 'attw'), attwArgs, { allowFailure: true, timeoutMs: 120_000 });
    if (attw.exitCode !== 0) problem(`attw ${attwArgs.slice(1).join(' ')} failed:\n${indent(stripAnsi(attw.stdout + attw.stderr).trim())}`);
  }

  return { name, version: manifest.version, manifest, problems, notes };
}

/**
 * What must be the same across the published packages: one repository, one author, one licence, one
 * version, and each homepage pointing at its own package's folder of that repository.
 * @param {any[]} manifests  package.json of each tarball
 * @returns {string[]} problems
 */
export function checkConsistency(manifests) {
  const problems = [];
  /** @type {[string, (m: any) => unknown][]} */
  const fields = [
    ['repository.url', (m) => m.repository?.url],
    ['author', (m) => JSON.stringify(m.author)],
    ['license', (m) => m.license],
    ['bugs.url', (m) => m.bugs?.url],
    ['version', (m) => m.version],
  ];
  for (const [label, read] of fields) {
    const values = new Map(manifests.map((m) => [m.name, read(m)]));
    if (new Set(values.values()).size > 1)
      problems.push(`the packages disagree on ${label}: ${JSON.stringify(Object.fromEntries(values))}`);
  }
  const homepages = new Map();
  for (const m of manifests) {
    const page = String(m.homepage ?? '');
    if (homepages.has(page)) problems.push(`${m.name} and ${homepages.get(page)} have the same homepage ${page}`);
    homepages.set(page, m.name);
    const folder = m.repository?.directory;
    if (folder && !page.includes(`/${folder}`)) problems.push(`${m.name}: homepage ${page} is not its folder ${folder}`);
  }
  return problems;
}

function checkN8nRules(manifest, files, problem) {
  if (Object.keys(manifest.dependencies ?? {}).length > 0) {
    problem(
      `n8n installs community packages without their dependencies being vetted: "dependencies" must be empty (bundle them), got ${JSON.stringify(manifest.dependencies)}`,
    );
  }
  const peers = manifest.peerDependencies ?? {};
  if (JSON.stringify(peers) !== JSON.stringify({ 'n8n-workflow': '*' })) {
    problem(`"peerDependencies" must be exactly {"n8n-workflow":"*"}, got ${JSON.stringify(peers)}`);
  }
  if (!manifest.keywords?.includes('n8n-community-node-package')) problem('keyword "n8n-community-node-package" is missing');
  if (manifest.repository?.directory) problem('n8n rejects "repository.directory"; remove it');
  if (!manifest.author) problem('package.json has no "author" (n8n requires one)');
  if (manifest.overrides) problem('n8n rejects "overrides"');
  for (const script of LIFECYCLE_SCRIPTS_N8N_FORBIDS) {
    if (manifest.scripts?.[script]) problem(`n8n rejects a "${script}" script`);
  }
  const n8n = manifest.n8n ?? {};
  if (n8n.n8nNodesApiVersion !== 1) problem('n8n.n8nNodesApiVersion must be 1');
  if (n8n.strict !== true) problem('n8n.strict must be true');
  if (!Array.isArray(n8n.nodes) || n8n.nodes.length === 0) problem('n8n.nodes lists no node');
  for (const file of [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])]) {
    if (!String(file).startsWith('dist/')) problem(`n8n section entry ${file} must be under dist/`);
  }
  if (![...files].some((f) => f.endsWith('.svg'))) problem('no SVG icon in the packed tarball');
}

/** Every file the manifest names as something to load: main, module, types, bin, exports, typesVersions, n8n. */
export function entryPoints(manifest) {
  const out = [];
  for (const field of ['main', 'module', 'types', 'typings']) {
    if (typeof manifest[field] === 'string') out.push({ field, target: manifest[field] });
  }
  if (typeof manifest.bin === 'string') out.push({ field: 'bin', target: manifest.bin });
  else for (const [k, v] of Object.entries(manifest.bin ?? {})) out.push({ field: `bin.${k}`, target: v });
  const walk = (value, field) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) out.push({ field, target: value });
    } else if (Array.isArray(value))
      value.forEach((v, i) => {
        walk(v, `${field}[${i}]`);
      });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${field}["${k}"]`);
  };
  walk(manifest.exports, 'exports');
  for (const [range, map] of Object.entries(manifest.typesVersions ?? {})) walk(map, `typesVersions["${range}"]`);
  for (const key of ['nodes', 'credentials']) walk(manifest.n8n?.[key], `n8n.${key}`);
  return out;
}

function checkTypesFirst(exportsField, where, problem) {
  if (!exportsField || typeof exportsField !== 'object' || Array.isArray(exportsField)) return;
  const keys = Object.keys(exportsField);
  if (keys.includes('types') && keys[0] !== 'types')
    problem(`${where}: "types" must be the first condition (TypeScript stops at the first match), got ${keys.join(', ')}`);
  for (const [k, v] of Object.entries(exportsField)) checkTypesFirst(v, `${where}["${k}"]`, problem);
}

function normalise(target) {
  return path.posix.normalize(String(target)).replace(/^\.\//, '');
}

function bin(toolsDir, name) {
  const file = path.join(toolsDir, 'node_modules', '.bin', name);
  if (!existsSync(file)) throw new Error(`${name} is not installed in ${toolsDir} (it is a root devDependency: run npm ci)`);
  return file;
}

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
