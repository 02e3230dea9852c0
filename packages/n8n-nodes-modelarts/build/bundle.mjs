#!/usr/bin/env node
// Builds the package as n8n loads it: one CommonJS file per node and per credential under dist/,
// with the ModelArts client and zod bundled in (the published package has no dependencies) and
// n8n-workflow left to the n8n instance (a peer dependency). Icons and the codex file are copied
// next to the node. esbuild directly rather than tsup: tsup treats any import ending in ".node"
// (as n8n's `./v1/ModelArtsV1.node` is) as a native addon.
import { build } from 'esbuild';
import { cp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` builds elsewhere (the dist test does, so it never races a pack of dist/).
const outdirFlag = process.argv.indexOf('--outdir');
const dist = outdirFlag > 0 ? path.resolve(process.argv[outdirFlag + 1]) : path.join(root, 'dist');
const zodGlobalsModule = path.join(root, 'build', 'zod-globals.ts');

/**
 * zod keeps its settings and its schema-metadata registry on `globalThis`
 * (`__zod_globalConfig`, `__zod_globalRegistry`) so that several copies of
 * zod loaded in one process share them. n8n's scanner forbids `globalThis`
 * in a community package, and sharing is not wanted here anyway: the zod in
 * this bundle is private to it. Nothing outside the bundle can configure it
 * or read its registry, and inside the bundle every zod module reaches them
 * through this one object, so a module-local object behaves exactly like
 * the global one does for a single copy of zod, and settings do not leak
 * between our bundle and other nodes' zod copies in the same n8n process.
 *
 * The same object switches zod's JIT off (`jitless`), and zod's only use of
 * the Function constructor (`const F = Function;`, for that JIT) is pointed
 * at a stand-in that throws: n8n does not allow community nodes to generate
 * code at run time. The interpreter gives the same results. See
 * zod-globals.ts; the dist test proves no reference to either global is left.
 */
const ZOD_GLOBALS = '__modelartsZodGlobals';
const NO_CODE_GENERATION = '__modelartsNoCodeGeneration';
const zodPrivateGlobals = {
  name: 'zod-private-globals',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/].*\.(c|m)?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const usesGlobals = /\bglobalThis\b/.test(source);
      const usesFunctionConstructor = source.includes('const F = Function;');
      if (!usesGlobals && !usesFunctionConstructor) return undefined;
      const contents = source
        .replace(/\bglobalThis\b/g, ZOD_GLOBALS)
        .replaceAll('const F = Function;', `const F = ${NO_CODE_GENERATION};`);
      return {
        contents: `import { ${ZOD_GLOBALS}, ${NO_CODE_GENERATION} } from ${JSON.stringify(zodGlobalsModule)};\n${contents}`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/**
 * The client's core entry point is bundled from its TypeScript sources, not
 * from its built dist: its dist merges modules into shared chunks, which
 * keeps zod and the whole client in the credential's bundle although the
 * credential only needs the signer. From the sources (the client declares
 * `sideEffects: false`) each bundle gets only the modules it uses.
 */
const clientPackage = createRequire(import.meta.url).resolve('@modelarts-kit/client/package.json');
const clientCoreSource = path.join(path.dirname(clientPackage), 'src', 'core.ts');
const clientFromSource = {
  name: 'client-from-source',
  setup(builder) {
    builder.onResolve({ filter: /^@modelarts-kit\/client\/core$/ }, () => ({ path: clientCoreSource }));
    builder.onResolve({ filter: /^@modelarts-kit\/client(\/.*)?$/ }, (args) => ({
      errors: [{ text: `${args.path}: import from @modelarts-kit/client/core, the entry point without Node.js defaults` }],
    }));
  },
};

await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    'nodes/ModelArts/ModelArts.node': 'nodes/ModelArts/ModelArts.node.ts',
    'credentials/ModelArtsApi.credentials': 'credentials/ModelArtsApi.credentials.ts',
  },
  outdir: dist,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['n8n-workflow'],
  plugins: [clientFromSource, zodPrivateGlobals],
  treeShaking: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

for (const file of ['ModelArts.node.json', 'modelarts.svg', 'modelarts.dark.svg']) {
  await cp(path.join(root, 'nodes', 'ModelArts', file), path.join(dist, 'nodes', 'ModelArts', file));
}

const sizes = Object.entries(result.metafile.outputs).map(([file, { bytes }]) => `${path.relative(dist, path.resolve(root, file))} ${(bytes / 1024).toFixed(1)} KiB`);
console.log(`built into ${path.relative(root, dist) || '.'}: ${sizes.join(', ')}`);
