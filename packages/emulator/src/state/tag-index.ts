import type { DetectionBox, WireEntry } from '../data/entries.js';

/** The `tag_name` that selects untagged images. */
export const UNTAGGED_SELECTOR = '__none__';

/**
 * Which images carry which tag, built in one pass over a job's current
 * images so that every page of the image list is a slice: a page costs its
 * own size, however deep it lies. A write drops the index; the next read
 * builds it again.
 */
export class TagIndex {
  private constructor(
    private readonly byTag: Map<string, string[]>,
    private readonly tagged: string[],
    private readonly untagged: string[],
  ) {}

  static build(imageIds: readonly string[], entryOf: (imageId: string) => WireEntry): TagIndex {
    const byTag = new Map<string, string[]>();
    const tagged: string[] = [];
    const untagged: string[] = [];
    for (const imageId of imageIds) {
      const names = tagNamesOf(entryOf(imageId));
      if (names.length === 0) {
        untagged.push(imageId);
        continue;
      }
      tagged.push(imageId);
      for (const name of names) {
        let members = byTag.get(name);
        if (members === undefined) {
          members = [];
          byTag.set(name, members);
        }
        members.push(imageId);
      }
    }
    return new TagIndex(byTag, tagged, untagged);
  }

  /** The images `tag_name` selects: undefined = every tagged image, `__none__` = every untagged one. */
  select(tagName: string | undefined): readonly string[] {
    if (tagName === undefined) return this.tagged;
    if (tagName === UNTAGGED_SELECTOR) return this.untagged;
    return this.byTag.get(tagName) ?? [];
  }

  /** Tag names carried by at least one image, sorted by code unit. */
  tagNames(): string[] {
    return [...this.byTag.keys()].sort();
  }

  /** Images per tag, for the names of `tagNames()`. */
  countOf(tagName: string): number {
    return this.byTag.get(tagName)?.length ?? 0;
  }

  get taggedCount(): number {
    return this.tagged.length;
  }

  get untaggedCount(): number {
    return this.untagged.length;
  }
}

/** The distinct tag names of an entry, whatever its job type and tags encoding. */
export function tagNamesOf(entry: WireEntry): string[] {
  const tags: unknown = typeof entry.tags === 'string' ? JSON.parse(entry.tags) : entry.tags;
  if (!Array.isArray(tags)) return [];
  const names = tags.map((tag: string | DetectionBox) => (typeof tag === 'string' ? tag : tag.tag));
  return [...new Set(names)];
}
