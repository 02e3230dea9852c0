import type { output } from 'zod/mini';
import { InvalidResponseError } from '../../core/errors.js';
import type { DetectionBox, DetectionImageTags, ImageTags, JobType } from '../../core/image-tags.js';
import { mostSpecificIssue, pathUnder } from './issues.js';
import type { WireSchemas } from './schemas.js';
import { validation } from './validation.js';

/** From a checked wire entry to the client's ImageTags: detection or classification, corners ordered, unknown fields kept. */

export interface ResponseMeta {
  status: number;
  requestId?: string | undefined;
}

export type WireEntry = NonNullable<output<WireSchemas['response']>['images_tags']>[number];

export function toImageTags(entry: WireEntry, index: number, meta: ResponseMeta): ImageTags {
  const { image_id: imageId, tags, size } = entry as WireEntry & { size?: number[] };
  const extra = fieldsOtherThan(entry, 'image_id', 'tags', 'size');
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
  const isDetection = size !== undefined || (list.length > 0 && list.some((tag) => typeof tag === 'object'));
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
  const pos = wire.pos as [number, number, number, number];
  const x1 = pos[0];
  const y1 = pos[1];
  const x2 = pos[2];
  const y2 = pos[3];
  return {
    tag: wire.tag,
    box: { xmin: Math.min(x1, x2), ymin: Math.min(y1, y2), xmax: Math.max(x1, x2), ymax: Math.max(y1, y2) },
    extra: fieldsOtherThan(wire, 'tag', 'pos'),
  };
}

/**
 * What `const { a, b, ...rest } = value` gives as rest (own enumerable
 * fields, an own `__proto__` field kept as a field), without the generic
 * copy the spread costs per entry and per box.
 */
function fieldsOtherThan(value: object, a: string, b: string, c?: string): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key in value) {
    if (key === a || key === b || key === c || !Object.hasOwn(value, key)) continue;
    const field = (value as Record<string, unknown>)[key];
    if (key === '__proto__') Object.defineProperty(extra, key, { value: field, enumerable: true, writable: true, configurable: true });
    else extra[key] = field;
  }
  return extra;
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
        throw new InvalidResponseError(`the unknown field nests deeper than ${MAX_EXTRA_DEPTH} levels`, {
          ...meta,
          path: `${owner}.${key}`,
        });
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
