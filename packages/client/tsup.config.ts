import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';
import { zodPrivateGlobals } from '../../scripts/zod-private-globals.mjs';

// zod is bundled in, minified, so the published package has no runtime
// dependencies: it installs small and imports fast. The bundled zod is kept
// private (no `globalThis`), so it neither reads nor changes the settings of
// a zod the user loads.
const common: Options = {
  format: ['esm', 'cjs'],
  sourcemap: false,
  minify: true,
  // `npm run build` empties dist/ once; the two builds below must not empty it under each other.
  clean: false,
  target: 'node20',
  platform: 'neutral',
  external: ['node:buffer', 'node:crypto', 'node:http', 'node:https', 'node:zlib'],
  noExternal: ['zod'],
  treeshake: true,
};

const globals = (file: string): string => fileURLToPath(new URL(`./build/${file}`, import.meta.url));

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts', core: 'src/core/index.ts', env: 'src/env.ts' },
    dts: true,
    esbuildPlugins: [zodPrivateGlobals({ globalsModule: globals('zod-globals.ts') })],
  },
  {
    // The core entry for hosts that forbid generating code at run time (n8n): zod without its JIT and
    // without the Function constructor. Chosen with the `modelarts-kit-sandboxed` export condition;
    // its types are those of the core entry.
    ...common,
    format: ['esm'],
    entry: { core: 'src/core/index.ts' },
    outDir: 'dist/sandboxed',
    dts: false,
    esbuildPlugins: [zodPrivateGlobals({ globalsModule: globals('zod-globals-sandboxed.ts'), forbidCodeGeneration: true })],
  },
]);
