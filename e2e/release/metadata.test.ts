// Author, licence, repository, homepage and issue tracker of every published package come from
// package-metadata.json, the one place to change them (`npm run metadata` writes them).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { metadataProblems, readProjectMetadata } from '../../scripts/package-metadata.mjs';
import { publishedPackages } from './lib/published-packages.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('package metadata', () => {
  it('every published package carries what package-metadata.json says (run `npm run metadata` to fix)', () => {
    expect(metadataProblems(REPO_ROOT)).toEqual([]);
  });

  it('names a real GitHub repository, a contact and the MIT licence', () => {
    const metadata = readProjectMetadata(REPO_ROOT);
    expect(metadata.repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(metadata.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(metadata.license).toBe('MIT');
  });

  it('the n8n package has no repository.directory (n8n rejects it); the others name their folder', () => {
    for (const pkg of publishedPackages(REPO_ROOT)) {
      const repository = pkg.manifest.repository as { directory?: string };
      if (pkg.manifest.n8n) expect(repository.directory, pkg.name).toBeUndefined();
      else expect(repository.directory, pkg.name).toBeDefined();
    }
  });
});
