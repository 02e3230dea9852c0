// Fails when the committed generated client differs from what the spec and
// the pinned generator produce, naming the command that fixes it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const generated = 'packages/client/src/generated';

execFileSync('node', ['scripts/generate-client.mjs'], { cwd: root, stdio: 'inherit' });
const drift = execFileSync('git', ['status', '--porcelain', '--', generated], { cwd: root, encoding: 'utf8' }).trim();
if (drift !== '') {
  console.error(`\nThe generated client is out of date with openapi/ or openapitools.json:\n${drift}\n`);
  console.error(execFileSync('git', ['diff', '--stat', '--', generated], { cwd: root, encoding: 'utf8' }));
  console.error('Fix: run `npm run generate` and commit the result. Generated files are never edited by hand.');
  process.exit(1);
}
console.log('Generated client matches openapi/ (no drift).');
