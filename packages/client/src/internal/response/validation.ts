import type { Validation } from './schemas.js';

let built: Validation | undefined;
let loading: Promise<Validation> | undefined;

/**
 * Loads zod and builds the schemas, once, when the first response arrives:
 * importing the package then does not load or compile zod at all, which is
 * a good part of its import time. The HTTP layer awaits this before it
 * parses a body; callers of the parser must too.
 */
export function loadValidation(): Promise<Validation> {
  loading ??= import('./schemas.js').then(({ buildValidation }) => {
    built = buildValidation();
    return built;
  });
  return loading;
}

/** True once loadValidation() has finished: no await is needed then. */
export function validationLoaded(): boolean {
  return built !== undefined;
}

/** The schemas; loadValidation() must have finished. */
export function validation(): Validation {
  if (built === undefined) throw new Error('The response schemas are not loaded: await loadValidation() first');
  return built;
}
