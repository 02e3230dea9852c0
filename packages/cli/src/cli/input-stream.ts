import { InputError } from './read-ids.js';

/**
 * Reading an ID list (a file or stdin) as a stream of UTF-8 lines, with
 * bounded memory: only the current line is held, lines and the whole input
 * have a cap, and input that is not UTF-8 text (binary data, UTF-16, an
 * archive, an image) is refused from its first bytes with a message that
 * names what it looks like.
 */
export interface InputLimits {
  /** The longest line (a CSV row) in bytes. */
  maxLineBytes: number;
  /** The most bytes read from one input. */
  maxBytes: number;
  /** The most lines (blank lines and comments included), so endless blank lines end soon too. */
  maxLines: number;
}

export const INPUT_LIMITS: InputLimits = { maxLineBytes: 64 * 1024, maxBytes: 256 * 1024 * 1024, maxLines: 4_000_000 };

/** Bytes looked at before anything is decoded, to tell what the input is. */
const SNIFF_BYTES = 4096;

const saveAsUtf8 = (encoding: string): string =>
  `save it as UTF-8 text (e.g. iconv -f ${encoding} -t UTF-8 in.txt > out.txt, or choose UTF-8 when saving it in an editor)`;

const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed data: decompress it first (gunzip)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx workbook is one: save the sheet as CSV)' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
}

/** Why the first bytes of an input are not UTF-8 text, or undefined when they may be. */
export function sniffInput(head: Uint8Array): string | undefined {
  if (startsWith(head, [0xff, 0xfe, 0, 0]) || startsWith(head, [0, 0, 0xfe, 0xff])) {
    return `looks like UTF-32 text (it starts with a UTF-32 byte order mark); ${saveAsUtf8('UTF-32')}`;
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return `looks like UTF-16 text (it starts with a UTF-16 byte order mark); ${saveAsUtf8('UTF-16')}`;
  }
  const signature = SIGNATURES.find(({ bytes }) => startsWith(head, bytes));
  if (signature) return `is ${signature.what}, not a list of image IDs`;
  // UTF-16 without a byte order mark: ASCII text with a NUL after (LE) or before (BE) every character.
  const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (pairs >= 2) {
    let evenNul = 0;
    let oddNul = 0;
    for (let index = 0; index < pairs * 2; index += 2) {
      if (head[index] === 0) evenNul++;
      if (head[index + 1] === 0) oddNul++;
    }
    if (Math.max(evenNul, oddNul) >= pairs * 0.6 && Math.min(evenNul, oddNul) <= pairs * 0.1) {
      return `looks like UTF-16 text (every other byte is NUL); ${saveAsUtf8('UTF-16')}`;
    }
  }
  return undefined;
}

/** Why `line` (bytes that are not valid UTF-8) is refused: binary data, or text in another encoding. */
function notUtf8(line: Uint8Array): string {
  let control = 0;
  for (const byte of line) if (byte < 0x20 && byte !== 0x09) control++;
  return control * 10 > line.length
    ? 'looks like binary data, not text'
    : 'is not UTF-8 text (perhaps Latin-1 or Windows-1252); save it as UTF-8';
}

/**
 * Calls `onLine` with each line of the input (decoded, without its line
 * end: LF, CRLF or CR) and its 1-based number. Throws InputError naming
 * `source` (already printable) when the input is not UTF-8 text or too large.
 */
export async function readLines(
  stream: AsyncIterable<string | Uint8Array>,
  source: string,
  onLine: (text: string, lineNumber: number) => void,
  limits: InputLimits = INPUT_LIMITS,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let head: Buffer | undefined = Buffer.alloc(0);
  let total = 0;
  let lineNumber = 1;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let afterCr = false;

  const emit = (bytes: Buffer): void => {
    if (lineNumber > limits.maxLines) {
      throw new InputError(
        `${source} has more than ${limits.maxLines.toLocaleString('en-US')} lines, more than any list of image IDs needs; split it into smaller lists`,
      );
    }
    const text = bytes.length === 0 ? '' : bytes.toString('utf8');
    // toString replaces what is not UTF-8 by U+FFFD; only then is the line decoded strictly (it may hold a real U+FFFD).
    if (text.includes('\uFFFD')) {
      try {
        decoder.decode(bytes);
      } catch {
        throw new InputError(`${source}:${lineNumber} ${notUtf8(bytes)}`);
      }
    }
    onLine(lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, lineNumber);
    lineNumber++;
  };
  const tooLong = (): InputError =>
    new InputError(
      `${source}:${lineNumber} is longer than ${limits.maxLineBytes / 1024} KB without a line end: expected one image ID per line, or CSV rows`,
    );

  const consume = (chunk: Buffer): void => {
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new InputError(`${source} looks like binary data, not text (a NUL byte at byte ${total - chunk.length + nul + 1})`);
    let start = 0;
    if (afterCr && chunk[0] === 0x0a) start = 1;
    afterCr = false;
    // The next CR is looked up again only once it is passed: a chunk without any is scanned once, not once per line.
    let cr = chunk.indexOf(0x0d, start);
    while (start < chunk.length) {
      if (cr >= 0 && cr < start) cr = chunk.indexOf(0x0d, start);
      const lf = chunk.indexOf(0x0a, start);
      const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf;
      if (end < 0) {
        partBytes += chunk.length - start;
        if (partBytes > limits.maxLineBytes) throw tooLong();
        parts.push(chunk.subarray(start));
        return;
      }
      if (partBytes + end - start > limits.maxLineBytes) throw tooLong();
      const piece = chunk.subarray(start, end);
      emit(parts.length === 0 ? piece : Buffer.concat([...parts, piece]));
      parts = [];
      partBytes = 0;
      start = end + 1;
      if (chunk[end] === 0x0d) {
        if (start === chunk.length) afterCr = true;
        else if (chunk[start] === 0x0a) start++;
      }
    }
  };

  for await (const raw of stream) {
    const chunk =
      typeof raw === 'string'
        ? Buffer.from(raw, 'utf8')
        : Buffer.isBuffer(raw)
          ? raw
          : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    total += chunk.length;
    if (total > limits.maxBytes) {
      throw new InputError(
        `${source} is larger than ${limits.maxBytes / 1024 / 1024} MB, more than any list of image IDs needs; split it into smaller lists`,
      );
    }
    if (head) {
      // Hold the first bytes back until there are enough to tell what the input is.
      head = Buffer.concat([head, chunk]);
      if (head.length < SNIFF_BYTES) continue;
      const refusal = sniffInput(head);
      if (refusal) throw new InputError(`${source} ${refusal}`);
      const first = head;
      head = undefined;
      consume(first);
    } else {
      consume(chunk);
    }
  }
  if (head) {
    const refusal = sniffInput(head);
    if (refusal) throw new InputError(`${source} ${refusal}`);
    consume(head);
  }
  if (parts.length > 0) emit(Buffer.concat(parts));
}
