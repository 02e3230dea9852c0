/**
 * RFC 4180 CSV: comma-separated fields, double quotes around fields that
 * hold commas, quotes or line breaks, a doubled quote for a literal quote.
 * Accepts CRLF or LF line ends and a UTF-8 byte order mark, as spreadsheets write them.
 */
export interface CsvRow {
  cells: string[];
  /** 1-based line number where the row starts, for error messages. */
  line: number;
}

/** Every row of a whole document. */
export function parseCsv(text: string): CsvRow[] {
  const reader = new CsvRecordReader();
  const rows: CsvRow[] = [];
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
  // A final line end does not start another (empty) line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const row = reader.push(lines[index]!, index + 1);
    if (row) rows.push(row);
  }
  reader.end();
  return rows;
}

/**
 * Rows from lines fed one at a time (without their line ends), so a large
 * document is read as a stream. A quoted field may span lines; `end` says
 * whether one was left open. Cells are slices of the line, never built a
 * character at a time.
 */
export class CsvRecordReader {
  #cells: string[] = [];
  #cell = '';
  /** Inside a quoted field that continues on the next line. */
  #open = false;
  #rowLine = 0;

  /** The row this line completes, if any; a blank line is not a row. */
  push(line: string, lineNumber: number): CsvRow | undefined {
    let quoted = this.#open;
    if (quoted) {
      this.#cell += '\n';
    } else {
      if (line === '') return undefined;
      this.#cells = [];
      this.#cell = '';
      this.#rowLine = lineNumber;
    }
    let atCellStart = !quoted;
    let i = 0;
    for (;;) {
      if (quoted) {
        const quote = line.indexOf('"', i);
        if (quote < 0) {
          this.#cell += line.slice(i);
          this.#open = true;
          return undefined;
        }
        this.#cell += line.slice(i, quote);
        if (line.charCodeAt(quote + 1) === 0x22) {
          this.#cell += '"';
          i = quote + 2;
        } else {
          quoted = false;
          i = quote + 1;
        }
        continue;
      }
      if (atCellStart && line.charCodeAt(i) === 0x22) {
        quoted = true;
        atCellStart = false;
        i++;
        continue;
      }
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        this.#cells.push(this.#cell + line.slice(i));
        this.#open = false;
        return { cells: this.#cells, line: this.#rowLine };
      }
      this.#cells.push(this.#cell + line.slice(i, comma));
      this.#cell = '';
      atCellStart = true;
      i = comma + 1;
    }
  }

  /** Throws when the document ended inside a quoted field. */
  end(): void {
    if (this.#open) throw new CsvSyntaxError(`a quoted field that starts on line ${this.#rowLine} is never closed`);
  }
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
}

/** One CSV field, quoted only when it must be. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | undefined)[]): string {
  return values.map(csvField).join(',');
}
