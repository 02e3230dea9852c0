/**
 * A short, printable rendering of a value for an error message: JSON where
 * it can be, cut to 80 characters. Used by every check of user input, so a
 * message shows what was given without flooding a log with a huge value.
 */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `null`, `undefined`, `a list`, `an object` or `a <typeof>`: what a value is, for a message. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
