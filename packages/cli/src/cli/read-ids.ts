import { parseCsv, CsvSyntaxError, type CsvRow } from './csv.js';

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
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const isCsv = options.csv || options.column !== undefined || (firstLine?.includes(',') ?? false);
  return isCsv ? idsFromCsv(body, options) : idsFromLines(body, options.source);
}

function idsFromLines(text: string, source: string): IdList {
  const list: IdList = { ids: [], origins: [] };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const id = lines[index]!.trim();
    if (id === '' || id.startsWith('#')) continue;
    // A column cut out of a CSV file keeps its header (`cut -d, -f1 export.csv`).
    if (list.ids.length === 0 && isIdHeaderName(id)) continue;
    list.ids.push(id);
    list.origins.push(`${source}:${index + 1}`);
  }
  return list;
}

const ID_HEADER_NAMES = new Set(['imageid', 'imageids', 'image', 'images', 'id', 'ids', 'sampleid', 'file', 'filename', 'name']);

function isIdHeaderName(text: string): boolean {
  return ID_HEADER_NAMES.has(text.toLowerCase().replace(/[^a-z]/g, ''));
}

function idsFromCsv(text: string, options: ParseIdsOptions): IdList {
  let rows: CsvRow[];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InputError(`${options.source} is not valid CSV: ${error.message}`);
    throw error;
  }
  if (rows.length === 0) return { ids: [], origins: [] };
  const header = rows[0]!.cells.map((cell) => cell.trim());

  let columnIndex = 0;
  let hasHeader: boolean;
  if (options.column !== undefined) {
    const wanted = options.column.trim();
    const byName = header.findIndex((name) => name.toLowerCase() === wanted.toLowerCase());
    if (byName >= 0) {
      columnIndex = byName;
      hasHeader = true;
    } else if (/^[1-9]\d*$/.test(wanted)) {
      columnIndex = Number(wanted) - 1;
      hasHeader = looksLikeHeader(rows, columnIndex);
    } else {
      const names = header.map((name) => JSON.stringify(name)).join(', ');
      throw new InputError(
        `${options.source} has no column named "${wanted}"; its first row has ${names}. Give --column one of those names, or a column number (1 is the first)`,
      );
    }
  } else {
    hasHeader = looksLikeHeader(rows, 0);
  }

  const list: IdList = { ids: [], origins: [] };
  for (const row of hasHeader ? rows.slice(1) : rows) {
    const cell = row.cells[columnIndex];
    if (cell === undefined) {
      throw new InputError(`${options.source}:${row.line} has ${row.cells.length} column(s), so it has no column ${columnIndex + 1}`);
    }
    const id = cell.trim();
    if (id === '') continue;
    list.ids.push(id);
    list.origins.push(`${options.source}:${row.line}`);
  }
  return list;
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
