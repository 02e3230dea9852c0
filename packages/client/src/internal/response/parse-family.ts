import type { output, ZodMiniType } from 'zod/mini';
import { InvalidResponseError, UnsuccessfulResponseError } from '../../core/errors.js';
import { formatPath, mostSpecificIssue } from './issues.js';
import { parseJson } from './parse-body.js';
import type { FamilySchemas } from './family-schemas.js';
import type { ResponseMeta } from './to-image-tags.js';
import { validation } from './validation.js';

/**
 * Parses the body of one of the family's operations: JSON, then
 * `is_success` (false is an UnsuccessfulResponseError whatever else the body
 * holds), then the operation's zod schema, whose most specific issue names
 * the field that is wrong. loadValidation() must have finished.
 */
export function parseFamilyBody<S extends ZodMiniType>(text: string, meta: ResponseMeta, pick: (schemas: FamilySchemas) => S): output<S> {
  const json = parseJson(text, meta);
  const { family, options } = validation();
  const status = family.resultStatus.safeParse(json, options);
  if (status.success && !status.data.is_success) {
    throw new UnsuccessfulResponseError({ ...meta, errorCode: status.data.error_code, errorMsg: status.data.error_msg });
  }
  const parsed = pick(family).safeParse(json, options);
  if (!parsed.success) {
    const issue = mostSpecificIssue(parsed.error.issues);
    throw new InvalidResponseError(issue.message, { ...meta, path: formatPath(issue.path) });
  }
  return parsed.data as output<S>;
}
