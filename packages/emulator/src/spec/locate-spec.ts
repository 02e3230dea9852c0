import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPEC_RELATIVE_PATH = join('openapi', 'modelarts.yaml');

/**
 * Finds the OpenAPI document. The published package carries it in
 * `dist/openapi/` beside the bundles; running from the sources, it is the
 * repository's `openapi/` folder, found by walking up from this file.
 */
export function locateSpec(moduleUrl: string = import.meta.url): string {
  const moduleDir = dirname(fileURLToPath(moduleUrl));
  for (let dir = moduleDir; ; dir = dirname(dir)) {
    const candidate = join(dir, SPEC_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `The emulator cannot find its OpenAPI document (${SPEC_RELATIVE_PATH}) near ${moduleDir}; ` +
      'the package may be incomplete. Pass `specPath` to point at the document.',
  );
}
