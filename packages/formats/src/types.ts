import type { ImageTags } from '@modelarts-kit/client';

export type { BoundingBox, ClassificationImageTags, DetectionBox, DetectionImageTags, ImageSize, ImageTags } from '@modelarts-kit/client';

/** The images to export: an array (read twice when the class order must be derived), or a stream. */
export type ImageSource = readonly ImageTags[] | Iterable<ImageTags> | AsyncIterable<ImageTags>;

/** A file of an export: its path inside the export (forward slashes) and its text, whole or in chunks. */
export interface ExportFile {
  path: string;
  content: string | AsyncIterable<string> | Iterable<string>;
}

export interface Progress {
  /** Images converted so far. */
  done: number;
  /** All images, when the source is an array. */
  total: number | undefined;
}

/** A tag count of the job's statistics (tags/stats `tag_count[]`): how many images carry the tag. */
export interface TagCount {
  tag: string;
  count: number;
}
