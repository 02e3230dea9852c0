import type { NoteRecorder } from './notes.js';
import type { ImageSource, ImageTags } from './types.js';

/** A class list that is not usable (a repeated or empty name). */
export class ClassListError extends Error {
  override name = 'ClassListError';
}

/**
 * The class order of a detection export (COCO category IDs, YOLO indexes): the job's tag list as
 * given, or the sorted tags of the images. A tag missing from a given list is appended, in the
 * order of first appearance, and reported: the indexes of the list's own classes never move.
 */
export class ClassOrder {
  readonly #index = new Map<string, number>();
  readonly #names: string[] = [];
  readonly #given: boolean;
  readonly #listed: number;

  constructor(
    names: readonly string[],
    given: boolean,
    private readonly notes?: NoteRecorder,
  ) {
    this.#given = given;
    this.#listed = names.length;
    for (const name of names) {
      if (typeof name !== 'string' || name === '') throw new ClassListError('the class list holds an empty or non-text name');
      if (this.#index.has(name)) throw new ClassListError(`the class list names "${name}" twice`);
      this.#index.set(name, this.#names.length);
      this.#names.push(name);
    }
  }

  /** The 0-based index of a tag, appending a tag the list lacks; every box of such a tag is reported. */
  indexOf(tag: string, imageId: string): number {
    let index = this.#index.get(tag);
    if (index === undefined) {
      index = this.#names.length;
      this.#index.set(tag, index);
      this.#names.push(tag);
    }
    if (this.#given && index >= this.#listed) {
      this.notes?.add(
        'tagNotInClassList',
        'boxes whose tag is not in the class list; their tags were appended to the classes in order of appearance',
        imageId,
      );
    }
    return index;
  }

  get names(): readonly string[] {
    return this.#names;
  }
}

/**
 * The class order for an export: the given list, else the sorted tags of the images (which needs
 * an array, since a stream can be read once only).
 */
export function classOrderFor(images: ImageSource, classes: readonly string[] | undefined, notes: NoteRecorder): ClassOrder {
  if (classes) return new ClassOrder(classes, true, notes);
  if (!Array.isArray(images)) {
    throw new ClassListError(
      'a stream of images needs `classes` (the job tag list) to number the classes; pass the tag list, or the images as an array to use their sorted tags',
    );
  }
  return new ClassOrder(sortedTags(images as readonly ImageTags[]), false, notes);
}

/** Every detection tag of the images, sorted by code point (the same order on every machine). */
export function sortedTags(images: readonly ImageTags[]): string[] {
  const tags = new Set<string>();
  for (const image of images) {
    if (image.type !== 'detection') continue;
    for (const box of image.tags) tags.add(box.tag);
  }
  return [...tags].sort(byCodePoint);
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
