// Fails when the generated client in the working tree differs from what the
// spec and the pinned generator produce, naming the command that fixes it.
// It regenerates in place, compares with what was there before, and puts
// the original files back, so the check itself changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const generated = join(root, 'packages/client/src/generated');

function snapshot(dir) {
  const files = new Map();
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

function restore(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, content] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

const before = snapshot(generated);
let after;
try {
  execFileSync('node', ['scripts/generate-client.mjs'], { cwd: root, stdio: 'inherit' });
  after = snapshot(generated);
} finally {
  restore(generated, before);
}

const drift = [];
for (const [name, content] of after) {
  if (!before.has(name)) drift.push(`missing   ${name}`);
  else if (!before.get(name).equals(content)) drift.push(`differs   ${name}`);
}
for (const name of before.keys()) if (!after.has(name)) drift.push(`extra     ${name}`);

if (drift.length > 0) {
  console.error('\nThe generated client does not match openapi/ and openapitools.json:');
  for (const line of drift.sort()) console.error(`  ${line}`);
  console.error('\nFix: run `npm run generate` and commit the result. Generated files are never edited by hand.');
  process.exit(1);
}
console.log('Generated client matches openapi/ (no drift).');
