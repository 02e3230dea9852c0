import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, ServerError, type ImageTagsResult } from '@modelarts-kit/client';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { LISTED_IDS, reportIncomplete, writeIncompleteFiles } from './incomplete.js';
import { parseIds } from './read-ids.js';
import type { CliIo } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'modelarts-tags-incomplete-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { stderr: { text: string } } {
  const stderr = { text: '', write: (chunk: string) => (stderr.text += chunk) };
  return {
    env: {},
    stdin: (async function* () {})(),
    stdout: { write: () => true },
    stderr,
    cwd: dir,
    version: '0.0.0',
  };
}

const ids = (count: number, prefix: string): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

function result(missing: string[], failed: { imageId: string; error: Error }[]): ImageTagsResult {
  return { jobType: 'detection', images: [], missing, failed, requestIds: [] } as unknown as ImageTagsResult;
}

describe('reportIncomplete', () => {
  it('counts a long list of missing IDs, shows the first few and names the option that writes them all', () => {
    const streams = io();
    expect(reportIncomplete(result(ids(25_000, 'm'), []), '287', streams)).toBe(true);
    const lines = streams.stderr.text.trimEnd().split('\n');
    expect(lines[0]).toBe('modelarts-tags: 25,000 image ID(s) not found in job 287:');
    expect(lines.slice(1, LISTED_IDS + 1)).toEqual(ids(LISTED_IDS, 'm').map((id) => `  ${id}`));
    expect(lines[LISTED_IDS + 1]).toBe('  ... and 24,990 more (--missing-out FILE writes them all)');
    expect(lines).toHaveLength(LISTED_IDS + 2);
  });

  it('groups failures by error, shows at most five errors, and escapes what the server said', () => {
    const streams = io();
    const failed = ids(40, 'f').map((imageId, i) => ({
      imageId,
      error: new ServerError(`HTTP 500 \u001b]0;pwned\u0007 number ${i % 8}`, { status: 500 }),
    }));
    reportIncomplete(result([], failed), '287', streams);
    const text = streams.stderr.text;
    expect(text).toContain('modelarts-tags: 40 image ID(s) failed\n');
    expect(text.match(/image ID\(s\) failed: ServerError/g)).toHaveLength(5);
    expect(text).toContain('... and 15 more image ID(s) failed with 3 other error(s)');
    expect(text).toContain('\\u001b]0;pwned\\u0007');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('writes every missing ID, and every failed one with its error as CSV that --file reads back', async () => {
    const streams = io();
    const missing = ids(30, 'm');
    const failed = ids(12, 'f').map((imageId) => ({
      imageId,
      error: new NotFoundError('gone, "really"', { status: 404, requestId: 'r1' }),
    }));
    const files = { missingOut: 'out/missing.txt', failedOut: 'out/failed.csv' };
    await writeIncompleteFiles(result(missing, failed), files, streams);
    reportIncomplete(result(missing, failed), '287', streams, files);
    expect(readFileSync(join(dir, 'out/missing.txt'), 'utf8')).toBe(missing.map((id) => `${id}\n`).join(''));
    const csv = readFileSync(join(dir, 'out/failed.csv'), 'utf8');
    expect(parseCsv(csv).map((row) => row.cells)).toEqual([
      ['image_id', 'error', 'status', 'error_code', 'request_id', 'message'],
      ...failed.map(({ imageId, error }) => [imageId, 'NotFoundError', '404', '', 'r1', error.message]),
    ]);
    expect(parseIds(csv, { source: 'failed.csv' }).ids).toEqual(failed.map((f) => f.imageId));
    expect(streams.stderr.text).toContain('30 image ID(s) not found in job 287 (all written to out/missing.txt):');
    expect(streams.stderr.text).toContain('12 image ID(s) failed (all written to out/failed.csv)');
    expect(streams.stderr.text).toMatch(/ {2}\.\.\. and 20 more\n/);
  });

  it('writes empty files when nothing is missing or failed, so no stale list is left', async () => {
    const streams = io();
    await writeIncompleteFiles(result([], []), { missingOut: 'clean.txt' }, streams);
    expect(readFileSync(join(dir, 'clean.txt'), 'utf8')).toBe('');
    expect(reportIncomplete(result([], []), '287', streams)).toBe(false);
    expect(streams.stderr.text).toBe('');
  });
});
