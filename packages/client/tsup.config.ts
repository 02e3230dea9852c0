import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { zodPrivateGlobals } from '../../scripts/zod-private-globals.mjs';

// zod is bundled in, minified, so the published package has no runtime
// dependencies: it installs small and imports fast. The bundled zod is kept
// private (no `globalThis`), so it neither reads nor changes the settings of
// a zod the user loads.
export default defineConfig({
  entry: { index: 'src/index.ts', core: 'src/core/index.ts', env: 'src/env.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  minify: true,
  clean: true,
  target: 'node20',
  platform: 'neutral',
  external: ['node:buffer', 'node:crypto', 'node:http', 'node:https', 'node:zlib'],
  noExternal: ['zod'],
  esbuildPlugins: [zodPrivateGlobals({ globalsModule: fileURLToPath(new URL('./build/zod-globals.ts', import.meta.url)) })],
  treeshake: true,
});
