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

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRow = (): void => {
    cells.push(cell);
    // A blank line is not a row with one empty cell.
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ cells, line: rowLine });
    cells = [];
    cell = '';
  };

  for (; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') {
      quoted = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) {
    throw new CsvSyntaxError(`a quoted field that starts on line ${rowLine} is never closed`);
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
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
