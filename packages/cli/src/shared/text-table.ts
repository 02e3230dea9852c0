import { printableInline } from './printable.js';

/**
 * Plain-text tables for a terminal. Column widths count display cells, so
 * tag names in Chinese (two cells per character) stay aligned.
 */

// East Asian Wide and Fullwidth ranges, plus the emoji blocks terminals draw two cells wide.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function codePointWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (codePoint >= 0x300 && codePoint <= 0x36f) return 0; // combining marks
  if (codePoint === 0x200b || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  for (const [low, high] of WIDE_RANGES) {
    if (codePoint < low) break;
    if (codePoint <= high) return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0)!);
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Cuts text to at most `width` cells, ending in an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

export interface TableColumn {
  header: string;
  /** The last column may wrap its items over several lines; the others never do. */
  wrap?: boolean;
}

export interface Style {
  header(text: string): string;
  dim(text: string): string;
}

export const plainStyle: Style = { header: (text) => text, dim: (text) => text };

export const ansiStyle: Style = {
  header: (text) => `\u001b[1m${text}\u001b[22m`,
  dim: (text) => `\u001b[2m${text}\u001b[22m`,
};

/**
 * Renders rows whose cells are lists of items. Items of the last column are
 * joined with `separator` and wrapped onto continuation lines at `maxWidth`,
 * breaking only between items, so a box like `cat@[1,2,3,4]` is never split.
 */
export function renderTable(
  columns: readonly TableColumn[],
  unsafeRows: readonly (readonly (string | readonly string[])[])[],
  options: { maxWidth?: number | undefined; separator?: string; style?: Style; minWidths?: readonly number[] } = {},
): string {
  // Cells hold what a server sent (tag names): nothing in them may act on the terminal.
  const rows = unsafeRows.map((row) =>
    row.map((cell) => (typeof cell === 'string' ? printableInline(cell) : Array.isArray(cell) ? cell.map(printableInline) : cell)),
  );
  const separator = options.separator ?? ' ';
  const style = options.style ?? plainStyle;
  const gap = '  ';
  const last = columns.length - 1;
  const fixedWidths = columns
    .slice(0, last)
    .map((column, index) =>
      Math.max(
        options.minWidths?.[index] ?? 0,
        displayWidth(column.header),
        ...rows.map((row) => displayWidth(cellText(row[index], separator))),
      ),
    );
  const indent = fixedWidths.reduce((sum, width) => sum + width + gap.length, 0);
  const lastWidth = options.maxWidth !== undefined ? Math.max(20, options.maxWidth - indent) : Number.POSITIVE_INFINITY;

  const lines: string[] = [];
  const headerCells = columns.map((column, index) => (index < last ? padEnd(column.header, fixedWidths[index]!) : column.header));
  lines.push(style.header(headerCells.join(gap).trimEnd()));
  for (const row of rows) {
    const prefix = fixedWidths.map((width, index) => padEnd(cellText(row[index], separator), width)).join(gap);
    const lastCell = row[last];
    const items = Array.isArray(lastCell) ? (lastCell as readonly string[]) : [String(lastCell ?? '')];
    const wrapped = columns[last]!.wrap ? wrapItems(items, lastWidth, separator) : [items.join(separator)];
    const lead = last > 0 ? prefix + gap : '';
    lines.push((lead + (wrapped[0] ?? '')).trimEnd());
    for (const more of wrapped.slice(1)) lines.push(' '.repeat(indent) + more);
  }
  return `${lines.join('\n')}\n`;
}

function cellText(cell: string | readonly string[] | undefined, separator: string): string {
  if (cell === undefined) return '';
  return typeof cell === 'string' ? cell : cell.join(separator);
}

function wrapItems(items: readonly string[], width: number, separator: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    if (current === '') current = item;
    else if (displayWidth(current) + displayWidth(separator) + displayWidth(item) <= width) current += separator + item;
    else {
      lines.push(current);
      current = item;
    }
  }
  lines.push(current);
  return lines;
}
