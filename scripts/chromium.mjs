// Headless Chromium for the browser tests, from the npm registry alone: the browser ships inside
// @sparticuz/chromium (unpacked into the temp folder on first use) and playwright-core drives it.
// No system browser is needed or looked for.
//
//   import { launchChromium } from '../scripts/chromium.mjs';
//   const browser = await launchChromium();
//   const page = await browser.newPage();
//   ...
//   await browser.close();
import sparticuz from '@sparticuz/chromium';
import { chromium } from 'playwright-core';

/** Path of the Chromium binary shipped in @sparticuz/chromium, unpacked on first call (a few seconds). */
export async function chromiumExecutablePath() {
  return await sparticuz.executablePath();
}

/**
 * Launches headless Chromium with the flags @sparticuz/chromium recommends.
 * @param {import('playwright-core').LaunchOptions} [options] passed on to playwright; `args` are added to the defaults
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium(options = {}) {
  const { args = [], ...rest } = options;
  return await chromium.launch({
    executablePath: await chromiumExecutablePath(),
    headless: true,
    ...rest,
    args: [...sparticuz.args, ...args],
  });
}
