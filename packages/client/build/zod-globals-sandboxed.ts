/**
 * Stand-ins for two globals inside the zod bundled into the sandboxed core
 * build (dist/sandboxed/core.js, see tsup.config.ts), which the n8n node uses.
 *
 * `__modelartsZodGlobals` replaces `globalThis`: zod's config and schema
 * registry live here, private to the bundle. `jitless` keeps zod on its
 * interpreter instead of compiling parsers.
 *
 * `__modelartsNoCodeGeneration` replaces the Function constructor that zod's
 * compiler would use: hosts such as n8n do not allow generating code at
 * run time. With `jitless` zod never calls it; if it ever did, it fails
 * loudly here instead of evaluating a string.
 */
export const __modelartsZodGlobals: Record<string, unknown> = {
  __zod_globalConfig: { jitless: true },
};

export function __modelartsNoCodeGeneration(): never {
  throw new Error('Code generation is disabled in the sandboxed core build: zod runs without its JIT compiler');
}
