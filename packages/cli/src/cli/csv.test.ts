import { describe, expect, it } from 'vitest';
import { csvField, csvLine, CsvSyntaxError, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('splits fields and rows, with CRLF or LF line ends', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4').map((row) => row.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and counts lines', () => {
    const rows = parseCsv('id,note\n"x1","say ""hi"", then\nleave"\nx2,plain\n');
    expect(rows.map((row) => row.cells)).toEqual([
      ['id', 'note'],
      ['x1', 'say "hi", then\nleave'],
      ['x2', 'plain'],
    ]);
    expect(rows.map((row) => row.line)).toEqual([1, 2, 4]);
  });

  it('drops a byte order mark and blank lines, keeps empty fields', () => {
    expect(parseCsv('\ufeffa,,c\n\n\n,b,\n').map((row) => row.cells)).toEqual([
      ['a', '', 'c'],
      ['', 'b', ''],
    ]);
  });

  it('rejects a quoted field that never ends, naming its line', () => {
    expect(() => parseCsv('a\n"b,c\nd')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"b,c\nd')).toThrow(/line 2/);
  });
});

describe('csvField', () => {
  it('quotes only when needed, and round-trips through parseCsv', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(undefined)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    const values = ['traffic light', '行人', 'a,b', 'quote"d', ' padded ', 'two\nlines'];
    expect(parseCsv(csvLine(values))[0]!.cells).toEqual(values);
  });
});
