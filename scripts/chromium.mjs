// @ts-check
// Headless Chromium for every browser test in the repository, from the npm
// registry alone: `npm ci` is all a machine needs, no system browser, no
// download at test time.
//
// `@sparticuz/chromium` carries a compressed headless Chromium in its npm
// package. It is unpacked once per installed version into
// node_modules/.cache (about 4 s), into a private folder that is renamed into
// place only when complete, so parallel test files and parallel clones never
// see half a browser. Pages render with fonts that come from npm packages
// only (Open Sans from @sparticuz/chromium, Noto Sans SC from
// @embedpdf/fonts-sc for Chinese), through a fontconfig file of our own that
// ignores the system's fonts: screenshots look the same on every machine.
//
// CHROMIUM_PATH=/path/to/chromium launches that browser instead, with the
// system's fonts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const CACHE = fileURLToPath(new URL('../node_modules/.cache/modelarts-kit', import.meta.url));

// Flags of @sparticuz/chromium that suit AWS Lambda but not a test of what a
// person sees: one process for everything makes a browser with several pages
// crash-prone, and a page must not get more rights than in a normal browser.
const UNWANTED_FLAGS = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/**
 * @typedef {object} PreparedBrowser
 * @property {string} executablePath
 * @property {string[]} args
 * @property {Record<string, string>} env
 */

/** @type {Promise<PreparedBrowser> | undefined} */
let prepared;

/** @returns {Promise<PreparedBrowser>} */
function prepare() {
  if (!prepared) {
    prepared = prepareOnce();
    // A failed unpack (a full disk, say) is retried by the next caller instead of being remembered.
    prepared.catch(() => {
      prepared = undefined;
    });
  }
  return prepared;
}

/** @returns {Promise<PreparedBrowser>} */
async function prepareOnce() {
  const own = process.env.CHROMIUM_PATH;
  if (own) {
    if (!existsSync(own))
      throw new Error(`CHROMIUM_PATH is ${own}, and there is no file there. Unset it to use the Chromium that npm ci installed.`);
    return { executablePath: own, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'], env: {} };
  }
  const entry = require.resolve('@sparticuz/chromium');
  const { default: sparticuz } = await import(pathToFileURL(entry).href);
  const dir = await unpack(entry);
  return {
    executablePath: join(dir, 'chromium'),
    args: [...sparticuz.args.filter((/** @type {string} */ flag) => !UNWANTED_FLAGS.has(flag)), '--disable-quic'],
    env: { FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  };
}

/**
 * Unpacks the package's browser into a folder named for its version, unless
 * it is there already; returns that folder.
 * @param {string} entry the resolved entry point of @sparticuz/chromium
 * @returns {Promise<string>}
 */
async function unpack(entry) {
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const dir = join(CACHE, `chromium-${version}`);
  if (existsSync(dir)) return dir;

  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, `.chromium-${version}-`));
  try {
    // The package unpacks into the temporary folder (os.tmpdir()); pointing
    // TMPDIR of a child process at the staging folder keeps this copy ours.
    const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)}); await chromium.executablePath();`;
    await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (!existsSync(join(staging, 'chromium')))
      throw new Error(`@sparticuz/chromium ${version} unpacked no chromium binary into ${staging}.`);
    writeFileSync(join(staging, 'fonts.conf'), fontconfig(dir));
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process finished first: its copy is complete, use it.
      if (!existsSync(dir)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A fontconfig file that sees only the fonts shipped in npm packages.
 * @param {string} dir the folder the browser is unpacked into
 */
function fontconfig(dir) {
  const cjk = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  const families = '<family>Open Sans</family><family>Noto Sans S Chinese</family>';
  const aliases = ['sans-serif', 'serif', 'monospace', 'system-ui']
    .map((generic) => `  <alias binding="same"><family>${generic}</family><prefer>${families}</prefer></alias>`)
    .join('\n');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts')}</dir>
  <dir>${cjk}</dir>
  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>
${aliases}
</fontconfig>
`;
}

/**
 * The path of the Chromium binary the tests use, unpacking it on first use.
 * Launch it through `launchChromium` to get its flags and fonts as well.
 * @returns {Promise<string>}
 */
export async function chromiumExecutablePath() {
  return (await prepare()).executablePath;
}

/**
 * Launches headless Chromium with playwright-core. Offline by design: no
 * component updates, no background traffic, no QUIC. `options.args` and
 * `options.env` are added to the launcher's own.
 * @param {import('playwright-core').LaunchOptions} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium(options = {}) {
  const browser = await prepare();
  return chromium.launch({
    ...options,
    executablePath: browser.executablePath,
    headless: true,
    args: [...browser.args, ...(options.args ?? [])],
    env: { ...process.env, ...browser.env, ...options.env },
  });
}
