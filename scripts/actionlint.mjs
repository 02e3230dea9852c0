#!/usr/bin/env node
// Lints the GitHub Actions workflows (.github/workflows) with actionlint, pinned below. actionlint is a
// Go program: on first use this script builds it from its Go module into a cache folder outside the
// repository, so `npm ci` does not throw it away, and reuses it after that.
//
//   node scripts/actionlint.mjs             # lint every workflow (what `npm run lint` runs)
//   node scripts/actionlint.mjs FILE...     # lint these files only
//
// Environment: ACTIONLINT=/path/to/actionlint uses that binary (it must be the pinned version);
// ACTIONLINT_CACHE_DIR overrides the cache folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACTIONLINT_VERSION = 'v1.7.12';
const MODULE = 'github.com/rhysd/actionlint/cmd/actionlint';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
const binDir = process.env.ACTIONLINT_CACHE_DIR || path.join(cacheRoot, 'modelarts-kit', 'actionlint', ACTIONLINT_VERSION);
const exe = process.platform === 'win32' ? 'actionlint.exe' : 'actionlint';

class SetupError extends Error {}

/** The first line of `actionlint --version`, or null when the file cannot be run. */
function versionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0].trim() : null;
}

/** Whether a command can be started at all (its exit status does not matter here). */
function onPath(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** A path to the pinned actionlint, building it with `go install` when it is not there yet. */
function actionlintBinary() {
  const given = process.env.ACTIONLINT;
  if (given) {
    const version = versionOf(given);
    if (version !== ACTIONLINT_VERSION) {
      throw new SetupError(
        `ACTIONLINT=${given} is ${version ? `actionlint ${version}` : 'not a program that runs'}; this repository pins actionlint ${ACTIONLINT_VERSION}. Unset ACTIONLINT to build the pinned version.`,
      );
    }
    return given;
  }
  const cached = path.join(binDir, exe);
  if (existsSync(cached) && versionOf(cached) === ACTIONLINT_VERSION) return cached;

  if (!onPath('go')) {
    throw new SetupError(
      [
        `actionlint ${ACTIONLINT_VERSION} lints .github/workflows and is built from its Go module, but Go is not installed.`,
        "Install Go 1.25 or later (https://go.dev/doc/install, or your system's package manager, e.g. `brew install go`),",
        'then run `npm run lint` again: the first run builds actionlint in about 10 s and keeps it in',
        `${binDir}.`,
        `Or point ACTIONLINT at an actionlint ${ACTIONLINT_VERSION} binary you already have.`,
        '`npm test` does not need Go; only the lint of the workflows does.',
      ].join('\n'),
    );
  }
  console.error(`building actionlint ${ACTIONLINT_VERSION}: go install ${MODULE}@${ACTIONLINT_VERSION} (once; kept in ${binDir})`);
  const build = spawnSync('go', ['install', `${MODULE}@${ACTIONLINT_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: binDir, GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ') },
  });
  if (build.status !== 0) {
    throw new SetupError(
      `go install ${MODULE}@${ACTIONLINT_VERSION} failed (see above). actionlint ${ACTIONLINT_VERSION} needs Go 1.25 or later; \`go version\` says: ${goVersion()}`,
    );
  }
  if (versionOf(cached) !== ACTIONLINT_VERSION)
    throw new SetupError(`go install finished but ${cached} is not actionlint ${ACTIONLINT_VERSION}`);
  return cached;
}

function goVersion() {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function main(files) {
  let binary;
  try {
    binary = actionlintBinary();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`lint:workflows: ${error.message}`);
    return 1;
  }
  // shellcheck checks the `run:` scripts when it is installed (CI installs it); without it the rest
  // of the checks still run, and this says what is skipped rather than passing quietly.
  const args = ['-no-color', '-pyflakes='];
  if (!onPath('shellcheck')) {
    args.push('-shellcheck=');
    console.error(
      'lint:workflows: shellcheck is not installed, so `run:` scripts are not checked (apt-get install shellcheck, or brew install shellcheck)',
    );
  }
  const result = spawnSync(binary, [...args, ...files], { cwd: ROOT, stdio: 'inherit' });
  if (result.status === 0) console.log(`actionlint ${ACTIONLINT_VERSION}: ${files.length > 0 ? files.join(', ') : '.github/workflows'} ok`);
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
