import { previewValue } from '@modelarts-kit/client/core';
import { CsvRecordReader, CsvSyntaxError, type CsvRow } from './csv.js';

/** Image IDs read from some input, each with where it came from (for error messages). */
export interface IdList {
  ids: string[];
  /** Parallel to `ids`: e.g. `ids.csv:12` or `argument 3`. */
  origins: string[];
}

/** Bad input that the user can fix: the message says where and what. */
export class InputError extends Error {
  override name = 'InputError';
}

export function idsFromArguments(args: readonly string[]): IdList {
  return { ids: [...args], origins: args.map((_, index) => `ID argument ${index + 1}`) };
}

export interface ParseIdsOptions {
  /** Where the text came from: a file name or `stdin`. */
  source: string;
  /** A CSV column, by header name or 1-based number. Implies CSV. */
  column?: string | undefined;
  /** Treat the text as CSV even without a column or commas (e.g. a .csv file). */
  csv?: boolean | undefined;
}

/** At most this many IDs are read from one input: the list, its origins and the client's copy stay a few hundred MB at most. */
export const MAX_INPUT_IDS = 1_000_000;

/**
 * The image IDs of a text or CSV document.
 *
 * Text: one ID per line; blank lines, lines starting with `#` and a first
 * line that is a usual header name (`image_id`) are skipped.
 * CSV (a `.csv` file, a `--column`, or a first line with a comma): the named
 * column, or the first column. The first row is a header when a column is
 * named and found in it, or when it does not look like the data below it.
 */
export function parseIds(text: string, options: ParseIdsOptions): IdList {
  const collector = new IdCollector(options);
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) collector.line(lines[index]!, index + 1);
  return collector.end();
}

/** Rows held back until the header question can be answered: the first row and the 50 below it. */
const HEADER_SAMPLE_ROWS = 51;

/**
 * The rules of parseIds, fed one line at a time (without line ends), so an
 * input of any size is read as a stream and only the IDs are kept.
 */
export class IdCollector {
  readonly #options: ParseIdsOptions;
  readonly #maxIds: number;
  readonly #list: IdList = { ids: [], origins: [] };
  /** Undefined until the first line that is not blank or a comment decides. */
  #mode: 'text' | 'csv' | undefined;
  readonly #csv = new CsvRecordReader();
  /** CSV rows waiting for the header decision, then undefined. */
  #pending: CsvRow[] | undefined = [];
  #columnIndex = 0;

  constructor(options: ParseIdsOptions & { maxIds?: number }) {
    this.#options = options;
    this.#maxIds = options.maxIds ?? MAX_INPUT_IDS;
  }

  line(text: string, lineNumber: number): void {
    if (this.#mode === undefined) {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const { csv, column } = this.#options;
      this.#mode = csv || column !== undefined || trimmed.includes(',') ? 'csv' : 'text';
    }
    if (this.#mode === 'text') {
      const id = text.trim();
      if (id === '' || id.startsWith('#')) return;
      // A column cut out of a CSV file keeps its header (`cut -d, -f1 export.csv`).
      if (this.#list.ids.length === 0 && isIdHeaderName(id)) return;
      this.#add(id, lineNumber);
      return;
    }
    let row: CsvRow | undefined;
    try {
      row = this.#csv.push(text, lineNumber);
    } catch (error) {
      throw this.#csvError(error);
    }
    if (!row) return;
    if (this.#pending) {
      this.#pending.push(row);
      if (this.#pending.length >= HEADER_SAMPLE_ROWS) this.#decideHeader();
    } else {
      this.#addRow(row, text.length);
    }
  }

  end(): IdList {
    try {
      this.#csv.end();
    } catch (error) {
      throw this.#csvError(error);
    }
    if (this.#pending && this.#pending.length > 0) this.#decideHeader();
    return this.#list;
  }

  #csvError(error: unknown): unknown {
    return error instanceof CsvSyntaxError ? new InputError(`${this.#options.source} is not valid CSV: ${error.message}`) : error;
  }

  #decideHeader(): void {
    const rows = this.#pending!;
    this.#pending = undefined;
    const header = rows[0]!.cells.map((cell) => cell.trim());
    let hasHeader: boolean;
    const { column, source } = this.#options;
    if (column !== undefined) {
      const wanted = column.trim();
      const byName = header.findIndex((name) => name.toLowerCase() === wanted.toLowerCase());
      if (byName >= 0) {
        this.#columnIndex = byName;
        hasHeader = true;
      } else if (/^[1-9]\d*$/.test(wanted)) {
        this.#columnIndex = Number(wanted) - 1;
        hasHeader = looksLikeHeader(rows, this.#columnIndex);
      } else {
        const names = header.map((name) => previewValue(name)).join(', ');
        throw new InputError(
          `${source} has no column named ${previewValue(wanted)}; its first row has ${names}. Give --column one of those names, or a column number (1 is the first)`,
        );
      }
    } else {
      hasHeader = looksLikeHeader(rows, 0);
    }
    for (const row of hasHeader ? rows.slice(1) : rows) this.#addRow(row, 0);
  }

  #addRow(row: CsvRow, lineLength: number): void {
    const cell = row.cells[this.#columnIndex];
    if (cell === undefined) {
      throw new InputError(
        `${this.#options.source}:${row.line} has ${row.cells.length} column(s), so it has no column ${this.#columnIndex + 1}`,
      );
    }
    const id = cell.trim();
    if (id === '') return;
    // A cell is a slice of its line: copy a short one out of a long line, so the line can be freed.
    this.#add(lineLength > 2 * id.length + 16 ? detach(id) : id, row.line);
  }

  #add(id: string, lineNumber: number): void {
    if (this.#list.ids.length >= this.#maxIds) {
      throw new InputError(
        `${this.#options.source} holds more than ${this.#maxIds.toLocaleString('en-US')} image IDs (the most one run reads); split it into smaller lists`,
      );
    }
    this.#list.ids.push(id);
    this.#list.origins.push(`${this.#options.source}:${lineNumber}`);
  }
}

function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

const ID_HEADER_NAMES = new Set(['imageid', 'imageids', 'image', 'images', 'id', 'ids', 'sampleid', 'file', 'filename', 'name']);

function isIdHeaderName(text: string): boolean {
  return ID_HEADER_NAMES.has(text.toLowerCase().replace(/[^a-z]/g, ''));
}

/**
 * A first row is a header when its cell is a usual name for an ID column,
 * or when it has no digit while most cells below it do (image IDs are hex
 * or numeric in practice; header names are words).
 */
function looksLikeHeader(rows: readonly CsvRow[], columnIndex: number): boolean {
  const first = rows[0]!.cells[columnIndex]?.trim() ?? '';
  if (isIdHeaderName(first)) return true;
  if (/\d/.test(first) || rows.length < 2) return false;
  const sample = rows.slice(1, 51).map((row) => row.cells[columnIndex]?.trim() ?? '');
  const withDigits = sample.filter((cell) => /\d/.test(cell)).length;
  return withDigits * 2 > sample.length;
}
