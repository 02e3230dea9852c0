import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from './input-stream.js';
import { InputError } from './read-ids.js';
import { readTagsFile } from './tags-file.js';

const lines = (bytes: Buffer) => (onLine: (text: string, lineNumber: number) => void) =>
  readLines(Readable.from([bytes]), 'tags.jsonl', onLine);
const read = (text: string, max = 10) => readTagsFile(lines(Buffer.from(text)), 'tags.jsonl', max);
const ID = 'a'.repeat(32);

describe('readTagsFile', () => {
  it('reads names, boxes as pos or box, and sizes as arrays or objects, skipping blank lines', async () => {
    const file = await read(
      [
        JSON.stringify({ image_id: ID, tags: ['cat'] }),
        '',
        JSON.stringify({ imageId: ID, tags: [{ tag: 'car', pos: [1, 2, 3, 4] }], size: [10, 20, 3] }),
        JSON.stringify({
          type: 'detection',
          imageId: ID,
          tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } }],
          size: { width: 10, height: 20 },
          extra: {},
        }),
      ].join('\r\n'),
    );
    expect(file.origins).toEqual(['tags.jsonl:1', 'tags.jsonl:3', 'tags.jsonl:4']);
    expect(file.images[0]).toEqual({ imageId: ID, tags: ['cat'] });
    expect(file.images[1]).toEqual({
      imageId: ID,
      tags: [{ tag: 'car', box: { xmin: 1, ymin: 2, xmax: 3, ymax: 4 } }],
      size: { width: 10, height: 20, depth: 3 },
    });
    expect(file.images[2]).toMatchObject({ imageId: ID, size: { width: 10, height: 20 } });
  });

  it('lists every bad line with its number in one error', async () => {
    const text = [
      '{',
      '[1]',
      '{"tags": []}',
      `{"image_id": "${ID}", "tags": [{"tag": "x", "pos": [1, 2]}]}`,
      `{"image_id": "${ID}", "tags": [], "size": [1]}`,
    ].join('\n');
    const error = await read(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^5 line\(s\) of tags\.jsonl cannot be written; nothing was sent:/);
    for (const line of [1, 2, 3, 4, 5]) expect(message).toContain(`\ntags.jsonl:${line}: `);
  });

  it('refuses an empty file, too many images and input that is not UTF-8 text', async () => {
    await expect(read('\n\n')).rejects.toThrow('No images found in tags.jsonl');
    const many = Array.from({ length: 3 }, () => JSON.stringify({ image_id: ID, tags: [] })).join('\n');
    await expect(read(many, 2)).rejects.toThrow('holds more than 2 images');
    await expect(readTagsFile(lines(Buffer.from([0xff, 0xfe, 0x7b, 0])), 'tags.jsonl', 10)).rejects.toThrow('UTF-16');
  });
});
