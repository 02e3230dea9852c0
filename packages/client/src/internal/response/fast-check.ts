/**
 * The hot path's check of a tags/show body, written out by hand: it
 * accepts a body only when the zod schemas accept it (fast-check.test.ts
 * proves that over generated bodies, valid and invalid). It never explains
 * a rejection: a body it refuses goes through zod, which finds the issue
 * and words the message. Loose objects, as in the schemas: unknown fields
 * pass as they are.
 */

/** True only when the envelope and every entry pass the schemas, each entry checked against the shape its content points to. */
export function passesFastCheck(json: unknown): boolean {
  if (!isRecord(json)) return false;
  if (typeof json.is_success !== 'boolean') return false;
  if (!optionalString(json.error_code) || !optionalString(json.error_msg)) return false;
  const list = json.images_tags;
  if (list === undefined) return true;
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) if (!entryPasses(list[i])) return false;
  return true;
}

/** One entry against the shape its content points to (the same choice as parse-body's shapeOf). */
export function entryPasses(entry: unknown): boolean {
  if (!isRecord(entry) || typeof entry.image_id !== 'string') return false;
  const { tags, size } = entry;
  if (typeof tags === 'string') return sizePasses(size);
  if (!Array.isArray(tags)) return false;
  let strings = 0;
  for (let j = 0; j < tags.length; j++) {
    const tag: unknown = tags[j];
    if (typeof tag === 'string') strings++;
    else if (!isRecord(tag)) return false;
  }
  // All strings (or none at all) and no size: classification. Otherwise every tag must be a box.
  if (size === undefined && strings === tags.length) return true;
  if (strings > 0) return false;
  for (let j = 0; j < tags.length; j++) if (!boxPasses(tags[j] as Record<string, unknown>)) return false;
  return sizePasses(size);
}

function boxPasses(tag: Record<string, unknown>): boolean {
  if (typeof tag.tag !== 'string') return false;
  const { pos } = tag;
  return Array.isArray(pos) && pos.length === 4 && finite(pos[0]) && finite(pos[1]) && finite(pos[2]) && finite(pos[3]);
}

/** Absent, or 2-3 non-negative safe integers. */
function sizePasses(size: unknown): boolean {
  if (size === undefined) return true;
  if (!Array.isArray(size) || size.length < 2 || size.length > 3) return false;
  for (let k = 0; k < size.length; k++) {
    const n: unknown = size[k];
    if (!Number.isSafeInteger(n) || (n as number) < 0) return false;
  }
  return true;
}

function finite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
