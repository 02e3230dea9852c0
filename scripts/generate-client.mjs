// Regenerates packages/client/src/generated from openapi/ with the generator
// pinned in openapitools.json. The folder is emptied first so that a schema
// removed from the spec does not leave a stale file behind.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureGeneratorJar } from './generator-jar.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = fileURLToPath(new URL('../packages/client/src/generated', import.meta.url));

ensureGeneratorJar();
if (existsSync(output)) rmSync(output, { recursive: true });
execFileSync('npx', ['--no-install', 'openapi-generator-cli', 'generate', '--generator-key', 'client'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log('Generated packages/client/src/generated from openapi/modelarts.yaml');
