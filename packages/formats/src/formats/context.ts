import type { ClassOrder } from '../classes.js';
import type { ImageNamer } from '../names.js';
import type { NoteRecorder } from '../notes.js';
import type { ImageSource, ImageTags, Progress } from '../types.js';

/** What every format's writer shares during one export. */
export interface ExportContext {
  notes: NoteRecorder;
  namer: ImageNamer;
  /** Only the formats that number classes (COCO, YOLO) get one. */
  classes: ClassOrder | undefined;
  createdAt: Date;
  counts: { images: number; boxes: number };
  onProgress: ((progress: Progress) => void) | undefined;
}

const BATCH = 1000;

/**
 * The images of the source in batches (an array or iterable is read without an await per image,
 * which would cost more than converting it), each ID once (a repeat is skipped and reported),
 * counted, with progress after each batch.
 */
export async function* imageBatches(source: ImageSource, context: ExportContext): AsyncGenerator<ImageTags[]> {
  const total = Array.isArray(source) ? source.length : undefined;
  const seen = new Set<string>();
  const { counts, onProgress } = context;
  let batch: ImageTags[] = [];
  const accept = (image: ImageTags): void => {
    if (seen.has(image.imageId)) {
      context.notes.add('duplicateImage', 'images that came more than once; only the first was exported', image.imageId);
      return;
    }
    seen.add(image.imageId);
    counts.images++;
    if (image.type === 'detection') counts.boxes += image.tags.length;
    batch.push(image);
  };
  const flush = (): ImageTags[] => {
    const full = batch;
    batch = [];
    return full;
  };
  if (Symbol.iterator in source) {
    for (const image of source as Iterable<ImageTags>) {
      accept(image);
      if (batch.length >= BATCH) {
        yield flush();
        onProgress?.({ done: counts.images, total });
      }
    }
  } else {
    for await (const image of source) {
      accept(image);
      if (batch.length >= BATCH) {
        yield flush();
        onProgress?.({ done: counts.images, total });
      }
    }
  }
  if (batch.length > 0) yield flush();
  onProgress?.({ done: counts.images, total });
}

/** Records the tags of a classification image that a detection format has no place for. */
export function dropClassificationTags(image: ImageTags, context: ExportContext, format: string): void {
  if (image.type === 'classification' && image.tags.length > 0) {
    context.notes.add(
      'classificationTagsDropped',
      `classification tags, which ${format} (a detection format) cannot hold; they were left out`,
      image.imageId,
      image.tags.length,
    );
  }
}
