import type { ImageTagsInput } from './annotation-types.js';
import { InputValidationError } from './errors.js';
import type { BoundingBox, ImageSize } from './image-tags.js';
import { imageIdProblem } from './ids.js';
import { previewValue } from './preview.js';

/**
 * The check `setImageTags` makes of the tags to write, all of them, before
 * any request (a write that stopped half-way on a malformed box would leave
 * the job half-written), for callers that want it earlier: before opening
 * a connection, starting a server or asking the user anything else.
 *
 * Every image needs a valid, non-repeated `imageId` and `tags` that are
 * either all tag names (classification) or all boxes (detection), one kind
 * for the whole list. A box has a non-empty `tag` and finite corners with
 * `xmin < xmax`, `ymin < ymax`, not negative, and inside `size` when given
 * (whole positive pixels). A box without a size cannot be checked against
 * the image here: `setImageTags` takes it as it is.
 *
 * Returns the images normalised, in input order: IDs trimmed, boxes as
 * `{ tag, box: { xmin, ymin, xmax, ymax } }` with only those fields, sizes
 * as `{ width, height, depth? }`. Throws an InputValidationError naming the
 * first problem, with `index` the position of its image in `images`.
 */
export function checkImageTagsInput(images: readonly ImageTagsInput[]): ImageTagsInput[] {
  if (!Array.isArray(images)) throw new InputValidationError(`images must be an array, not ${previewValue(images)}`);
  if (images.length === 0) throw new InputValidationError('images is empty: give at least one image and its tags');
  const seen = new Set<string>();
  let jobKind: { kind: 'classification' | 'detection'; index: number } | undefined;
  return images.map((input, index) => {
    const at = `images[${index}]`;
    if (typeof input !== 'object' || input === null) throw new InputValidationError(`${at} must be an object with imageId and tags`, index);
    const { imageId, tags } = input;
    if (typeof imageId !== 'string' || imageId.trim() === '')
      throw new InputValidationError(`${at}.imageId must be a non-empty string`, index);
    const problem = imageIdProblem(imageId.trim());
    if (problem) throw new InputValidationError(`${at}.imageId ${problem}`, index);
    const id = imageId.trim();
    if (seen.has(id)) throw new InputValidationError(`${at}.imageId ${id} is given twice; give each image once`, index);
    seen.add(id);
    if (!Array.isArray(tags)) throw new InputValidationError(`${at}.tags must be an array (tag names or boxes)`, index);
    const kind = kindOf(input, index);
    if (kind) {
      if (jobKind && jobKind.kind !== kind) {
        throw new InputValidationError(
          `${at} has ${kind} tags but images[${jobKind.index}] has ${jobKind.kind} tags; a job is one or the other`,
          index,
        );
      }
      jobKind ??= { kind, index };
    }
    if (kind !== 'detection') {
      if ('size' in input && input.size !== undefined) throw new InputValidationError(`${at}.size is only for detection images`, index);
      tags.forEach((tag, j) => {
        if (typeof tag !== 'string' || tag.trim() === '')
          throw new InputValidationError(`${at}.tags[${j}] must be a non-empty tag name`, index);
      });
      return { imageId: id, tags: [...(tags as string[])] };
    }
    const size = 'size' in input && input.size !== undefined ? checkSize(input.size, `${at}.size`, index) : undefined;
    const boxes = (tags as unknown[]).map((tag, j) => checkBox(tag, size, `${at}.tags[${j}]`, index));
    return size ? { imageId: id, tags: boxes, size } : { imageId: id, tags: boxes };
  });
}

/** Detection when a tag is an object or a size is given (or `type` says so); classification when a tag is a name; undefined when no tags say. */
function kindOf(input: ImageTagsInput, index: number): 'classification' | 'detection' | undefined {
  const declared = (input as { type?: unknown }).type;
  const tags = input.tags as unknown[];
  const hasBoxes = tags.some((tag) => typeof tag === 'object' && tag !== null);
  const hasNames = tags.some((tag) => typeof tag === 'string');
  if (hasBoxes && hasNames) throw new InputValidationError(`images[${index}].tags mixes tag names and boxes`, index);
  const found = hasBoxes || ('size' in input && input.size !== undefined) ? 'detection' : hasNames ? 'classification' : undefined;
  if (declared !== undefined && declared !== 'classification' && declared !== 'detection') {
    throw new InputValidationError(`images[${index}].type must be "classification" or "detection"`, index);
  }
  if (declared && found && declared !== found) {
    throw new InputValidationError(`images[${index}] says type ${declared} but has ${found} tags`, index);
  }
  return found ?? (declared as 'classification' | 'detection' | undefined);
}

function checkSize(size: unknown, at: string, index: number): ImageSize {
  const s = size as Partial<ImageSize> | null;
  const dimension = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value > 0;
  if (
    typeof s !== 'object' ||
    s === null ||
    !dimension(s.width) ||
    !dimension(s.height) ||
    (s.depth !== undefined && !dimension(s.depth))
  ) {
    throw new InputValidationError(`${at} must be { width, height, depth? } in positive whole pixels, not ${previewValue(size)}`, index);
  }
  return s.depth === undefined ? { width: s.width!, height: s.height! } : { width: s.width!, height: s.height!, depth: s.depth };
}

function checkBox(tag: unknown, size: ImageSize | undefined, at: string, index: number): { tag: string; box: BoundingBox } {
  const t = tag as { tag?: unknown; box?: Record<string, unknown> } | null;
  if (typeof t !== 'object' || t === null) throw new InputValidationError(`${at} must be { tag, box }`, index);
  if (typeof t.tag !== 'string' || t.tag.trim() === '') throw new InputValidationError(`${at}.tag must be a non-empty tag name`, index);
  const box = t.box;
  const corners = ['xmin', 'ymin', 'xmax', 'ymax'].map((name) => box?.[name]);
  if (typeof box !== 'object' || box === null || !corners.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InputValidationError(`${at}.box must be { xmin, ymin, xmax, ymax } in finite numbers, not ${previewValue(box)}`, index);
  }
  const [xmin, ymin, xmax, ymax] = corners as [number, number, number, number];
  if (!(xmin < xmax)) throw new InputValidationError(`${at}.box needs xmin < xmax (got ${xmin} and ${xmax})`, index);
  if (!(ymin < ymax)) throw new InputValidationError(`${at}.box needs ymin < ymax (got ${ymin} and ${ymax})`, index);
  if (xmin < 0 || ymin < 0) throw new InputValidationError(`${at}.box starts outside the image (negative xmin or ymin)`, index);
  if (size && (xmax > size.width || ymax > size.height)) {
    throw new InputValidationError(
      `${at}.box (${xmin},${ymin})-(${xmax},${ymax}) is outside the image size ${size.width}x${size.height}`,
      index,
    );
  }
  return { tag: t.tag, box: { xmin, ymin, xmax, ymax } };
}
