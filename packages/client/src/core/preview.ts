// C0 controls, DEL, C1 controls, bidi marks, embeddings, overrides and isolates, and lone
// surrogates (a terminal shows them as garbage, and they hide the text around them).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

/**
 * `text` made safe to print on a terminal or in a log: a control character
 * could move the cursor, recolour or retitle the terminal, or hide what
 * follows; a bidirectional override could make a line read differently
 * from what it holds. Each becomes a visible `\uxxxx` escape, as JSON
 * writes them. Line feeds are escaped too, unless `keepLineFeeds` (for
 * multi-line messages of one's own).
 */
export function escapeUnprintable(text: string, { keepLineFeeds = false }: { keepLineFeeds?: boolean } = {}): string {
  return text.replace(UNPRINTABLE, (char) =>
    keepLineFeeds && char === '\n' ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A short, printable rendering of a value for an error message: JSON where
 * it can be, cut to 80 characters, every unprintable character escaped (see
 * escapeUnprintable). Used by every check of user input, so a message shows
 * what was given without flooding a log with a huge value or acting on a
 * terminal.
 */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  // Cut before escaping, so a surrogate pair cut in half is escaped too.
  return escapeUnprintable(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** `null`, `undefined`, `a list`, `an object` or `a <typeof>`: what a value is, for a message. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
