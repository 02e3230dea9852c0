import type { output } from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import { InvalidResponseError, UnsuccessfulResponseError } from './errors.js';
import { formatPath, mostSpecificIssue, pathUnder } from './issues.js';
import type { WireSchemas } from './schemas.js';
import { validation } from './validation.js';

export type JobType = 'classification' | 'detection';

export interface ClassificationImageTags {
  type: 'classification';
  imageId: string;
  /** Tag names. */
  tags: string[];
  /** Fields the service sent that this client does not model, kept as they came. */
  extra: Record<string, unknown>;
}

export interface BoundingBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface DetectionBox {
  tag: string;
  /** In pixels; corners are ordered so that min <= max. */
  box: BoundingBox;
  extra: Record<string, unknown>;
}

export interface ImageSize {
  width: number;
  height: number;
  depth?: number;
}

export interface DetectionImageTags {
  type: 'detection';
  imageId: string;
  tags: DetectionBox[];
  size?: ImageSize;
  extra: Record<string, unknown>;
}

export type ImageTags = ClassificationImageTags | DetectionImageTags;

interface ResponseMeta {
  status: number;
  requestId?: string | undefined;
}

/**
 * Parses and validates one tags/show body into typed entries, in the order
 * the service sent them, keeping the first entry when an ID repeats.
 * loadValidation() must have finished.
 */
export function parseShowImageTagsBody(text: string, meta: ResponseMeta): ImageTags[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(text.trim() === '' ? 'the body is empty' : 'the body is not valid JSON', {
      ...meta,
      truncated: looksTruncated(text),
    });
  }
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

type WireResponse = output<WireSchemas['response']>;
type WireEntry = NonNullable<WireResponse['images_tags']>[number];

/**
 * Checks the body against the spec: the envelope, then each entry against
 * the one shape its content points to, so that a detection entry is not
 * first tried, and failed, as classification. An entry that passes its
 * shape passes the spec's union of both. Only a body that fails is checked
 * again, the long way.
 */
function checkBody(json: unknown, meta: ResponseMeta): WireResponse {
  const { compiled, options } = validation();
  const envelope = compiled.envelope.safeParse(json, options);
  if (envelope.success) {
    const entries = checkEntries(envelope.data.images_tags ?? []);
    if (entries) return { ...envelope.data, images_tags: entries };
  }
  return checkBodyAsUnion(json, meta);
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

function toImageTags(entry: WireEntry, index: number, meta: ResponseMeta): ImageTags {
  const { image_id: imageId, tags, size, ...extra } = entry as WireEntry & { size?: number[] };
  let wireTags: unknown = tags;
  if (typeof tags === 'string') {
    try {
      wireTags = JSON.parse(tags);
    } catch {
      throw new InvalidResponseError('tags is a string that does not hold a JSON array', { ...meta, path: `${entryPath(index)}.tags` });
    }
    const { compiled, options } = validation();
    const boxes = compiled.detectionTags.safeParse(wireTags, options);
    if (!boxes.success) {
      const issue = mostSpecificIssue(boxes.error.issues);
      throw new InvalidResponseError(issue.message, { ...meta, path: pathUnder(`${entryPath(index)}.tags`, issue.path) });
    }
    wireTags = boxes.data;
  }
  assertShallow(extra, index, undefined, meta);
  const list = wireTags as unknown[];
  const isDetection = size !== undefined || list.some((tag) => typeof tag === 'object');
  if (!isDetection) {
    return { type: 'classification', imageId, tags: list as string[], extra };
  }
  // An untagged entry passes as classification, which does not check `size`.
  const { compiled, options } = validation();
  const checkedSize = compiled.size.safeParse(size, options);
  if (!checkedSize.success) {
    const issue = mostSpecificIssue(checkedSize.error.issues);
    throw new InvalidResponseError(issue.message, { ...meta, path: pathUnder(`${entryPath(index)}.size`, issue.path) });
  }
  const boxes: DetectionBox[] = [];
  for (let j = 0; j < list.length; j++) {
    const tag = list[j];
    if (typeof tag !== 'object' || tag === null) {
      throw new InvalidResponseError('a detection tag must be an object with tag and pos', {
        ...meta,
        path: `${entryPath(index)}.tags[${j}]`,
      });
    }
    const box = toDetectionBox(tag as output<WireSchemas['detectionTag']>);
    assertShallow(box.extra, index, j, meta);
    boxes.push(box);
  }
  const image: DetectionImageTags = { type: 'detection', imageId, tags: boxes, extra };
  if (size) {
    image.size = { width: size[0]!, height: size[1]! };
    if (size.length > 2) image.size.depth = size[2]!;
  }
  return image;
}

function toDetectionBox(wire: output<WireSchemas['detectionTag']>): DetectionBox {
  const { tag, pos, ...extra } = wire;
  const [x1, y1, x2, y2] = pos as [number, number, number, number];
  return {
    tag,
    box: { xmin: Math.min(x1, x2), ymin: Math.min(y1, y2), xmax: Math.max(x1, x2), ymax: Math.max(y1, y2) },
    extra,
  };
}

/**
 * An image with no tags and no size looks like classification even in a
 * detection job. Once any entry reveals the job type, such images take it.
 */
export function retypeAmbiguous(images: ImageTags[]): ImageTags[] {
  if (jobTypeOf(images) !== 'detection') return images;
  for (let i = 0; i < images.length; i++) {
    const image = images[i]!;
    if (image.type === 'classification' && image.tags.length === 0) {
      images[i] = { type: 'detection', imageId: image.imageId, tags: [], extra: image.extra };
    }
  }
  return images;
}

export function jobTypeOf(images: readonly ImageTags[]): JobType | 'unknown' {
  let sawClassification = false;
  for (const image of images) {
    if (image.type === 'detection') return 'detection';
    if (image.tags.length > 0) sawClassification = true;
  }
  return sawClassification ? 'classification' : 'unknown';
}

/** Deeper than any real response; JSON.stringify (n8n storing output, the CLI) overflows the stack some thousands deep. */
const MAX_EXTRA_DEPTH = 256;

/** Unknown fields are kept as they came, but not nested beyond MAX_EXTRA_DEPTH. Iterative, so a hostile depth cannot overflow the stack here. */
function assertShallow(extra: Record<string, unknown>, index: number, boxIndex: number | undefined, meta: ResponseMeta): void {
  // The usual case, no unknown fields, allocates nothing.
  for (const key in extra) {
    let level: unknown[] = [extra[key]];
    for (let depth = 0; level.length > 0; depth++) {
      if (depth > MAX_EXTRA_DEPTH) {
        const owner = boxIndex === undefined ? entryPath(index) : `${entryPath(index)}.tags[${boxIndex}]`;
        throw new InvalidResponseError(`the unknown field nests deeper than ${MAX_EXTRA_DEPTH} levels`, { ...meta, path: `${owner}.${key}` });
      }
      const next: unknown[] = [];
      for (const node of level) {
        if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) next.push(child);
      }
      level = next;
    }
  }
}

/** `images_tags[3]`, built only for an error. */
function entryPath(index: number): string {
  return `images_tags[${index}]`;
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
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return inString || depth > 0;
}
