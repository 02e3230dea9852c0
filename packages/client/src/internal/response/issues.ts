import type { $ZodIssue } from 'zod/v4/core';

/** `images_tags[3].tags[0].pos` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** `images_tags[3].tags` and the zod path `[0, 'pos']`: `images_tags[3].tags[0].pos`. */
export function pathUnder(base: string, path: readonly PropertyKey[]): string {
  const rest = formatPath(path);
  return rest === '' || rest.startsWith('[') ? base + rest : `${base}.${rest}`;
}

/**
 * The most specific issue: inside a failed union, the branch that got
 * furthest names the field that is actually wrong.
 */
export function mostSpecificIssue(issues: readonly $ZodIssue[]): { path: PropertyKey[]; message: string } {
  let best: { path: PropertyKey[]; message: string } = { path: [], message: 'invalid value' };
  let bestDepth = -1;
  const visit = (issue: $ZodIssue, prefix: PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const branch of issue.errors) for (const inner of branch) visit(inner, path);
      return;
    }
    if (path.length > bestDepth) {
      bestDepth = path.length;
      best = { path, message: issue.message };
    }
  };
  for (const issue of issues) visit(issue, []);
  return best;
}
