import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from '../../../../packages/cli/test/support/run-cli.js';

// Spawning and a clean environment come from the CLI package's test support; the showcase adds its own entry
// and runs the CLI the way it is installed: the `modelarts-tags` bin of @modelarts-kit/cli.
export { cleanEnv, run, type RunResult } from '../../../../packages/cli/test/support/run-cli.js';

export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const SHOWCASE_PATH = fileURLToPath(new URL('../../dist/showcase.js', import.meta.url));

const cliManifestPath = createRequire(import.meta.url).resolve('@modelarts-kit/cli/package.json');
const cliBin = (JSON.parse(readFileSync(cliManifestPath, 'utf8')) as { bin: Record<string, string> }).bin['modelarts-tags'];
if (!cliBin) throw new Error(`${cliManifestPath} has no "modelarts-tags" bin`);
export const CLI_PATH = join(dirname(cliManifestPath), cliBin);

/** The tests run what users run: the built files. A stale or missing build is a set-up error, said plainly. */
export function assertBuilt(): void {
  for (const path of [CLI_PATH, SHOWCASE_PATH]) {
    if (!existsSync(path)) {
      throw new Error(
        `${path} does not exist: build the demo and the CLI first with "npx turbo run build --filter=@modelarts-kit/demo..."`,
      );
    }
  }
}

export function runCliProcess(
  args: readonly string[],
  options: { env: Record<string, string>; input?: string; cwd?: string },
): Promise<RunResult> {
  return run(process.execPath, [CLI_PATH, ...args], options);
}
