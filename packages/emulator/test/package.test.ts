import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// What users install: the built package, checked outside the repository so
// that nothing is found by accident in the sources around it.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(packageDir, 'dist');
const repositorySpec = join(packageDir, '..', '..', 'openapi', 'modelarts.yaml');
const require = createRequire(import.meta.url);

beforeAll(() => {
  // `turbo run test` builds first; a bare `vitest run` on a fresh clone may not have.
  // An existing dist is never rebuilt here: other packages' tests may be using it.
  if (!existsSync(join(distDir, 'index.js'))) {
    execFileSync(process.execPath, [require.resolve('tsup/dist/cli-default.js')], { cwd: packageDir, stdio: 'pipe' });
  }
}, 120_000);

describe('the built package', () => {
  it('ships the OpenAPI document it validates against, identical to the source', () => {
    const shipped = readFileSync(join(distDir, 'openapi', 'modelarts.yaml'), 'utf8');
    expect(shipped, 'dist is stale: run `npm run build -w @modelarts-kit/emulator`').toBe(readFileSync(repositorySpec, 'utf8'));
  });

  it('publishes the document with the bundles', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir, encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }];
    const files = pack.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
        'dist/cli.js',
        'dist/openapi/modelarts.yaml',
        'README.md',
        'package.json',
      ]),
    );
    expect(files.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([]);
  });

  it('has an executable bin with a shebang', () => {
    expect(readFileSync(join(distDir, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    accessSync(join(distDir, 'cli.js'), constants.X_OK);
  });

  describe('installed in a project of its own', () => {
    let project: string;

    beforeAll(() => {
      project = mkdtempSync(join(tmpdir(), 'emulator-install-'));
      const installed = join(project, 'node_modules', '@modelarts-kit', 'emulator');
      mkdirSync(installed, { recursive: true });
      cpSync(join(packageDir, 'package.json'), join(installed, 'package.json'));
      cpSync(distDir, join(installed, 'dist'), { recursive: true });
      for (const dependency of ['ajv', 'yaml']) {
        const root = dirname(require.resolve(`${dependency}/package.json`));
        // Node follows the link, so the dependencies' own dependencies
        // resolve from the workspace as they would from a real install.
        symlinkSync(root, join(project, 'node_modules', dependency), 'dir');
      }
    });

    const script = (source: string) =>
      `${source}
        .then(async ({ startEmulator }) => {
          const emulator = await startEmulator({ imagesPerJob: 3 });
          const response = await fetch(emulator.url + '/v1/0123456789abcdef0123456789abcdef/data-annotations/282/tags/show', {
            method: 'POST', headers: { 'x-auth-token': 'emulator-token', 'content-type': 'application/json' }, body: '{"image_id":[]}' });
          console.log(response.status, (await response.json()).error_code);
          await emulator.close();
        })`;

    it.each([
      ['require', `Promise.resolve(require('@modelarts-kit/emulator'))`],
      ['import', `import('@modelarts-kit/emulator')`],
    ])('works through %s, validating with the shipped document', (_, loader) => {
      const result = spawnSync(process.execPath, ['--eval', script(loader)], { cwd: project, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      // An empty image list breaks the document's minItems: proof the document was loaded and applied.
      expect(result.stdout.trim()).toBe('400 ModelArts.0104');
    });

    it('runs its bin', () => {
      const result = spawnSync(
        process.execPath,
        [join(project, 'node_modules', '@modelarts-kit', 'emulator', 'dist', 'cli.js'), '--help'],
        {
          cwd: project,
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: modelarts-emulator/);
    });
  });
});
