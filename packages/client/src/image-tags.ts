import type { output } from 'zod';
import { InvalidResponseError, UnsuccessfulResponseError } from './errors.js';
import {
  formatPath,
  mostSpecificIssue,
  wireDetectionTag,
  wireDetectionTagArray,
  wireShowImageTagsResponse,
} from './schemas.js';

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
  const parsed = wireShowImageTagsResponse.safeParse(json);
  if (!parsed.success) {
    const issue = mostSpecificIssue(parsed.error.issues);
    throw new InvalidResponseError(issue.message, { ...meta, path: formatPath(issue.path) });
  }
  const body = parsed.data;
  if (!body.is_success) {
    throw new UnsuccessfulResponseError({ ...meta, errorCode: body.error_code, errorMsg: body.error_msg });
  }
  const entries = body.images_tags ?? [];
  const images: ImageTags[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (seen.has(entry.image_id)) continue;
    seen.add(entry.image_id);
    images.push(toImageTags(entry, `images_tags[${i}]`, meta));
  }
  return retypeAmbiguous(images);
}

type WireEntry = NonNullable<output<typeof wireShowImageTagsResponse>['images_tags']>[number];

function toImageTags(entry: WireEntry, path: string, meta: ResponseMeta): ImageTags {
  const { image_id: imageId, tags, size, ...extra } = entry as WireEntry & { size?: number[] };
  let wireTags: unknown = tags;
  if (typeof tags === 'string') {
    try {
      wireTags = JSON.parse(tags);
    } catch {
      throw new InvalidResponseError('tags is a string that does not hold a JSON array', { ...meta, path: `${path}.tags` });
    }
    const boxes = wireDetectionTagArray.safeParse(wireTags);
    if (!boxes.success) {
      const issue = mostSpecificIssue(boxes.error.issues);
      throw new InvalidResponseError(issue.message, { ...meta, path: `${path}.tags${formatPath(issue.path).replace(/^(?=[^[])/, '.')}` });
    }
    wireTags = boxes.data;
  }
  const list = wireTags as unknown[];
  const isDetection = size !== undefined || list.some((tag) => typeof tag === 'object');
  if (!isDetection) {
    return { type: 'classification', imageId, tags: list as string[], extra };
  }
  const boxes: DetectionBox[] = [];
  for (let j = 0; j < list.length; j++) {
    const tag = list[j];
    if (typeof tag !== 'object' || tag === null) {
      throw new InvalidResponseError('a detection tag must be an object with tag and pos', {
        ...meta,
        path: `${path}.tags[${j}]`,
      });
    }
    boxes.push(toDetectionBox(tag as output<typeof wireDetectionTag>));
  }
  const image: DetectionImageTags = { type: 'detection', imageId, tags: boxes, extra };
  if (size) {
    image.size = { width: size[0]!, height: size[1]! };
    if (size.length > 2) image.size.depth = size[2]!;
  }
  return image;
}

function toDetectionBox(wire: output<typeof wireDetectionTag>): DetectionBox {
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

/** A cut-off JSON document: it opened an object or array and never closed it. */
function looksTruncated(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.startsWith('{') && !trimmed.endsWith('}');
}
