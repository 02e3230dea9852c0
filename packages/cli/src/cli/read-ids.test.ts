import { describe, expect, it } from 'vitest';
import { IdCollector, idsFromArguments, InputError, parseIds } from './read-ids.js';

const A = '4021f6e15a163d6bf568dcf53fb69a45';
const B = '1ccfcd775c5bd40b51739b35612a3866';

describe('parseIds: text', () => {
  it('takes one ID per line, trims, skips blanks and # comments, and records line numbers', () => {
    const list = parseIds(`\ufeff# my sample\n${A}\r\n\n   ${B}  \n# end\n`, { source: 'ids.txt' });
    expect(list.ids).toEqual([A, B]);
    expect(list.origins).toEqual(['ids.txt:2', 'ids.txt:4']);
  });

  it('skips a header line left over from a CSV column, but only as the first ID', () => {
    expect(parseIds(`image_id\n${A}\nid\n`, { source: 'stdin' }).ids).toEqual([A, 'id']);
  });

  it('returns nothing for an empty document', () => {
    expect(parseIds('\n\n', { source: 'stdin' }).ids).toEqual([]);
  });
});

describe('parseIds: CSV', () => {
  it('switches to CSV when the first line has a comma and finds a header by its usual names', () => {
    const list = parseIds(`Image ID,label\n${A},cat\n${B},dog\n`, { source: 'x' });
    expect(list.ids).toEqual([A, B]);
    expect(list.origins).toEqual(['x:2', 'x:3']);
  });

  it('treats a first row of words above IDs with digits as a header', () => {
    expect(parseIds(`picture,label\n${A},cat\n${B},dog\n`, { source: 'x' }).ids).toEqual([A, B]);
  });

  it('keeps the first row when it is data', () => {
    expect(parseIds(`${A},cat\n${B},dog\n`, { source: 'x' }).ids).toEqual([A, B]);
    expect(parseIds(`${A}\n${B}\n`, { source: 'x.csv', csv: true }).ids).toEqual([A, B]);
  });

  it('reads a column named in any case, or by its 1-based number', () => {
    const text = `label,Image_Id\ncat,${A}\ndog,${B}\n`;
    expect(parseIds(text, { source: 'x', column: 'image_id' }).ids).toEqual([A, B]);
    expect(parseIds(text, { source: 'x', column: '2' }).ids).toEqual([A, B]);
    expect(parseIds(`cat,${A}\ndog,${B}\n`, { source: 'x', column: '2' }).ids).toEqual([A, B]);
  });

  it('says which columns exist when the named one does not', () => {
    expect(() => parseIds('a,b\n1,2\n', { source: 'f.csv', column: 'id' })).toThrow(InputError);
    expect(() => parseIds('a,b\n1,2\n', { source: 'f.csv', column: 'id' })).toThrow(
      'f.csv has no column named "id"; its first row has "a", "b"',
    );
  });

  it('names the line of a row that is too short', () => {
    expect(() => parseIds(`label,id\ncat,${A}\ndog\n`, { source: 'f.csv', column: 'id' })).toThrow(
      'f.csv:3 has 1 column(s), so it has no column 2',
    );
  });

  it('skips empty cells and reports broken quoting as an input error', () => {
    expect(parseIds(`id\n${A}\n""\n${B}\n`, { source: 'x', csv: true }).ids).toEqual([A, B]);
    expect(() => parseIds('id\n"open', { source: 'x', csv: true })).toThrow(/x is not valid CSV/);
  });
});

describe('idsFromArguments', () => {
  it('numbers the arguments', () => {
    expect(idsFromArguments([A, B]).origins).toEqual(['ID argument 1', 'ID argument 2']);
  });
});

describe('IdCollector', () => {
  it('gives what parseIds gives when fed line by line, with the header decided after more than 50 rows', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${A.slice(0, 28)}${String(i).padStart(4, '0')},cat`);
    const text = `# export of job 287\npicture,label\n${rows.join('\n')}\n`;
    const collector = new IdCollector({ source: 'x' });
    for (const [index, line] of text.split('\n').entries()) collector.line(line, index + 1);
    const list = collector.end();
    expect(list).toEqual(parseIds(text, { source: 'x' }));
    expect(list.ids).toHaveLength(120);
    expect(list.origins[0]).toBe('x:3');
  });

  it('joins a quoted cell that spans lines, and refuses one never closed', () => {
    expect(parseIds(`id,note\n${A},"two\nlines"\n${B},x\n`, { source: 'x' }).ids).toEqual([A, B]);
    expect(() => parseIds(`id,note\n${A},"open\n${B},x\n`, { source: 'x' })).toThrow(
      'x is not valid CSV: a quoted field that starts on line 2 is never closed',
    );
  });

  it('stops at its maximum number of IDs, saying how many one run reads', () => {
    const collector = new IdCollector({ source: 'stdin', maxIds: 3 });
    for (let line = 1; line <= 3; line++) collector.line(`${A}${line}`, line);
    expect(() => collector.line(B, 4)).toThrow('stdin holds more than 3 image IDs (the most one run reads); split it into smaller lists');
  });
});
