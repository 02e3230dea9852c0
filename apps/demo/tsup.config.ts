import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { showcase: 'src/showcase.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
});
