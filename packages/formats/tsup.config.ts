import { defineConfig } from 'tsup';

// The client is a dependency for its types only (ImageTags and friends): nothing of it is imported
// at run time, so the code has no dependencies and runs wherever the plain objects come from.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
});
