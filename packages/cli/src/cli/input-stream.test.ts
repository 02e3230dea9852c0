import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, readLines, sniffInput } from './input-stream.js';
import { InputError } from './read-ids.js';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  yield* parts;
}

async function lines(parts: (string | Uint8Array)[], limits = INPUT_LIMITS): Promise<[string, number][]> {
  const seen: [string, number][] = [];
  await readLines(chunks(...parts), 'ids.txt', (text, line) => seen.push([text, line]), limits);
  return seen;
}

async function refusal(parts: (string | Uint8Array)[], limits = INPUT_LIMITS): Promise<string> {
  const error = await lines(parts, limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).message;
}

const utf16le = (text: string): Buffer => Buffer.from(text, 'utf16le');
const utf16be = (text: string): Buffer => utf16le(text).swap16();

describe('readLines', () => {
  it('splits on LF, CRLF and CR, also across chunks, and drops a UTF-8 byte order mark', async () => {
    expect(await lines(['\ufeffa\r', '\nb\rc\n', 'd', 'e\r\n\r\nf'])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['de', 4],
      ['', 5],
      ['f', 6],
    ]);
  });

  it('joins a UTF-8 character split between chunks, and keeps a real U+FFFD', async () => {
    const bytes = Buffer.from('行人\n\ufffd\n');
    expect(await lines([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual([
      ['行人', 1],
      ['\ufffd', 2],
    ]);
  });

  it('refuses text that is not UTF-8, naming the line', async () => {
    expect(await refusal(['ok\n', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])])).toBe(
      'ids.txt:2 is not UTF-8 text (perhaps Latin-1 or Windows-1252); save it as UTF-8',
    );
  });

  it('refuses binary data at its first NUL byte, wherever it is', async () => {
    expect(await refusal([Buffer.alloc(100_000)])).toBe('ids.txt looks like binary data, not text (a NUL byte at byte 1)');
    const text = 'a\n'.repeat(5000);
    expect(await refusal([text, Buffer.from([0x62, 0x00])])).toBe(
      `ids.txt looks like binary data, not text (a NUL byte at byte ${text.length + 2})`,
    );
  });

  it('refuses a line longer than the cap, an input larger than the cap, and too many lines', async () => {
    const limits = { maxLineBytes: 2048, maxBytes: 10_000, maxLines: 20 };
    expect(await refusal(['x'.repeat(1500), 'x'.repeat(1500)], limits)).toBe(
      'ids.txt:1 is longer than 2 KB without a line end: expected one image ID per line, or CSV rows',
    );
    expect(await refusal(['abc\n'.repeat(200), 'abc\n'.repeat(200)], limits)).toMatch(/^ids\.txt has more than 20 lines/);
    expect(await refusal(['abc\n'.repeat(5), 'x\n'.repeat(6000)], limits)).toMatch(/^ids\.txt is larger than/);
  });
});

describe('sniffInput', () => {
  it('names UTF-16 by its byte order mark or by NULs between ASCII characters, and UTF-32', () => {
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('abc\n')]), Buffer.from([0xfe, 0xff, 0, 0x61])]) {
      expect(sniffInput(bytes)).toMatch(/^looks like UTF-16 text \(it starts with a UTF-16 byte order mark\); save it as UTF-8/);
    }
    for (const bytes of [utf16le('3cedbe61c86c0b0e\n7dafb75f\n'), utf16be('3cedbe61c86c0b0e\n7dafb75f\n')]) {
      expect(sniffInput(bytes)).toMatch(
        /^looks like UTF-16 text \(every other byte is NUL\); save it as UTF-8 text \(e\.g\. iconv -f UTF-16/,
      );
    }
    expect(sniffInput(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).toMatch(/^looks like UTF-32 text/);
  });

  it('names archives and images, and lets UTF-8 text through', () => {
    expect(sniffInput(Buffer.from([0x1f, 0x8b, 8, 0]))).toMatch(/gzip-compressed data/);
    expect(sniffInput(Buffer.from('PK\u0003\u0004rest', 'latin1'))).toMatch(/ZIP archive \(an \.xlsx workbook is one/);
    expect(sniffInput(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('is a JPEG image, not a list of image IDs');
    expect(sniffInput(Buffer.from('\ufeffimage_id\n3cedbe61\n行人\n'))).toBeUndefined();
    expect(sniffInput(Buffer.from(''))).toBeUndefined();
  });
});
