#!/usr/bin/env node
// Builds the API reference: one self-contained HTML file from the OpenAPI
// document, with Redoc inlined (no CDN) and Redocly's telemetry off, then
// checks that the page loads nothing from the network.
//
//   node apps/demo/scripts/build-docs.mjs [output.html]    (default: docs/api.html at the repository root)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const spec = join(root, 'openapi', 'modelarts.yaml');
const output = resolve(process.argv[2] ?? join(root, 'docs', 'api.html'));

const require = createRequire(import.meta.url);
const redoclyPackage = require.resolve('@redocly/cli/package.json');
const redoclyBin = join(dirname(redoclyPackage), JSON.parse(readFileSync(redoclyPackage, 'utf8')).bin.redocly);

const result = spawnSync(
  process.execPath,
  [redoclyBin, 'build-docs', spec, '--inlineBundle', '--output', output, '--title', 'ModelArts image tags API'],
  // From the root, so a redocly.yaml there (lint rules, Redoc options) applies.
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
);
if (result.status !== 0) {
  console.error(`build-docs: redocly build-docs failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}

// The page must not fetch code, styles or fonts: only plain links (and
// Redoc's optional sidebar logo, which hides itself when offline) may name a URL.
const html = readFileSync(output, 'utf8');
const external = [
  ...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?(https?:[^"' >]+)/gi),
  ...html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?(https?:[^"' >]+)/gi),
  ...html.matchAll(/@import\s+(?:url\()?["']?(https?:[^"')]+)/gi),
  ...html.matchAll(/fonts\.(?:googleapis|gstatic)\.com[^"'`) ]*/gi),
].map((match) => match[1] ?? match[0]);
if (external.length > 0) {
  console.error(`build-docs: ${output} loads resources from the network:\n  ${[...new Set(external)].join('\n  ')}`);
  process.exit(1);
}
const shown = relative(root, output).startsWith('..') ? output : relative(root, output);
console.log(`build-docs: wrote ${shown} (${Math.round(html.length / 1024)} KB, self-contained)`);
