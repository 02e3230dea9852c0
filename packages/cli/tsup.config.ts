import { cpSync, rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// The report's stylesheet and browser script are read at run time next to the bundles.
const copyAssets = async (): Promise<void> => {
  cpSync('src/report/assets', 'dist/assets', { recursive: true });
};

export default defineConfig((): Options[] => {
  // The two builds run in parallel; letting either clean `dist` could delete the other's output.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      // The library entry the showcase (and anyone embedding the CLI) imports: ESM and CommonJS.
      entry: { index: 'src/index.ts' },
      format: ['esm', 'cjs'],
      dts: true,
      // Gives the CommonJS bundle `import.meta.url`, which locates the report's assets.
      shims: true,
      sourcemap: true,
      target: 'node20',
      platform: 'node',
      onSuccess: copyAssets,
    },
    {
      // The `modelarts-tags` command; the shebang of src/cli.ts is kept and the file made executable.
      entry: { cli: 'src/cli.ts' },
      format: ['esm'],
      sourcemap: true,
      target: 'node20',
      platform: 'node',
      onSuccess: copyAssets,
    },
  ];
});
