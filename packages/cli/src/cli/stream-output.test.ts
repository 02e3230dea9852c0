import { describe, expect, it } from 'vitest';
import { StreamedList } from './stream-output.js';
import type { OutputFormat } from './output-formats.js';

function list(format: OutputFormat) {
  let text = '';
  const writes: string[] = [];
  const stream = new StreamedList<{ id: string; n: number }>({
    format,
    out: {
      write: (chunk: string) => {
        writes.push(chunk);
        text += chunk;
      },
    },
    head: { job: '287' },
    arrayKey: 'items',
    json: (item) => item,
    csvHeader: () => ['id', 'n'],
    csvRows: (item) => [[item.id, item.n]],
    table: (items) => `ID  N\n${items.map((item) => `${item.id}  ${item.n}\n`).join('')}`,
  });
  return { stream, text: () => text, writes };
}

describe('StreamedList', () => {
  it('writes one valid JSON document across chunks, with the tail after the array', () => {
    const out = list('json');
    out.stream.write([{ id: 'a', n: 1 }]);
    out.stream.write([]);
    out.stream.write([{ id: 'b', n: 2 }]);
    out.stream.end({ count: 2 });
    expect(JSON.parse(out.text())).toEqual({
      job: '287',
      items: [
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ],
      count: 2,
    });
    expect(out.writes.length).toBeGreaterThan(2);
  });

  it('writes an empty JSON document and a CSV header when nothing came', () => {
    const json = list('json');
    json.stream.end({ count: 0 });
    expect(JSON.parse(json.text())).toEqual({ job: '287', items: [], count: 0 });
    const csv = list('csv');
    csv.stream.end();
    expect(csv.text()).toBe('id,n\n');
  });

  it('writes the table header once and ndjson line by line', () => {
    const table = list('table');
    table.stream.write([{ id: 'a', n: 1 }]);
    table.stream.write([{ id: 'b', n: 2 }]);
    table.stream.end();
    expect(table.text()).toBe('ID  N\na  1\nb  2\n');
    const lines = list('ndjson');
    lines.stream.write([{ id: 'a', n: 1 }]);
    lines.stream.end({ ignored: true });
    expect(lines.text()).toBe('{"id":"a","n":1}\n');
    expect(lines.stream.count).toBe(1);
  });
});
