/** What an export could not express as it was, by kind. */
export type ExportNoteKind =
  | 'boxWithoutSize'
  | 'imageWithoutSize'
  | 'classificationTagsDropped'
  | 'tagNotInClassList'
  | 'roundedToPixels'
  | 'depthAssumed'
  | 'boxOutsideImage'
  | 'unmappedImage'
  | 'duplicateImage'
  | 'controlCharacters';

export interface ExportNote {
  kind: ExportNoteKind;
  /** What was done, in a sentence that fits the format. */
  message: string;
  /** How many times (boxes, tags or images, as the message says). */
  count: number;
  /** The images concerned, each once, in export order. */
  imageIds: string[];
}

/** Collects notes as an export runs; one entry per kind, in the order they first happened. */
export class NoteRecorder {
  readonly #notes = new Map<ExportNoteKind, ExportNote & { last: string | undefined }>();

  add(kind: ExportNoteKind, message: string, imageId: string | undefined, count = 1): void {
    let note = this.#notes.get(kind);
    if (!note) {
      note = { kind, message, count: 0, imageIds: [], last: undefined };
      this.#notes.set(kind, note);
    }
    note.count += count;
    // An image's boxes come together, so comparing with the last ID keeps the list distinct.
    if (imageId !== undefined && note.last !== imageId) {
      note.imageIds.push(imageId);
      note.last = imageId;
    }
  }

  list(): ExportNote[] {
    return [...this.#notes.values()].map(({ kind, message, count, imageIds }) => ({ kind, message, count, imageIds }));
  }
}
