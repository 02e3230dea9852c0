// The openapi-generator wrapper downloads its jar from Maven Central on first
// use. Where that download is blocked but Maven works, fetch the same
// artifact with Maven into the wrapper's storage folder instead.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function ensureGeneratorJar() {
  const config = JSON.parse(readFileSync(join(root, 'openapitools.json'), 'utf8'));
  const version = config['generator-cli'].version;
  const storage = join(root, 'node_modules/@openapitools/openapi-generator-cli/versions');
  const jar = join(storage, `${version}.jar`);
  if (existsSync(jar)) return jar;
  try {
    execFileSync('npx', ['--no-install', 'openapi-generator-cli', 'version'], { cwd: root, stdio: 'ignore' });
  } catch {
    // fall through to Maven
  }
  if (existsSync(jar)) return jar;
  const scratch = join(tmpdir(), `openapi-generator-${version}`);
  execFileSync(
    'mvn',
    ['-q', 'dependency:copy', `-Dartifact=org.openapitools:openapi-generator-cli:${version}`, `-DoutputDirectory=${scratch}`],
    { stdio: 'inherit' },
  );
  mkdirSync(storage, { recursive: true });
  copyFileSync(join(scratch, `openapi-generator-cli-${version}.jar`), jar);
  return jar;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureGeneratorJar());
}
