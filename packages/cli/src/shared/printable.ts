import { escapeUnprintable } from '@modelarts-kit/client/core';

/**
 * Text from input files, servers or the command line, made safe to print on
 * a terminal by the client's one rule (escapeUnprintable): every character
 * that could act on a terminal becomes a visible `\uxxxx` escape.
 */

/** `text` with every character that could act on a terminal escaped; line ends of our own messages stay. */
export function printable(text: string): string {
  return escapeUnprintable(text, { keepLineFeeds: true });
}

/** As printable, with line feeds escaped too: for a value quoted inside one line. */
export function printableInline(text: string): string {
  return escapeUnprintable(text);
}
