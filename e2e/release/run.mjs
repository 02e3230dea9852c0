#!/usr/bin/env node
// Why one long file: it mirrors the release workflow step by step, in order, and the order is the
// point; each step is a short block, and the helpers it calls live in lib/.
// The release path, end to end, in a throwaway copy of this repository:
//
//   1. start an offline Verdaccio on 127.0.0.1 with a throwaway user
//   2. add a changeset, `npm run version-packages`: the published packages move to one new version,
//      internal ranges follow, CHANGELOGs are written, the lockfile is refreshed
//   3. `npm run release` against Verdaccio, resuming a release that half-failed (one package already
//      published), then once more to show a re-run publishes nothing twice
//   4. the tarballs users get pass the package checks, publint and attw, and agree on repository,
//      author and licence (package-metadata.json); broken packages do not pass
//   5. a fresh project installs the client and the emulator from the registry and uses them from ESM
//      and CommonJS; the CLI is installed globally from the registry and run: --version, and `get`
//      against an emulator and against the embedded one
//   6. the n8n package is installed the way n8n installs community packages (no dependencies to
//      resolve) and runs a workflow in real n8n 2.41.1
//   7. everything started is stopped
//
// Environment: RELEASE_TEST_KEEP=1 keeps the temporary folder. Prints "N passed, N failed" at the end.
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { selfCheck } from './check-packages.mjs';
import { N8N_PACKAGE, checkConsistency, checkTarball } from './lib/package-checks.mjs';
import { tail } from '../lib/processes.mjs';
import { delay, killAllTracked, liveGroups, markedProcesses, run, startBackground } from './lib/processes.mjs';
import { publishedPackages, workspacePackages } from './lib/published-packages.mjs';
import { SCOPE, ensureVerdaccio, portOpen, startRegistry } from './lib/registry.mjs';
import { copyRepository } from './lib/repo-copy.mjs';
import { bumpVersion, pendingChangesets } from './lib/changesets.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const KEEP = process.env.RELEASE_TEST_KEEP === '1';
const CLI_PACKAGE = '@modelarts-kit/cli';
const TEST_CHANGESET = 'release-test-changeset';
const TEST_CHANGESET_TEXT = 'Release test: a change that every package of the fixed group ships together.';
const ROOT_SCRIPTS = {
  'version-packages': 'changeset version && npm install',
  release: 'turbo run build --filter=./packages/* && changeset publish',
};

const results = [];
let currentStep = '';
function pass(name) {
  results.push({ step: currentStep, name, ok: true });
  console.log(`  ok   ${name}`);
}
function fail(name, error) {
  results.push({ step: currentStep, name, ok: false, error });
  console.log(`  FAIL ${name}\n${indentText(String(error?.message ?? error))}`);
}
/** One verified property: a thrown error fails it without stopping the step. */
async function check(name, fn) {
  try {
    await fn();
    pass(name);
    return true;
  } catch (error) {
    fail(name, error);
    return false;
  }
}
/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The workspace package `name`; a missing one fails the step.
 * @param {Map<string, import('./lib/published-packages.mjs').WorkspacePackage>} packages
 * @param {string} name
 */
function workspacePackage(packages, name) {
  const pkg = packages.get(name);
  if (!pkg) throw new Error(`the repository has no workspace package ${name}`);
  return pkg;
}

const started = Date.now();
const timings = [];
/** A step of the test. An error thrown out of it ends the run (later steps build on it); cleanup still runs. */
async function step(title, fn) {
  currentStep = title;
  const t0 = Date.now();
  console.log(`\n== ${title}`);
  try {
    const value = await fn();
    return value;
  } finally {
    const seconds = Math.round((Date.now() - t0) / 100) / 10;
    timings.push({ title, seconds });
    console.log(`   (${seconds}s)`);
  }
}

const env = childEnv();
/** @type {{ registry: Awaited<ReturnType<typeof startRegistry>> | null, tmp: string }} */
const state = { registry: null, tmp: '' };

async function main() {
  state.tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'modelarts-release-'));
  const repo = path.join(state.tmp, 'repo');
  const packages = publishedPackages(REPO_ROOT).map((p) => p.name);
  console.log(`release test in ${state.tmp}${KEEP ? ' (kept)' : ''}; packages: ${packages.join(', ')}`);

  let git;
  await step('prepare: Verdaccio, a copy of the repository, npm ci', async () => {
    const v = await ensureVerdaccio({ env, log: (l) => console.log(`  ${l}`) });
    pass(`Verdaccio ${v.version} ${v.installed ? 'installed' : 'already installed'} outside the workspace`);
    const rootScripts = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts ?? {};
    const missing = Object.entries(ROOT_SCRIPTS).filter(([name]) => !rootScripts[name]);
    expect(
      missing.length === 0,
      `the root package.json lacks the release scripts; add:\n${missing.map(([k, v]) => `    "${k}": "${v}"`).join(',\n')}`,
    );
    pass('the root package.json has the version-packages and release scripts');
    const copy = await copyRepository(REPO_ROOT, repo, { env });
    git = copy.git;
    pass(`copied ${copy.files} files of the working tree (no node_modules, builds or caches)`);
    const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
    const ci = await run('npm', ['ci', ...npmFlags], { cwd: repo, env, timeoutMs: 15 * 60_000, allowFailure: true });
    if (ci.exitCode === 0) {
      pass(`npm ci in the copy (${ci.seconds}s)`);
    } else if (/can only install packages when your package\.json and package-lock\.json/.test(ci.stderr)) {
      // Not what this test is about (CI's own `npm ci` step reports it), so go on, but say it loudly.
      const why =
        ci.stderr
          .split('\n')
          .find((l) => /Missing:|Invalid:/.test(l))
          ?.replace(/^npm error\s*/, '') ?? '';
      console.log(`  note npm ci refused the lockfile (${why || 'out of sync with package.json'}); using npm install in the copy`);
      const install = await run('npm', ['install', ...npmFlags], { cwd: repo, env, timeoutMs: 15 * 60_000 });
      pass(`npm install in the copy (${install.seconds}s)`);
      await git('add', '--all');
      await git('commit', '--quiet', '--allow-empty', '-m', 'Lockfile refreshed by npm install');
    } else {
      throw new Error(`npm ci in the copy failed:\n${tail(ci.stderr || ci.stdout)}`);
    }
  });

  const registry = await step('1. offline Verdaccio on 127.0.0.1 with a throwaway user', async () => {
    const reg = await startRegistry({ dir: path.join(state.tmp, 'registry'), env });
    state.registry = reg;
    pass(`listening on ${reg.url}, token for a throwaway user`);
    await check('offline: it serves nothing it was not given (zod is not proxied)', async () => {
      expect((await reg.packument('zod')) === null, 'zod was found: the registry has an uplink');
    });
    await check(`nothing of ${SCOPE} is there yet`, async () => {
      for (const name of packages) expect((await reg.packument(name)) === null, `${name} already exists`);
    });
    return reg;
  });

  const version = await step('2. a changeset, then npm run version-packages', async () => {
    const before = Object.fromEntries(publishedPackages(repo).map((p) => [p.name, p.manifest.version]));
    const common = new Set(Object.values(before));
    expect(common.size === 1, `the packages start at different versions: ${JSON.stringify(before)}`);
    const [from] = common;
    const others = [...workspacePackages(repo).values()].filter((p) => !packages.includes(p.name));
    const otherVersions = Object.fromEntries(others.map((p) => [p.name, p.manifest.version]));

    // A change to the emulator only: the fixed group must still move all three.
    await fs.writeFile(
      path.join(repo, '.changeset', `${TEST_CHANGESET}.md`),
      `---\n"@modelarts-kit/emulator": minor\n---\n\n${TEST_CHANGESET_TEXT}\n`,
    );
    const pending = await pendingChangesets(repo);
    const to = bumpVersion(from, pending);
    console.log(`  ${pending.length} pending changeset(s); ${from} -> ${to} expected`);

    const r = await run('npm', ['run', 'version-packages', '--silent'], { cwd: repo, env, timeoutMs: 10 * 60_000 });
    pass(`npm run version-packages (${r.seconds}s)`);

    const after = workspacePackages(repo);
    await check(`all ${packages.length} packages moved together to ${to}`, () => {
      const versions = Object.fromEntries(packages.map((n) => [n, workspacePackage(after, n).manifest.version]));
      expect(
        Object.values(versions).every((v) => v === to),
        `versions after: ${JSON.stringify(versions)}`,
      );
    });
    await check(`internal dependency ranges now ask for ^${to}`, () => {
      const stale = [];
      for (const pkg of after.values()) {
        for (const kind of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
          for (const [dep, range] of Object.entries(pkg.manifest[kind] ?? {})) {
            if (packages.includes(dep) && range !== `^${to}`) stale.push(`${pkg.name} ${kind}.${dep} = ${range}`);
          }
        }
      }
      expect(stale.length === 0, `stale ranges:\n${stale.join('\n')}`);
    });
    await check('private and ignored packages kept their own versions', () => {
      for (const [name, v] of Object.entries(otherVersions))
        expect(workspacePackage(after, name).manifest.version === v, `${name} moved to ${workspacePackage(after, name).manifest.version}`);
    });
    await check('each package has a CHANGELOG.md with the new version; the changesets were consumed', async () => {
      for (const name of packages) {
        const changelog = await fs.readFile(path.join(workspacePackage(after, name).dir, 'CHANGELOG.md'), 'utf8').catch(() => null);
        expect(changelog !== null, `${name} has no CHANGELOG.md`);
        expect(changelog.includes(`## ${to}`), `${name}'s CHANGELOG.md has no "## ${to}" section`);
      }
      const emulatorLog = await fs.readFile(path.join(workspacePackage(after, '@modelarts-kit/emulator').dir, 'CHANGELOG.md'), 'utf8');
      expect(emulatorLog.includes(TEST_CHANGESET_TEXT), "the emulator's CHANGELOG.md lacks the test changeset's text");
      const left = (await pendingChangesets(repo)).map((c) => c.file);
      expect(left.length === 0, `changesets left behind: ${left.join(', ')}`);
    });
    await check('package-lock.json was refreshed with the new versions', async () => {
      const lock = JSON.parse(await fs.readFile(path.join(repo, 'package-lock.json'), 'utf8'));
      for (const name of packages) {
        const rel = path.relative(repo, workspacePackage(after, name).dir).split(path.sep).join('/');
        expect(lock.packages?.[rel]?.version === to, `package-lock.json has ${name} (${rel}) at ${lock.packages?.[rel]?.version}`);
      }
    });
    await git('add', '--all');
    await git('commit', '--quiet', '-m', `Version packages (${to})`);
    return to;
  });

  await step('3. npm run release against Verdaccio (resuming a half-failed release), then once more', async () => {
    // `npm run` passes no scoped or per-host npm settings on to its scripts, so the registry and the
    // throwaway token go where a CI job puts its token: the .npmrc npm reads in the project.
    await fs.appendFile(path.join(repo, '.npmrc'), registry.npmrcLines());
    const npmEnv = { ...env, npm_config_registry: registry.url };
    // Provenance needs a CI provider's OIDC identity (see RELEASING.md); this registry has none.
    // publishConfig wins over the environment in npm, so the copy drops the flag instead.
    await check('the packages ask for provenance when published (turned off for the local registry only)', async () => {
      for (const pkg of publishedPackages(repo)) {
        const publishConfig = /** @type {{ provenance?: boolean } | undefined} */ (pkg.manifest.publishConfig);
        expect(publishConfig?.provenance === true, `${pkg.name} has no publishConfig.provenance: true`);
        const manifest = { ...pkg.manifest, publishConfig: { ...publishConfig } };
        delete manifest.publishConfig.provenance;
        await fs.writeFile(path.join(pkg.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      }
    });

    // A release that died half-way: the n8n package made it to the registry, the others did not.
    const n8nDir = workspacePackage(workspacePackages(repo), N8N_PACKAGE).dir;
    const build = await run('npx', ['--no-install', 'turbo', 'run', 'build', `--filter=${N8N_PACKAGE}`, '--output-logs=errors-only'], {
      cwd: repo,
      env,
      timeoutMs: 10 * 60_000,
    });
    const early = await run('npm', ['publish', n8nDir, '--access', 'public', '--tag', 'latest'], {
      cwd: repo,
      env: npmEnv,
      timeoutMs: 5 * 60_000,
    });
    console.log(`  simulated half-failed release: built ${N8N_PACKAGE} (${build.seconds}s) and published only it (${early.seconds}s)`);
    const earlyDoc = await registry.packument(N8N_PACKAGE);
    const earlyShasum = earlyDoc?.versions?.[version]?.dist?.shasum;
    expect(earlyShasum, `the simulated first half of the release did not publish ${N8N_PACKAGE}`);

    const first = await run('npm', ['run', 'release'], { cwd: repo, env: npmEnv, timeoutMs: 15 * 60_000, allowFailure: true });
    const out = first.stdout + first.stderr;
    await check(`npm run release exits 0 (${first.seconds}s)`, () => expect(first.exitCode === 0, tail(out)));
    await check(`it skips ${N8N_PACKAGE}, already published, and publishes the rest`, () => {
      expect(
        out.includes(`${N8N_PACKAGE} is not being published because version ${version} is already published`),
        `no skip message in:\n${tail(out)}`,
      );
      for (const name of packages.filter((n) => n !== N8N_PACKAGE)) {
        expect(
          new RegExp(`${escapeRegExp(name)}[^\\n]*${escapeRegExp(version)}`).test(
            out.slice(out.indexOf('packages published successfully')),
          ),
          `${name} is not listed as published:\n${tail(out)}`,
        );
      }
    });
    await check(`the registry serves all ${packages.length} packages at ${version}, dist-tag latest`, async () => {
      for (const name of packages) {
        const doc = await registry.packument(name);
        expect(doc?.versions?.[version], `${name}@${version} is not in the registry`);
        expect(doc['dist-tags']?.latest === version, `${name} latest is ${doc['dist-tags']?.latest}`);
      }
      const again = await registry.packument(N8N_PACKAGE);
      expect(again.versions[version].dist.shasum === earlyShasum, `${N8N_PACKAGE}@${version} was published twice`);
    });
    await check('git tags were created for the packages this run published', async () => {
      const { stdout } = await git('tag', '--list');
      for (const name of packages.filter((n) => n !== N8N_PACKAGE))
        expect(stdout.split('\n').includes(`${name}@${version}`), `no tag ${name}@${version}; tags: ${stdout.trim()}`);
    });

    const second = await run('npm', ['run', 'release'], { cwd: repo, env: npmEnv, timeoutMs: 10 * 60_000, allowFailure: true });
    await check(`a second npm run release publishes nothing and still exits 0 (${second.seconds}s)`, async () => {
      const text = second.stdout + second.stderr;
      expect(second.exitCode === 0, tail(text));
      expect(text.includes('No unpublished projects to publish'), `unexpected output:\n${tail(text)}`);
    });
  });

  await step('4. the published tarballs: entry points, metadata, publint, attw; broken packages are caught', async () => {
    const dir = path.join(state.tmp, 'tarballs');
    await fs.mkdir(dir, { recursive: true });
    const manifests = [];
    for (const name of packages) {
      const meta = (await registry.packument(name)).versions[version];
      const res = await fetch(meta.dist.tarball);
      expect(res.ok, `GET ${meta.dist.tarball}: HTTP ${res.status}`);
      const file = path.join(dir, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
      await fs.writeFile(file, Buffer.from(await res.arrayBuffer()));
      const result = await checkTarball(file, { requireChangelog: true, toolsDir: repo });
      await check(`${name}@${version}: files, MIT LICENSE, README, metadata from package-metadata.json, publint --strict, attw`, () =>
        expect(result.problems.length === 0, result.problems.join('\n')),
      );
      for (const note of result.notes) console.log(indentText(note));
      manifests.push(result.manifest);
    }
    await check(`the ${packages.length} tarballs agree on repository, author, licence and version; each homepage is its own folder`, () => {
      const problems = checkConsistency(manifests);
      expect(problems.length === 0, problems.join('\n'));
    });
    for (const outcome of await selfCheck(repo, { log: () => {} })) {
      await check(`self-check: ${outcome.case} is rejected`, () => expect(outcome.ok, outcome.message));
      if (outcome.ok) console.log(indentText(outcome.message, '         '));
    }
  });

  const consumer = await step('5. a fresh project installs the client and the emulator from the registry: ESM and CommonJS', async () => {
    const dir = path.join(state.tmp, 'consumer');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'release-test-consumer', private: true, version: '1.0.0' }, null, 2),
    );
    // Only our scope comes from the test registry; everything else from the npm registry, as for users.
    await fs.writeFile(path.join(dir, '.npmrc'), `${SCOPE}:registry=${registry.url}\n`);
    for (const file of ['exercise.cjs', 'esm.mjs', 'cjs.cjs', 'cli.mjs'])
      await fs.copyFile(path.join(HERE, 'consumer', file), path.join(dir, file));
    const install = await run(
      'npm',
      [
        'install',
        `@modelarts-kit/client@${version}`,
        `@modelarts-kit/emulator@${version}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
      ],
      { cwd: dir, env, timeoutMs: 10 * 60_000 },
    );
    pass(
      `npm install @modelarts-kit/client@${version} @modelarts-kit/emulator@${version}: scope from the test registry, the rest from npm (${install.seconds}s)`,
    );
    await check('installed from the registry, not linked from the workspace', async () => {
      for (const name of ['@modelarts-kit/client', '@modelarts-kit/emulator']) {
        const p = path.join(dir, 'node_modules', name);
        const stat = await fs.lstat(p);
        expect(!stat.isSymbolicLink(), `${p} is a link`);
        expect(JSON.parse(await fs.readFile(path.join(p, 'package.json'), 'utf8')).version === version, `${name} is not at ${version}`);
      }
      const lock = JSON.parse(await fs.readFile(path.join(dir, 'package-lock.json'), 'utf8'));
      const resolved = lock.packages?.['node_modules/@modelarts-kit/client']?.resolved;
      if (resolved) expect(resolved.startsWith(registry.url), `client resolved from ${resolved}`);
    });
    for (const [label, file, entry] of [
      ['ESM', 'esm.mjs', 'dist/index.js'],
      ['CommonJS', 'cjs.cjs', 'dist/index.cjs'],
    ]) {
      const r = await run(process.execPath, [file], { cwd: dir, env, timeoutMs: 120_000, allowFailure: true });
      await check(`from ${label}: real calls against the emulator, checked against its ground truth (${r.seconds}s)`, () => {
        expect(r.exitCode === 0, tail(r.stderr || r.stdout));
        const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
        for (const [name, where] of Object.entries(report.resolved)) {
          const file = where.startsWith('file:') ? fileURLToPath(where) : where;
          expect(
            file === path.join(dir, 'node_modules', '@modelarts-kit', name, ...entry.split('/')),
            `${label} loaded @modelarts-kit/${name} from ${file}`,
          );
        }
        expect(report.checks.length >= 6, `only ${report.checks.length} checks ran`);
        console.log(indentText(report.checks.map((c) => `- ${c}`).join('\n'), '         '));
      });
    }
    await check('the modelarts-emulator command from the package starts, prints its URL and stops', async () => {
      const logFile = path.join(dir, 'emulator-cli.log');
      const cli = startBackground(path.join(dir, 'node_modules', '.bin', 'modelarts-emulator'), ['--port', '0'], {
        cwd: dir,
        env,
        logFile,
      });
      try {
        let url = null;
        for (let i = 0; i < 100 && !url; i++) {
          await new Promise((r) => setTimeout(r, 100));
          url = (await fs.readFile(logFile, 'utf8')).match(/^http:\/\/127\.0\.0\.1:\d+/m)?.[0] ?? null;
        }
        expect(url, `no URL printed:\n${await fs.readFile(logFile, 'utf8')}`);
        const res = await fetch(`${url}/v1/x/data-annotations/1/tags/show`, { method: 'POST', body: '{}' });
        expect(res.status >= 400 && res.status < 500, `unauthenticated request answered ${res.status}`);
      } finally {
        await cli.stop();
      }
    });
    return dir;
  });

  await step('5b. the CLI, installed globally from the registry and run as modelarts-tags', async () => {
    const prefix = path.join(state.tmp, 'cli-global');
    // Like a user's: only our scope comes from the test registry, the client's and emulator's
    // dependencies from the npm registry.
    const userconfig = path.join(state.tmp, 'cli-npmrc');
    await fs.writeFile(userconfig, `${SCOPE}:registry=${registry.url}\n`);
    const npmEnv = { ...env, npm_config_userconfig: userconfig };
    const install = await run(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        `${CLI_PACKAGE}@${version}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
      ],
      { cwd: state.tmp, env: npmEnv, timeoutMs: 10 * 60_000 },
    );
    pass(`npm install --global ${CLI_PACKAGE}@${version} (${install.seconds}s)`);
    const bin = path.join(prefix, 'bin', 'modelarts-tags');
    await check(
      'the install put modelarts-tags on the PATH, from the registry, with the client and the emulator at the same version',
      async () => {
        const installed = path.join(prefix, 'lib', 'node_modules', ...CLI_PACKAGE.split('/'));
        expect((await fs.stat(bin)).isFile() || (await fs.lstat(bin)).isSymbolicLink(), `${bin} is missing`);
        for (const [name, where] of [
          [CLI_PACKAGE, installed],
          ['@modelarts-kit/client', path.join(installed, 'node_modules', '@modelarts-kit', 'client')],
          ['@modelarts-kit/emulator', path.join(installed, 'node_modules', '@modelarts-kit', 'emulator')],
        ]) {
          const manifest = JSON.parse(await fs.readFile(path.join(where, 'package.json'), 'utf8').catch(() => '{}'));
          expect(manifest.version === version, `${name} in ${where} is at ${manifest.version ?? 'nothing'}, not ${version}`);
        }
      },
    );
    const r = await run(process.execPath, [path.join(consumer, 'cli.mjs'), bin, version], {
      cwd: consumer,
      env,
      timeoutMs: 180_000,
      allowFailure: true,
    });
    await check(`modelarts-tags --version, and get against an emulator and the embedded one (${r.seconds}s)`, () => {
      expect(r.exitCode === 0, tail(r.stderr || r.stdout));
      const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      console.log(indentText(report.checks.map((c) => `- ${c}`).join('\n'), '         '));
    });
    // npx keeps what it installed under the npm cache by package and version; every run of this test
    // publishes the same version anew, so it gets a cache of its own.
    const npxEnv = { ...npmEnv, npm_config_cache: path.join(state.tmp, 'npx-cache') };
    const npx = await run('npx', ['--yes', `${CLI_PACKAGE}@${version}`, '--version'], {
      cwd: state.tmp,
      env: npxEnv,
      timeoutMs: 5 * 60_000,
      allowFailure: true,
    });
    await check(`npx ${CLI_PACKAGE}@${version} --version prints ${version} (${npx.seconds}s)`, () => {
      expect(npx.exitCode === 0 && npx.stdout.trim() === version, tail(npx.stdout + npx.stderr));
    });
  });

  const n8nPackageDir = await step('6a. the n8n package, installed the way n8n installs community packages', async () => {
    const nodesDir = path.join(state.tmp, 'n8n', '.n8n', 'nodes');
    await fs.mkdir(nodesDir, { recursive: true });
    await fs.writeFile(
      path.join(nodesDir, 'package.json'),
      JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
    );
    const target = await installLikeN8n(nodesDir, N8N_PACKAGE, version, registry.url);
    pass(
      `npm pack + unpack + npm install --ignore-scripts (dev, peer and optional dependencies dropped) into nodes/node_modules/${N8N_PACKAGE}`,
    );
    await check('no runtime dependencies to resolve: nothing but the package is installed', async () => {
      const inside = await fs.readdir(path.join(target, 'node_modules')).catch(() => []);
      expect(inside.length === 0, `the package pulled in: ${inside.join(', ')}`);
      const top = await listPackages(path.join(nodesDir, 'node_modules'));
      expect(JSON.stringify(top) === JSON.stringify([N8N_PACKAGE]), `nodes/node_modules holds: ${top.join(', ')}`);
    });
    return target;
  });

  await step('6b. a workflow with the installed node in real n8n 2.41.1', async () => {
    const { ensureInstalled } = await import(pathToFileURL(path.join(REPO_ROOT, 'e2e', 'n8n', 'install.mjs')).href);
    const { VERSIONS } = await import(pathToFileURL(path.join(REPO_ROOT, 'e2e', 'n8n', 'versions.mjs')).href);
    const [install] = await ensureInstalled([VERSIONS['2']], { log: (l) => console.log(`  ${l}`) });
    pass(`n8n ${VERSIONS['2'].n8n} ${install.cached ? 'from the cache' : 'installed'}`);
    const { runN8nRelease } = await import('./n8n-workflow.mjs');
    const consumerRequire = createRequire(path.join(consumer, 'package.json'));
    const emulator = consumerRequire('@modelarts-kit/emulator');
    await runN8nRelease({ n8nPackageDir, emulator, version, check, log: (l) => console.log(`  ${l}`) });
  });
}

/**
 * What n8n 2.x does when a user installs a community package (CommunityPackagesService.downloadPackage):
 * `npm pack name@version` from the configured registry, unpack into nodes/node_modules/<name>, drop
 * dev, peer and optional dependencies from its package.json, then `npm install` there without
 * scripts, lockfile or bin links.
 */
async function installLikeN8n(nodesDir, name, version, registryUrl) {
  const target = path.join(nodesDir, 'node_modules', ...name.split('/'));
  await fs.mkdir(target, { recursive: true });
  const npmEnv = { ...env, npm_config_registry: registryUrl };
  const packed = await run('npm', ['pack', `${name}@${version}`, '--quiet', `--registry=${registryUrl}`], {
    cwd: nodesDir,
    env: npmEnv,
    timeoutMs: 120_000,
  });
  const tarball = packed.stdout.trim().split('\n').pop() ?? '';
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { cwd: nodesDir, env });
  const manifestPath = path.join(target, 'package.json');
  const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
  await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  await run(
    'npm',
    [
      'install',
      '--audit=false',
      '--fund=false',
      '--bin-links=false',
      '--install-strategy=shallow',
      '--ignore-scripts=true',
      '--package-lock=false',
      `--registry=${registryUrl}`,
    ],
    { cwd: target, env: npmEnv, timeoutMs: 5 * 60_000 },
  );
  await fs.rm(path.join(nodesDir, tarball));
  const nodesManifest = JSON.parse(await fs.readFile(path.join(nodesDir, 'package.json'), 'utf8'));
  nodesManifest.dependencies[name] = manifest.version;
  await fs.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(nodesManifest, null, 2));
  return target;
}

async function listPackages(nodeModules) {
  const out = [];
  for (const entry of await fs.readdir(nodeModules).catch(() => [])) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of await fs.readdir(path.join(nodeModules, entry))) out.push(`${entry}/${sub}`);
    else out.push(entry);
  }
  return out.sort();
}

async function cleanup() {
  currentStep = '7. stop everything';
  console.log(`\n== ${currentStep}`);
  const port = state.registry?.port;
  if (state.registry) await state.registry.stop();
  await check('Verdaccio stopped and its port is closed', async () => {
    if (port) expect(!(await portOpen(port)), `127.0.0.1:${port} still accepts connections`);
  });
  await check("no process started by this test is still running (its own, npm's, n8n's)", async () => {
    const live = liveGroups();
    expect(live.length === 0, `process groups still alive: ${live.join(', ')}`);
    let left = markedProcesses();
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await delay(100);
      left = markedProcesses();
    }
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    expect(left.length === 0, `still running (now killed):\n${left.map((p) => `${p.pid} ${p.command}`).join('\n')}`);
  });
  if (state.tmp && !KEEP) await fs.rm(state.tmp, { recursive: true, force: true });
}

function childEnv() {
  // What `npm run` adds for its script would point the nested npm commands back at this repository.
  const drop =
    /^(npm_lifecycle_|npm_package_|npm_config_local_prefix$|npm_command$|npm_execpath$|npm_node_execpath$|INIT_CWD$|TURBO_HASH$|TURBO_INVOCATION_DIR$)/;
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.test(k))),
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function indentText(text, prefix = '       ') {
  return String(text)
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: stopping everything this test started`);
    killAllTracked();
    if (state.tmp && !KEEP) fs.rm(state.tmp, { recursive: true, force: true }).finally(() => process.exit(130));
    else process.exit(130);
  });
}

try {
  await main();
} catch (error) {
  fail(`${currentStep}: stopped here`, error?.stack ?? error);
} finally {
  try {
    await cleanup();
  } catch (error) {
    fail('cleanup', error);
    killAllTracked();
  }
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log('\nTimings:');
for (const t of timings) console.log(`  ${String(t.seconds).padStart(6)}s  ${t.title}`);
console.log(`  ${String(Math.round((Date.now() - started) / 100) / 10).padStart(6)}s  total`);
if (failed > 0) {
  console.log('\nFailed:');
  for (const r of results.filter((x) => !x.ok)) console.log(`  - [${r.step}] ${r.name}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
