import { readFileSync } from 'node:fs';
import type { ReportData } from './report-data.js';

// The stylesheet and the browser script are real files (so editors and the
// type checker see them), read next to this module: src/report/assets in
// development, dist/assets once built (the build copies them).
const assetsDirectory = new URL('./assets/', import.meta.url);
const readAsset = (name: string): string => readFileSync(new URL(name, assetsDirectory), 'utf8');

/**
 * One self-contained HTML file: inline CSS and script, the data as JSON,
 * and a Content-Security-Policy that forbids every network request.
 */
export function renderReport(data: ReportData): string {
  const css = readAsset('report.css');
  const script = readAsset('report-app.js');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(data.title)}</title>
<style>
${css}
</style>
</head>
<body>
<header class="page-header">
  <div>
    <h1>${escapeHtml(data.title)}</h1>
    <p class="subtitle"><span class="source source-${data.source.kind}">${data.source.kind === 'emulator' ? 'Local emulator' : 'ModelArts'}</span> ${escapeHtml(data.source.label)} · generated ${escapeHtml(formatDate(data.generatedAt))}</p>
  </div>
</header>
<main id="app" aria-live="polite"><p class="loading">Loading ${data.jobs.reduce((sum, job) => sum + job.images.length, 0).toLocaleString('en-US')} images…</p></main>
<noscript><p class="loading">This report draws its images with JavaScript; please allow scripts for this file.</p></noscript>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>
${script}
</script>
</body>
</html>
`;
}

/**
 * JSON that can sit inside a <script> element: `<` is written as `\u003c`,
 * so neither `</script>` nor `<!--` in a tag name can end the element early.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function formatDate(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
    .replace(/Z$/, ' UTC');
}
