/**
 * Stands for `globalThis` inside the zod bundled into this package (see
 * tsup.config.ts): zod's settings and schema registry live here, private to
 * the bundle, so they are never shared with the user's own zod, and the
 * package references no `globalThis`. zod's JIT stays on (no `jitless`):
 * this package may generate code, unlike the n8n node.
 */
export const __modelartsZodGlobals: Record<string, unknown> = {
  __zod_globalConfig: {},
};
