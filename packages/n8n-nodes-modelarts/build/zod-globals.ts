/**
 * Stands in for `globalThis` inside the zod bundled into this package (see
 * tsup.config.ts): zod's config and schema registry live here, private to
 * the bundle. `jitless` keeps zod from compiling parsers with the Function
 * constructor.
 */
export const __modelartsZodGlobals: Record<string, unknown> = {
	__zod_globalConfig: { jitless: true },
};
