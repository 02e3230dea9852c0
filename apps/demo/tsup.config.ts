import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts', showcase: 'src/showcase.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  // The report's stylesheet and browser script are read at run time next to the bundle.
  onSuccess: async () => {
    cpSync('src/report/assets', 'dist/assets', { recursive: true });
  },
});
