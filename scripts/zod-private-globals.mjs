// An esbuild plugin for packages that bundle their own copy of zod (the client's tsup build and the
// n8n node's esbuild build both use it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** What the globals module must export in place of `globalThis`. */
export const ZOD_GLOBALS = '__modelartsZodGlobals';
/** What it must export in place of the Function constructor, when code generation is forbidden. */
export const NO_CODE_GENERATION = '__modelartsNoCodeGeneration';

/**
 * zod keeps its settings and its schema-metadata registry on `globalThis`
 * (`__zod_globalConfig`, `__zod_globalRegistry`) so that several copies of
 * zod loaded in one process share them. A bundled zod is private to its
 * bundle: nothing outside can configure it or read its registry, and it must
 * not share settings with the user's own zod (or another bundle's) in the
 * same process. This plugin points every `globalThis` in zod's modules at
 * one object exported by `globalsModule`; inside the bundle every zod module
 * reaches them through it, so a module-local object behaves exactly like the
 * global one does for a single copy of zod. The bundle then references no
 * `globalThis` at all.
 *
 * With `forbidCodeGeneration`, zod's uses of the Function constructor
 * (`const F = Function;`, for its JIT and compiler) are pointed at a
 * stand-in that `globalsModule` exports, which must throw: for hosts that do
 * not allow generating code at run time (n8n). The globals module should
 * then also set zod's `jitless`, so that zod never calls it.
 *
 * @param {{ globalsModule: string, forbidCodeGeneration?: boolean }} options
 *   globalsModule: absolute path of the module exporting `__modelartsZodGlobals`
 *   (and `__modelartsNoCodeGeneration` with forbidCodeGeneration)
 * @returns {import('esbuild').Plugin}
 */
export function zodPrivateGlobals({ globalsModule, forbidCodeGeneration = false }) {
  if (!path.isAbsolute(globalsModule)) throw new Error(`zodPrivateGlobals: globalsModule must be an absolute path, got ${globalsModule}`);
  const imports = forbidCodeGeneration ? `${ZOD_GLOBALS}, ${NO_CODE_GENERATION}` : ZOD_GLOBALS;
  return {
    name: 'zod-private-globals',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/].*\.(c|m)?js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const usesGlobals = /\bglobalThis\b/.test(source);
        const usesFunctionConstructor = forbidCodeGeneration && source.includes('const F = Function;');
        if (!usesGlobals && !usesFunctionConstructor) return undefined;
        let contents = source.replace(/\bglobalThis\b/g, ZOD_GLOBALS);
        if (forbidCodeGeneration) contents = contents.replaceAll('const F = Function;', `const F = ${NO_CODE_GENERATION};`);
        return {
          contents: `import { ${imports} } from ${JSON.stringify(globalsModule)};\n${contents}`,
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}
