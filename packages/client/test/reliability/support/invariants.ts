import { InvalidResponseError, type ModelArtsError, UnsuccessfulResponseError } from '../../../src/core/errors.js';
import type { ImageTags } from '../../../src/core/image-tags.js';

/**
 * The typed result is what its types promise, whatever the wire said:
 * strings are strings, boxes are ordered finite numbers, sizes are
 * non-negative integers, IDs are unique, and the whole thing can be
 * serialised (n8n stores it, the CLI prints it).
 */
export function assertTypedImages(images: unknown): asserts images is ImageTags[] {
  if (!Array.isArray(images)) throw new Error(`result is not an array: ${typeof images}`);
  const ids = new Set<string>();
  for (const [i, image] of images.entries()) {
    const where = `images[${i}]`;
    if (!isPlainObject(image)) throw new Error(`${where} is not a plain object`);
    if (typeof image.imageId !== 'string') throw new Error(`${where}.imageId is ${typeof image.imageId}`);
    if (ids.has(image.imageId)) throw new Error(`${where}.imageId ${JSON.stringify(image.imageId)} is repeated`);
    ids.add(image.imageId);
    assertExtra(image.extra, `${where}.extra`, ['image_id', 'tags', 'size']);
    if (!Array.isArray(image.tags)) throw new Error(`${where}.tags is not an array`);
    if (image.type === 'classification') {
      for (const [j, tag] of image.tags.entries()) {
        if (typeof tag !== 'string') throw new Error(`${where}.tags[${j}] is ${typeof tag}`);
      }
      if ('size' in image) throw new Error(`${where} is classification but has a size`);
    } else if (image.type === 'detection') {
      for (const [j, box] of (image.tags as unknown[]).entries()) assertBox(box, `${where}.tags[${j}]`);
      if (image.size !== undefined) assertSize(image.size, `${where}.size`);
    } else {
      throw new Error(`${where}.type is ${JSON.stringify(image.type)}`);
    }
  }
  JSON.stringify(images);
}

function assertBox(value: unknown, where: string): void {
  if (!isPlainObject(value)) throw new Error(`${where} is not a plain object`);
  if (typeof value.tag !== 'string') throw new Error(`${where}.tag is ${typeof value.tag}`);
  assertExtra(value.extra, `${where}.extra`, ['tag', 'pos']);
  const box = value.box;
  if (!isPlainObject(box)) throw new Error(`${where}.box is not a plain object`);
  for (const k of ['xmin', 'ymin', 'xmax', 'ymax']) {
    if (typeof box[k] !== 'number' || !Number.isFinite(box[k])) throw new Error(`${where}.box.${k} is ${String(box[k])}`);
  }
  if ((box.xmin as number) > (box.xmax as number) || (box.ymin as number) > (box.ymax as number)) {
    throw new Error(`${where}.box corners are not ordered: ${JSON.stringify(box)}`);
  }
}

function assertSize(value: unknown, where: string): void {
  if (!isPlainObject(value)) throw new Error(`${where} is not a plain object`);
  for (const k of ['width', 'height', 'depth']) {
    if (k === 'depth' && !('depth' in value)) continue;
    const n = value[k];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new Error(`${where}.${k} is ${String(n)}`);
  }
}

function assertExtra(value: unknown, where: string, reserved: string[]): void {
  if (!isPlainObject(value)) throw new Error(`${where} is not a plain object`);
  for (const key of reserved) if (Object.hasOwn(value, key)) throw new Error(`${where} repeats the modelled field ${key}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The error is one the contract allows for a bad response, and it can be
 * acted on: an InvalidResponseError names a path that exists in the body
 * (or whose parent does, for a missing field); an UnsuccessfulResponseError
 * carries what the service said. Anything else (TypeError, RangeError, ...)
 * fails the property.
 */
export function assertContractError(
  error: unknown,
  body: string,
  meta: { status: number; requestId?: string },
): asserts error is ModelArtsError {
  // Plain checks rather than expect(): these run tens of thousands of times.
  if (error instanceof InvalidResponseError) {
    check(error.status === meta.status, `status ${error.status}, expected ${meta.status}`);
    check(error.requestId === meta.requestId, `requestId ${error.requestId}, expected ${meta.requestId}`);
    check(typeof error.path === 'string', 'path is not a string');
    if (error.path !== '') {
      check(error.message.includes(` at ${error.path}:`), `the message does not name the path: ${error.message}`);
      const json = tryParse(body);
      if (json.ok) assertPathNamesAField(json.value, error.path);
    }
    return;
  }
  if (error instanceof UnsuccessfulResponseError) {
    const json = tryParse(body);
    check(json.ok, 'UnsuccessfulResponseError for a body that is not JSON');
    const parsed = json.value as { is_success: boolean; error_code?: unknown };
    check(parsed.is_success === false, 'UnsuccessfulResponseError for is_success that is not false');
    check(error.errorCode === parsed.error_code, `errorCode ${error.errorCode}, body says ${String(parsed.error_code)}`);
    return;
  }
  throw new Error(`not a contract error: ${describe(error)}`);
}

/** `images_tags[3].tags[0].pos` must lead to a value; the last step may be a missing field. */
export function assertPathNamesAField(root: unknown, path: string): void {
  const steps = parsePath(path);
  let current: unknown = root;
  for (const [n, step] of steps.entries()) {
    // A string-encoded tags list is entered as the JSON it holds.
    if (typeof current === 'string') {
      const inner = tryParse(current);
      if (!inner.ok) throw new Error(`path ${path} enters a string that is not JSON`);
      current = inner.value;
    }
    const last = n === steps.length - 1;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) throw new Error(`path ${path}: step ${n} indexes a non-array`);
      if (step >= current.length) throw new Error(`path ${path}: index ${step} is out of range`);
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) {
        throw new Error(`path ${path}: step ${n} (${step}) reads a field of a non-object`);
      }
      if (!Object.hasOwn(current, step) && !last) throw new Error(`path ${path}: field ${step} is absent`);
      current = (current as Record<string, unknown>)[step];
    }
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function parsePath(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_]\w*)|\[(\d+)\]/y;
  let consumed = 0;
  while (consumed < path.length) {
    token.lastIndex = consumed;
    const match = token.exec(path);
    if (!match) throw new Error(`path ${JSON.stringify(path)} is not of the form a.b[0].c`);
    steps.push(match[1] !== undefined ? match[1] : Number(match[2]));
    consumed = token.lastIndex;
  }
  return steps;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; value?: undefined } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
