import type { WireEntry } from '../data/entries.js';
import type { SeededJob } from '../data/job-catalog.js';
import { TagIndex, tagNamesOf } from './tag-index.js';

/**
 * The current images of a job: the seeded ones, less the deleted, plus the
 * ones a sync added, with tags as last written. Writes are an overlay on the
 * seeded job, so memory grows with what changed, not with the job's size.
 */
export class JobState {
  /** Entries written or added, as JSON text, by image ID. */
  private readonly written = new Map<string, string>();
  private readonly deleted = new Set<string>();
  /** Images a sync added, in the order they arrived. */
  private readonly added = new Set<string>();
  /** Tagged images minus the seeded tagged count, kept up to date by every write. */
  private taggedDelta = 0;
  private currentIds: readonly string[] | undefined;
  private index: TagIndex | undefined;

  constructor(readonly seeded: SeededJob) {}

  get id(): string {
    return this.seeded.id;
  }

  get type(): SeededJob['type'] {
    return this.seeded.type;
  }

  get imageCount(): number {
    return this.seeded.imageCount - this.deleted.size + this.added.size;
  }

  get taggedCount(): number {
    return this.seeded.seededTaggedCount() + this.taggedDelta;
  }

  has(imageId: string): boolean {
    if (this.added.has(imageId)) return true;
    return !this.deleted.has(imageId) && this.seeded.indexOf(imageId) !== undefined;
  }

  /** The entry's JSON text as tags/show sends it, or undefined for an image the job does not hold. */
  fragment(imageId: string): string | undefined {
    const written = this.written.get(imageId);
    if (written !== undefined) return written;
    return this.deleted.has(imageId) ? undefined : this.seeded.fragment(imageId);
  }

  entry(imageId: string): WireEntry | undefined {
    const fragment = this.fragment(imageId);
    return fragment === undefined ? undefined : (JSON.parse(fragment) as WireEntry);
  }

  /** Every current image ID: seeded order, then added images in arrival order. */
  imageIds(): readonly string[] {
    if (this.currentIds === undefined) {
      const seeded = this.deleted.size === 0 ? this.seeded.imageIds : this.seeded.imageIds.filter((id) => !this.deleted.has(id));
      this.currentIds = Object.freeze([...seeded, ...this.added]);
    }
    return this.currentIds;
  }

  /** The per-tag index of the current images, built on first use after a change. */
  tagIndex(): TagIndex {
    this.index ??= TagIndex.build(this.imageIds(), (id) => this.entry(id) as WireEntry);
    return this.index;
  }

  /** Replaces the entries of images the job holds (the caller checked every one first). */
  write(entries: readonly WireEntry[]): void {
    for (const entry of entries) {
      const wasTagged = this.isTagged(entry.image_id);
      this.written.set(entry.image_id, JSON.stringify(entry));
      this.taggedDelta += Number(tagNamesOf(entry).length > 0) - Number(wasTagged);
    }
    this.changed(false);
  }

  /** Removes images; IDs the job does not hold are skipped. Returns how many went. */
  delete(imageIds: readonly string[]): number {
    let removed = 0;
    for (const id of new Set(imageIds)) {
      if (!this.has(id)) continue;
      if (this.isTagged(id)) this.taggedDelta -= 1;
      if (this.added.has(id)) this.added.delete(id);
      else this.deleted.add(id);
      this.written.delete(id);
      removed += 1;
    }
    if (removed > 0) this.changed(true);
    return removed;
  }

  /** Adds new images with the given (untagged) entries, as a finished sync does. */
  add(entries: readonly WireEntry[]): number {
    let count = 0;
    for (const entry of entries) {
      // A file the job already holds is not added again (an OBS sync adds only new files).
      if (this.has(entry.image_id)) continue;
      count++;
      this.added.add(entry.image_id);
      this.written.set(entry.image_id, JSON.stringify(entry));
      // A seeded tagged image is never re-added, so an addition only moves the untagged count.
    }
    if (count > 0) this.changed(true);
    return count;
  }

  private isTagged(imageId: string): boolean {
    const written = this.written.get(imageId);
    if (written !== undefined) return tagNamesOf(JSON.parse(written) as WireEntry).length > 0;
    const index = this.seeded.indexOf(imageId);
    return index !== undefined && !this.deleted.has(imageId) && this.seeded.isTaggedAt(index);
  }

  private changed(membership: boolean): void {
    this.index = undefined;
    if (membership) this.currentIds = undefined;
  }
}
