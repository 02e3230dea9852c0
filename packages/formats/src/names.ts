import type { NoteRecorder } from './notes.js';

/** A mapping file that cannot be read as `image_id,file_name` rows; the message names the line. */
export class NameMappingError extends Error {
  override name = 'NameMappingError';
}

/** Two images that would be written under one name; the message names both. */
export class DuplicateFileNameError extends Error {
  override name = 'DuplicateFileNameError';
  constructor(
    readonly fileName: string,
    readonly imageIds: [string, string],
  ) {
    super(`images ${imageIds[0]} and ${imageIds[1]} would both be written as "${fileName}"; give them distinct file names in the mapping`);
  }
}

/** Where an image's name came from and what it is in each role. */
export interface ImageName {
  /** As mapped (a file name, a relative path or an OBS/S3/HTTP URI), else the image ID. */
  name: string;
  /** The last path segment of `name`: COCO `file_name`, VOC `filename`. */
  fileName: string;
  /** `fileName` without its extension: the name of the per-image files (VOC XML, YOLO txt). */
  stem: string;
}

/**
 * Reads a mapping from image ID to file name or URI: CSV (RFC 4180) with two columns,
 * `image_id,file_name` (a header row with those names is optional; the image list's `url` column
 * works as the second column). Blank lines and lines starting with # are skipped.
 */
export function parseNameMapping(text: string, source = 'the mapping'): Map<string, string> {
  const mapping = new Map<string, string>();
  const byName = new Map<string, string>();
  let first = true;
  for (const { cells, line } of csvRows(text, source)) {
    if (cells.length === 1 && cells[0]!.trim().startsWith('#')) continue;
    if (cells.length !== 2) {
      throw new NameMappingError(`${source}, line ${line}: expected 2 columns (image_id,file_name), found ${cells.length}`);
    }
    const id = cells[0]!.trim();
    const name = cells[1]!.trim();
    if (first) {
      first = false;
      if (/^image_?id$/i.test(id)) continue;
    }
    if (id === '') throw new NameMappingError(`${source}, line ${line}: the image ID is empty`);
    if (name === '') throw new NameMappingError(`${source}, line ${line}: the file name of image ${id} is empty`);
    checkName(name, `${source}, line ${line}`);
    const earlier = mapping.get(id);
    if (earlier !== undefined) {
      if (earlier === name) continue;
      throw new NameMappingError(`${source}, line ${line}: image ${id} is mapped twice, to "${earlier}" and "${name}"`);
    }
    const owner = byName.get(name);
    if (owner !== undefined) {
      throw new NameMappingError(`${source}, line ${line}: "${name}" is the file name of both ${owner} and ${id}`);
    }
    mapping.set(id, name);
    byName.set(name, id);
  }
  return mapping;
}

/**
 * Names images from a mapping (else their ID), and refuses two images whose per-image files or
 * file names would collide. Stems are compared without case, since Windows and macOS file systems
 * (and ZIP tools on them) treat `A.xml` and `a.xml` as one file.
 */
export class ImageNamer {
  readonly #stems = new Map<string, string>();
  readonly #names = new Map<string, string>();

  /**
   * @param perImageFiles whether each image gets a file of its own (VOC, YOLO): only then can
   *   stems collide. Without a mapping, names are image IDs, which the export keeps distinct.
   */
  constructor(
    private readonly mapping: ReadonlyMap<string, string> | undefined,
    private readonly notes: NoteRecorder,
    private readonly perImageFiles = true,
  ) {}

  nameOf(imageId: string): ImageName {
    let name = this.mapping?.get(imageId);
    if (name === undefined) {
      if (this.mapping)
        this.notes.add('unmappedImage', 'images the name mapping does not list; their ID was used as the file name', imageId);
      name = imageId;
      checkName(name, `image ID ${JSON.stringify(imageId)}`);
    }
    const fileName = lastSegment(name);
    const dot = fileName.lastIndexOf('.');
    const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
    if (this.mapping) claim(this.#names, name, imageId, name);
    if (this.perImageFiles) claim(this.#stems, stem.toLowerCase(), imageId, stem);
    return { name, fileName, stem };
  }
}

function claim(seen: Map<string, string>, key: string, imageId: string, shown: string): void {
  const owner = seen.get(key);
  if (owner !== undefined && owner !== imageId) throw new DuplicateFileNameError(shown, [owner, imageId]);
  seen.set(key, imageId);
}

function lastSegment(name: string): string {
  const path = name.replace(/[?#].*$/, '');
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name whose last segment can be a file name on every system: no control characters, not . or .. */
function checkName(name: string, where: string): void {
  if (CONTROL.test(name)) throw new NameMappingError(`${where}: the file name ${JSON.stringify(name)} holds a control character`);
  const segment = lastSegment(name);
  if (segment === '' || segment === '.' || segment === '..') {
    throw new NameMappingError(`${where}: ${JSON.stringify(name)} does not end in a file name`);
  }
  if (/[<>:"|?*]/.test(segment)) {
    throw new NameMappingError(`${where}: the file name ${JSON.stringify(segment)} holds a character Windows cannot store (<>:"|?*)`);
  }
}

interface CsvRow {
  cells: string[];
  line: number;
}

/** RFC 4180 rows (CRLF or LF, a UTF-8 byte order mark skipped); a quote left open is an error. */
function* csvRows(text: string, source: string): Generator<CsvRow> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    for (;;) {
      if (text[i] === '"' && cell === '') {
        const close = quotedEnd(text, i + 1);
        if (close < 0) throw new NameMappingError(`${source}, line ${start}: a quoted field is never closed`);
        const raw = text.slice(i + 1, close);
        line += countLines(raw);
        cell = raw.replace(/""/g, '"');
        i = close + 1;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new NameMappingError(`${source}, line ${line}: text after a closing quote`);
        }
        continue;
      }
      const c = text[i];
      if (c === undefined || c === '\n' || c === '\r') {
        cells.push(cell);
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      }
      if (c === ',') {
        cells.push(cell);
        cell = '';
      } else {
        if (c === '"') throw new NameMappingError(`${source}, line ${line}: a quote inside an unquoted field`);
        cell += c;
      }
      i++;
    }
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    yield { cells, line: start };
  }
}

/** Index of the quote that closes a field opened before `from`, or -1. */
function quotedEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i++;
    else return i;
  }
  return -1;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}
