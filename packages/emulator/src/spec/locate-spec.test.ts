import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateSpec } from './locate-spec.js';

describe('locateSpec', () => {
  it("finds the repository's document when running from the sources", () => {
    expect(readFileSync(locateSpec(), 'utf8')).toContain('operationId: showImageTags');
  });

  it('prefers the copy shipped beside the bundle', () => {
    const dist = mkdtempSync(join(tmpdir(), 'emulator-dist-'));
    mkdirSync(join(dist, 'openapi'));
    writeFileSync(join(dist, 'openapi', 'modelarts.yaml'), 'openapi: 3.0.3\n');
    expect(locateSpec(pathToFileURL(join(dist, 'index.js')).href)).toBe(join(dist, 'openapi', 'modelarts.yaml'));
  });

  it('says what is missing when there is no document', () => {
    const empty = mkdtempSync(join(tmpdir(), 'emulator-nospec-'));
    expect(() => locateSpec(pathToFileURL(join(empty, 'index.js')).href)).toThrow(/cannot find its OpenAPI document/);
  });
});
