/**
 * Text from input files, servers or the command line, made safe to print on
 * a terminal: a control character could move the cursor, recolour or
 * retitle the terminal, or hide what follows; a bidirectional override
 * could make a line read differently from what it holds. Each becomes a
 * visible `\uxxxx` escape, as JSON writes them; line ends of our own messages stay.
 */

// C0 controls but line feed, DEL, C1 controls, bidi marks, embeddings, overrides and isolates,
// and lone surrogates (a terminal shows them as garbage, and they hide the text around them).
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;

function asEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every character that could act on a terminal escaped as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, asEscape);
}

/** As printable, with line feeds escaped too: for a value quoted inside one line. */
export function printableInline(text: string): string {
  return printable(text).replaceAll('\n', '\\u000a');
}
