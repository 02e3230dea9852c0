import { csvLine } from './csv.js';
import type { OutputFormat } from './output-formats.js';
import type { OutputStream } from './run-cli.js';

type CsvCell = string | number | undefined;

/**
 * Writes a list that arrives in chunks (pages of a listing, batches of
 * tags) in any output format as it comes, so memory holds one chunk:
 * `ndjson` and `csv` line by line, `json` as one document whose array is
 * written element by element, `table` chunk by chunk (the header once).
 */
export interface StreamedListSpec<T> {
  format: OutputFormat;
  out: OutputStream;
  /** `json`: the fields written before the array, and the array's name. */
  head: Record<string, unknown>;
  arrayKey: string;
  json: (item: T) => unknown;
  /** `csv`: the header, decided by the first chunk that has items (or none). */
  csvHeader: (first: readonly T[]) => CsvCell[];
  csvRows: (item: T) => CsvCell[][];
  /** `table`: the rows of one chunk, with the header line first (dropped after the first chunk). */
  table: (items: readonly T[]) => string;
}

export class StreamedList<T> {
  readonly #spec: StreamedListSpec<T>;
  #started = false;
  #count = 0;

  constructor(spec: StreamedListSpec<T>) {
    this.#spec = spec;
  }

  /** Items written so far. */
  get count(): number {
    return this.#count;
  }

  write(items: readonly T[]): void {
    if (items.length === 0) return;
    const { format, out } = this.#spec;
    const first = !this.#started;
    this.#start(items);
    let text = '';
    switch (format) {
      case 'ndjson':
        for (const item of items) text += `${JSON.stringify(this.#spec.json(item))}\n`;
        break;
      case 'json':
        for (const [index, item] of items.entries()) {
          text += `${first && index === 0 ? '' : ',\n'}    ${JSON.stringify(this.#spec.json(item))}`;
        }
        break;
      case 'csv':
        for (const item of items) for (const row of this.#spec.csvRows(item)) text += `${csvLine(row)}\n`;
        break;
      case 'table': {
        const table = this.#spec.table(items);
        text = first ? table : table.slice(table.indexOf('\n') + 1);
        break;
      }
    }
    this.#count += items.length;
    out.write(text);
  }

  /** Ends the output; `tail` adds fields after the array (json only). */
  end(tail: Record<string, unknown> = {}): void {
    this.#start([]);
    const { format, out } = this.#spec;
    if (format !== 'json') return;
    const fields = Object.entries(tail).map(([key, value]) => `,\n  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    out.write(`${this.#count > 0 ? '\n  ' : ''}]${fields.join('')}\n}\n`);
  }

  #start(items: readonly T[]): void {
    if (this.#started) return;
    this.#started = true;
    const { format, out, head, arrayKey } = this.#spec;
    if (format === 'csv') out.write(`${csvLine(this.#spec.csvHeader(items))}\n`);
    if (format === 'json') {
      const fields = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`);
      out.write(`{\n${fields.join('')}  ${JSON.stringify(arrayKey)}: [\n`);
    }
  }
}
