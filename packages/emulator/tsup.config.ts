import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The emulator validates requests against the OpenAPI document at run time,
// so the document ships inside the package, next to the bundles that load it.
const specSource = '../../openapi/modelarts.yaml';
const specTarget = 'dist/openapi/modelarts.yaml';

function copySpec(): void {
  mkdirSync('dist/openapi', { recursive: true });
  cpSync(specSource, specTarget);
}

export default defineConfig((): Options[] => {
  // The two builds below run in parallel; letting either one clean `dist`
  // could delete the other's output, so `dist` is emptied once, up front.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      entry: { index: 'src/index.ts' },
      format: ['esm', 'cjs'],
      dts: true,
      // Gives the CJS bundle `import.meta.url`, which locates the spec file.
      shims: true,
      sourcemap: true,
      target: 'node20',
      platform: 'node',
      onSuccess: async () => copySpec(),
    },
    {
      // The shebang at the top of src/cli.ts is kept and the file made executable.
      entry: { cli: 'src/cli.ts' },
      format: ['esm'],
      shims: true,
      sourcemap: true,
      target: 'node20',
      platform: 'node',
    },
  ];
});
