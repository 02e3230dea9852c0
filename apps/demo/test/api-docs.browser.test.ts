import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './support/browser.js';
import { cleanEnv, run } from './support/run-cli.js';

// `npm run docs`: the API reference must be one file that works offline.

const BUILD_DOCS = fileURLToPath(new URL('../scripts/build-docs.mjs', import.meta.url));
let dir: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelarts-api-docs-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('API reference', () => {
  it('builds one self-contained HTML file that renders the operation with the network cut off', async () => {
    const output = join(dir, 'api.html');
    const { code, stdout, stderr } = await run(process.execPath, [BUILD_DOCS, output], { env: cleanEnv(), timeoutMs: 120_000 });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('self-contained');
    expect(readFileSync(output, 'utf8')).not.toMatch(/<script\b[^>]*\bsrc=/i);

    const requested: string[] = [];
    const page = await browser.context.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requested.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(output).href);
    await page.getByText('/v1/{project_id}/data-annotations/{data_annotation_id}/tags/show').first().waitFor({ timeout: 30_000 });
    await expect(page.title()).resolves.toBe('ModelArts image tags API');
    // Redoc's optional "powered by" logo is the one thing it may try; it hides itself when that fails.
    expect(requested.filter((url) => !/^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/.test(url))).toEqual([]);
    await page.close();
  });
});
