import type { output } from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import { InvalidResponseError, UnsuccessfulResponseError } from '../../core/errors.js';
import type { ImageTags } from '../../core/image-tags.js';
import { passesFastCheck } from './fast-check.js';
import { formatPath, mostSpecificIssue, pathUnder } from './issues.js';
import type { WireSchemas } from './schemas.js';
import { retypeAmbiguous, toImageTags, type WireEntry } from './to-image-tags.js';
import { validation } from './validation.js';

import type { ResponseMeta } from './to-image-tags.js';

/**
 * Parses and validates one tags/show body into typed entries, in the order
 * the service sent them, keeping the first entry when an ID repeats.
 * loadValidation() must have finished.
 */
export function parseShowImageTagsBody(text: string, meta: ResponseMeta): ImageTags[] {
  const json = parseJson(text, meta);
  const body = checkBody(json, meta);
  if (!body.is_success) {
    throw new UnsuccessfulResponseError({ ...meta, errorCode: body.error_code, errorMsg: body.error_msg });
  }
  const entries = body.images_tags ?? [];
  const images: ImageTags[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    // Every entry is checked, a repeated one too: a malformed body is malformed wherever it is.
    const image = toImageTags(entry, i, meta);
    if (seen.has(entry.image_id)) continue;
    seen.add(entry.image_id);
    images.push(image);
  }
  return retypeAmbiguous(images);
}

/** The body as JSON; an InvalidResponseError (marked truncated when it was cut off) when it is not. */
export function parseJson(text: string, meta: ResponseMeta): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidResponseError(text.trim() === '' ? 'the body is empty' : 'the body is not valid JSON', {
      ...meta,
      truncated: looksTruncated(text),
    });
  }
}

type WireResponse = output<WireSchemas['response']>;

/**
 * Checks the body against the spec: the envelope, then each entry against
 * the one shape its content points to, so that a detection entry is not
 * first tried, and failed, as classification. An entry that passes its
 * shape passes the spec's union of both. Only a body that fails is checked
 * again, the long way.
 */
function checkBody(json: unknown, meta: ResponseMeta): WireResponse {
  // The hand-written check accepts exactly what checkByShape accepts (fast-check.test.ts), without copying the body.
  if (passesFastCheck(json)) return json as WireResponse;
  return checkByShape(json) ?? checkBodyAsUnion(json, meta);
}

/** The envelope, then each entry against its shape, by zod's compiled checks; undefined when the body fails. */
export function checkByShape(json: unknown): WireResponse | undefined {
  const { compiled, options } = validation();
  const envelope = compiled.envelope.safeParse(json, options);
  if (!envelope.success) return undefined;
  const entries = checkEntries(envelope.data.images_tags ?? []);
  return entries && { ...envelope.data, images_tags: entries };
}

/** Each entry checked against its shape; undefined at the first that fails. */
function checkEntries(list: readonly unknown[]): WireEntry[] | undefined {
  const { options } = validation();
  const entries: WireEntry[] = new Array(list.length);
  try {
    for (let i = 0; i < list.length; i++) {
      const checked = shapeOf(list[i]).safeParse(list[i], options);
      if (!checked.success) return undefined;
      entries[i] = checked.data;
    }
  } catch (error) {
    if (error instanceof RangeError) return undefined; // see withinStack
    throw error;
  }
  return entries;
}

/**
 * The check of a body that failed, with the errors of checking the whole
 * body against the response schema: the same issues in the same
 * order (the envelope's fields, then each entry against the union of both
 * shapes), so the error names the same field. An entry can fail its shape
 * and pass the union (an untagged entry with a bad `size` passes as
 * classification); toImageTags then reports it, as it always has.
 */
function checkBodyAsUnion(json: unknown, meta: ResponseMeta): WireResponse {
  const { schemas, options } = validation();
  const issues: $ZodIssue[] = [];
  const envelope = schemas.envelope.safeParse(json, options);
  if (!envelope.success) issues.push(...envelope.error.issues);
  const list = isRecord(json) && Array.isArray(json.images_tags) ? (json.images_tags as unknown[]) : [];
  const entries: WireEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    const checked = withinStack(() => shapeOf(entry).safeParse(entry, options));
    if (checked?.success) {
      entries.push(checked.data);
      continue;
    }
    // Where the union's issues are too many, those of the shape the content points to: what entryIssue reports for a failed union.
    const either = withinStack(() => schemas.entry.safeParse(entry, options)) ?? checked;
    if (!either) tooManyIssues(entry, `images_tags[${i}]`, meta);
    if (either.success) entries.push(either.data);
    else for (const issue of either.error.issues) issues.push({ ...issue, path: ['images_tags', i, ...issue.path] });
  }
  if (!envelope.success || issues.length > 0) {
    const issue = entryIssue(json, issues) ?? mostSpecificIssue(issues);
    throw new InvalidResponseError(issue.message, { ...meta, path: formatPath(issue.path) });
  }
  return { ...envelope.data, images_tags: entries };
}

/**
 * zod's interpreter copies issue lists with a spread, which runs out of
 * stack at some hundred thousand issues (an entry with a huge list of wrong
 * tags). Such a check gives undefined here instead of a RangeError.
 */
function withinStack<T>(check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * An entry whose check ran out of stack. Only `tags` can hold that many
 * values: checked alone, its issues are not copied into the entry's, so the
 * error can still name the first wrong value.
 */
function tooManyIssues(entry: unknown, path: string, meta: ResponseMeta): never {
  const { options } = validation();
  const tags = isRecord(entry) ? withinStack(() => shapeOf(entry).shape.tags.safeParse(entry.tags, options)) : undefined;
  if (tags && !tags.success) {
    const issue = mostSpecificIssue(tags.error.issues);
    throw new InvalidResponseError(issue.message, { ...meta, path: pathUnder(`${path}.tags`, issue.path) });
  }
  throw new InvalidResponseError('the entry holds too many invalid values to list them', { ...meta, path });
}

/** The entry shape to check an entry against, by its content. */
function shapeOf(entry: unknown): WireSchemas['classificationEntry'] | WireSchemas['detectionEntry'] {
  const { compiled } = validation();
  return isRecord(entry) && looksLikeDetection(entry) ? compiled.detectionEntry : compiled.classificationEntry;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * When a union of entry shapes fails, the deepest issue can come from the
 * wrong shape (a classification entry without `image_id` reported at
 * `tags[0]`, "expected object"). Re-check the failing entry against the
 * shape its content points to, so the error names the field that is wrong.
 */
function entryIssue(json: unknown, issues: readonly $ZodIssue[]): { path: PropertyKey[]; message: string } | undefined {
  const first = issues[0];
  if (first?.path[0] !== 'images_tags' || typeof first.path[1] !== 'number' || first.path.length !== 2) return undefined;
  const entry = (json as { images_tags: unknown[] }).images_tags[first.path[1]];
  if (!isRecord(entry)) return undefined;
  const checked = shapeOf(entry).safeParse(entry, validation().options);
  if (checked.success) return undefined;
  const issue = mostSpecificIssue(checked.error.issues);
  return { path: [...first.path, ...issue.path], message: issue.message };
}

/** The same evidence toImageTags uses: a size, tags sent as a string, or a tag that is an object. */
function looksLikeDetection(entry: Record<string, unknown>): boolean {
  const { tags } = entry;
  return (
    entry.size !== undefined ||
    typeof tags === 'string' ||
    (Array.isArray(tags) && tags.some((tag) => typeof tag === 'object' && tag !== null && !Array.isArray(tag)))
  );
}

/** A cut-off JSON document: an object, array or string it opened is still open at the end. */
function looksTruncated(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return inString || depth > 0;
}
