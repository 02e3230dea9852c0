import { array, boolean, looseObject, number, object, string, union, unknown } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';

/**
 * The wire shapes of the OpenAPI document, as runtime validators. A
 * type-level test (schemas.test-d.ts) proves they describe the same shapes
 * as the generated types, so the spec, the types and these cannot drift.
 * Objects are loose: fields the service adds later are kept, never rejected.
 */
export const wireShowImageTagsRequest = object({
  image_id: array(string().min(1).max(1024)).min(1),
});

export const wireDetectionTag = looseObject({
  tag: string(),
  pos: array(number()).length(4),
});

export const wireClassificationImageTags = looseObject({
  image_id: string(),
  tags: array(string()),
});

export const wireDetectionImageTags = looseObject({
  image_id: string(),
  // The docs type this as a string in one table and as a list in another; accept both.
  tags: union([array(wireDetectionTag), string()]),
  size: array(number().int().nonnegative()).min(2).max(3).optional(),
});

export const wireImageTags = union([wireClassificationImageTags, wireDetectionImageTags]);

const responseFields = {
  is_success: boolean(),
  error_code: string().optional(),
  error_msg: string().optional(),
};

export const wireShowImageTagsResponse = looseObject({
  ...responseFields,
  images_tags: array(wireImageTags).optional(),
});

/**
 * The response with its entries left unchecked, for checking each entry
 * against the one shape its content points to (see image-tags.ts) instead
 * of trying both shapes of the union in turn.
 */
export const wireShowImageTagsEnvelope = looseObject({
  ...responseFields,
  images_tags: array(unknown()).optional(),
});

export const wireErrorBody = looseObject({
  error_code: string(),
  error_msg: string(),
});

/** Used where a tags string has been parsed: it must hold the boxes. */
export const wireDetectionTagArray = array(wireDetectionTag);

/** `images_tags[3].tags[0].pos` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
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
