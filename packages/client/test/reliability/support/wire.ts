import fc from 'fast-check';
import type { DetectionBox, ImageTags } from '../../../src/core/image-tags.js';

/** Wire shapes as the service sends them (the OpenAPI document's ShowImageTagsResponse). */
export interface WireDetectionTag {
  tag: string;
  pos: number[];
  [extra: string]: unknown;
}
export interface WireEntry {
  image_id: string;
  tags: string[] | WireDetectionTag[] | string;
  size?: number[];
  [extra: string]: unknown;
}
export interface WireResponse {
  is_success: boolean;
  error_code?: string;
  error_msg?: string;
  images_tags?: WireEntry[];
  [extra: string]: unknown;
}
export type JobKind = 'classification' | 'detection';

const ENTRY_FIELDS = new Set(['image_id', 'tags', 'size']);
const TAG_FIELDS = new Set(['tag', 'pos']);
const RESPONSE_FIELDS = new Set(['is_success', 'error_code', 'error_msg', 'images_tags']);

/** Any text, including astral-plane characters, combining marks and controls. */
export const anyText = fc.string({ unit: 'grapheme', maxLength: 24 });
export const imageIdArb = fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }));
/** Pixel coordinates: any finite double, negative and huge ones included. */
const coordinate = fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const dimension = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constant(Number.MAX_SAFE_INTEGER));

/** Unknown fields the service may add: kept, never a failure. `__proto__` is left to its own test. */
function extraFields(reserved: ReadonlySet<string>): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !reserved.has(k) && k !== '__proto__');
  return fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3, noNullPrototype: true });
}

export const classificationEntryArb: fc.Arbitrary<WireEntry> = fc
  .record({ image_id: imageIdArb, tags: fc.array(anyText, { maxLength: 6 }), extra: extraFields(ENTRY_FIELDS) })
  .map(({ image_id, tags, extra }) => ({ ...extra, image_id, tags }));

export const detectionTagArb: fc.Arbitrary<WireDetectionTag> = fc
  .record({ tag: anyText, pos: fc.tuple(coordinate, coordinate, coordinate, coordinate), extra: extraFields(TAG_FIELDS) })
  .map(({ tag, pos, extra }) => ({ ...extra, tag, pos: [...pos] }));

export const detectionEntryArb: fc.Arbitrary<WireEntry> = fc
  .record(
    {
      image_id: imageIdArb,
      tags: fc.array(detectionTagArb, { maxLength: 5 }),
      // The docs type `tags` as a string in one table: some deployments send the JSON array as a string.
      asString: fc.boolean(),
      size: fc.option(fc.oneof(fc.tuple(dimension, dimension), fc.tuple(dimension, dimension, fc.integer({ min: 0, max: 4 }))), {
        nil: undefined,
      }),
      extra: extraFields(ENTRY_FIELDS),
    },
    { requiredKeys: ['image_id', 'tags', 'asString', 'extra'] },
  )
  .map(({ image_id, tags, asString, size, extra }) => {
    const entry: WireEntry = { ...extra, image_id, tags: asString ? JSON.stringify(tags) : tags };
    if (size !== undefined) entry.size = [...size];
    return entry;
  });

/** A successful response of one job, with repeated IDs now and then (the first one counts). */
export function successArb(kind: JobKind): fc.Arbitrary<WireResponse> {
  const entry = kind === 'classification' ? classificationEntryArb : detectionEntryArb;
  return fc
    .record({
      entries: fc.array(entry, { maxLength: 6 }),
      repeats: fc.array(fc.nat(), { maxLength: 2 }),
      extra: extraFields(RESPONSE_FIELDS),
      omitList: fc.boolean(),
    })
    .map(({ entries, repeats, extra, omitList }) => {
      const withRepeats = [...entries];
      if (entries.length > 0) {
        for (const r of repeats) withRepeats.push({ ...entries[r % entries.length]!, tags: [] });
      }
      const response: WireResponse = { ...extra, is_success: true };
      if (withRepeats.length > 0 || !omitList) response.images_tags = withRepeats;
      return response;
    });
}

export const anySuccessArb = fc.oneof(successArb('classification'), successArb('detection'));

/** What the client must make of a valid response: the oracle, written from the docs' rules. */
export function expectedImages(response: WireResponse): ImageTags[] {
  const seen = new Set<string>();
  const images: ImageTags[] = [];
  for (const entry of response.images_tags ?? []) {
    if (seen.has(entry.image_id)) continue;
    seen.add(entry.image_id);
    const { image_id: imageId, tags, size, ...extra } = entry;
    const list = (typeof tags === 'string' ? JSON.parse(tags) : tags) as unknown[];
    const detection = size !== undefined || list.some((t) => typeof t === 'object');
    if (!detection) {
      images.push({ type: 'classification', imageId, tags: list as string[], extra });
      continue;
    }
    const boxes: DetectionBox[] = (list as WireDetectionTag[]).map(({ tag, pos, ...tagExtra }) => {
      const [x1, y1, x2, y2] = pos as [number, number, number, number];
      return {
        tag,
        box: { xmin: Math.min(x1, x2), ymin: Math.min(y1, y2), xmax: Math.max(x1, x2), ymax: Math.max(y1, y2) },
        extra: tagExtra,
      };
    });
    const image: ImageTags = { type: 'detection', imageId, tags: boxes, extra };
    if (size !== undefined) {
      image.size = { width: size[0]!, height: size[1]! };
      if (size.length > 2) image.size.depth = size[2]!;
    }
    images.push(image);
  }
  // An untagged image without a size takes the type the other images reveal.
  if (images.some((i) => i.type === 'detection')) {
    return images.map((i) =>
      i.type === 'classification' && i.tags.length === 0 ? { type: 'detection', imageId: i.imageId, tags: [], extra: i.extra } : i,
    );
  }
  return images;
}

/** JSON numbers round-trip -0 as 0; compare what a consumer would see on the wire. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
