import { describe, expect, it } from 'vitest';
import { embedJson, escapeHtml, renderReport } from './render-report.js';
import type { ReportData } from './report-data.js';

const data: ReportData = {
  version: 1,
  title: 'Tags <of> "job"',
  generatedAt: '2024-01-02T03:04:05.678Z',
  source: { kind: 'emulator', label: 'seeded demo data' },
  jobs: [
    {
      annotationId: '282',
      jobType: 'classification',
      requested: 1,
      tags: ['</script><script>alert(1)</script>', '<!--', '\u2028'],
      images: [['img', [0, 1, 2]]],
      missing: [],
      failed: [],
      requestIds: [],
    },
  ],
};

describe('embedJson', () => {
  it('cannot close the script element it sits in, and still parses to the same value', () => {
    const text = embedJson(data);
    expect(text).not.toContain('<');
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(data);
  });
});

describe('renderReport', () => {
  const html = renderReport(data);

  it('is one file: inline style and script, no external resource', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('forbids network access with a Content-Security-Policy', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes the title and keeps hostile tag names inside the JSON', () => {
    expect(html).toContain('<title>Tags &#60;of&#62; &#34;job&#34;</title>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual(data);
  });

  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
