import { classOrderFor, type ClassOrder } from './classes.js';
import type { ExportContext } from './formats/context.js';
import { cocoFiles } from './formats/coco.js';
import { manifestFiles } from './formats/manifest.js';
import { tableFiles, type TableRows } from './formats/tables.js';
import { VOC_FOLDER, vocFiles } from './formats/voc.js';
import { yoloFiles } from './formats/yolo.js';
import { ImageNamer } from './names.js';
import { NoteRecorder, type ExportNote } from './notes.js';
import type { ExportFile, ImageSource, Progress } from './types.js';

export const EXPORT_FORMATS = ['coco', 'voc', 'yolo', 'manifest', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Formats written as one file (the others are folders: per-image files plus lists). */
export function isSingleFileFormat(format: ExportFormat): boolean {
  return format === 'coco' || format === 'csv' || format === 'jsonl';
}

export interface ExportOptions {
  format: ExportFormat;
  /** The job's tag list: the class order of COCO and YOLO. Without it, the sorted tags of the images (an array source). */
  classes?: readonly string[];
  /** Image ID -> file name or URI (see parseNameMapping); images it lacks are named by their ID. */
  names?: ReadonlyMap<string, string>;
  /** CSV and JSON Lines: one row per image (default) or per box. */
  rows?: TableRows;
  /** The annotation job, named in COCO `info`. */
  annotationId?: string;
  /** COCO `date_created` and manifest `creation-time`; default now. */
  createdAt?: Date;
  /** Manifest file name; default `annotations.manifest`. */
  manifestName?: string;
  /** Prefix of `annotation-loc` in detection manifests; default `Annotations/` (relative to the manifest). */
  annotationLocation?: string;
  /** VOC `<folder>`; default `images`. */
  folder?: string;
  onProgress?: (progress: Progress) => void;
}

export interface ExportReport {
  format: ExportFormat;
  images: number;
  boxes: number;
  /** COCO and YOLO: the classes in index order (COCO category ID = index + 1). */
  classes: string[] | undefined;
  /** What the format could not hold as it was; empty when nothing was lost. */
  notes: ExportNote[];
}

export interface LabelExport {
  readonly format: ExportFormat;
  /** The files of the export in order; each file's content must be read before the next file is taken. */
  files(): AsyncGenerator<ExportFile>;
  /** Complete once files() has been read to the end. */
  report(): ExportReport;
}

/**
 * Converts tag results into a training format, as a sequence of files that a writer streams to a
 * folder, a ZIP file or one file (see writeExport), or that a host such as n8n collects.
 */
export function exportLabels(images: ImageSource, options: ExportOptions): LabelExport {
  const { format } = options;
  const notes = new NoteRecorder();
  const numbered = format === 'coco' || format === 'yolo';
  let classes: ClassOrder | undefined;
  let started = false;
  const context: ExportContext = {
    notes,
    namer: new ImageNamer(options.names, notes, format === 'voc' || format === 'yolo' || format === 'manifest'),
    classes: undefined,
    createdAt: options.createdAt ?? new Date(),
    counts: { images: 0, boxes: 0 },
    onProgress: options.onProgress,
  };
  const folder = options.folder ?? 'images';

  async function* files(): AsyncGenerator<ExportFile> {
    if (started) throw new Error('an export can be read once; call exportLabels again for another copy');
    started = true;
    if (numbered) context.classes = classes = classOrderFor(images, options.classes, notes);
    switch (format) {
      case 'coco':
        yield* cocoFiles(images, context, {
          description: options.annotationId ? `ModelArts annotation job ${options.annotationId}` : 'ModelArts annotation job',
        });
        break;
      case 'voc':
        yield* vocFiles(images, context, folder);
        break;
      case 'yolo':
        yield* yoloFiles(images, context);
        break;
      case 'manifest':
        yield* manifestFiles(images, context, {
          fileName: options.manifestName ?? 'annotations.manifest',
          annotationLocation: options.annotationLocation ?? `${VOC_FOLDER}/`,
          folder,
        });
        break;
      case 'csv':
      case 'jsonl':
        yield* tableFiles(images, context, format, options.rows ?? 'image');
        break;
      default:
        throw new Error(`unknown export format ${JSON.stringify(format)}`);
    }
  }

  return {
    format,
    files,
    report: () => ({
      format,
      images: context.counts.images,
      boxes: context.counts.boxes,
      classes: classes ? [...classes.names] : undefined,
      notes: notes.list(),
    }),
  };
}

/** The images of a stream of client batches (`client.iterateImageTags`), one by one. */
export async function* imagesOfBatches(
  batches: AsyncIterable<{ images: readonly import('./types.js').ImageTags[] }>,
): AsyncGenerator<import('./types.js').ImageTags> {
  for await (const batch of batches) yield* batch.images;
}
