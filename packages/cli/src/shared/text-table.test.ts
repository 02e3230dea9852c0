import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable, truncate } from './text-table.js';

describe('displayWidth', () => {
  it('counts CJK characters as two cells and combining marks as none', () => {
    expect(displayWidth('cat')).toBe(3);
    expect(displayWidth('行人')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncates by cells, with an ellipsis', () => {
    expect(truncate('traffic light', 8)).toBe('traffic…');
    expect(truncate('行人行人', 5)).toBe('行人…');
    expect(truncate('cat', 8)).toBe('cat');
  });
});

describe('renderTable', () => {
  it('aligns columns that hold wide characters', () => {
    const text = renderTable(
      [{ header: 'TAG' }, { header: 'N' }],
      [
        ['行人', '3'],
        ['cat', '10'],
      ],
    );
    expect(text).toBe('TAG   N\n行人  3\ncat   10\n');
  });

  it('wraps the last column between items, never inside one', () => {
    const text = renderTable(
      [{ header: 'ID' }, { header: 'BOXES', wrap: true }],
      [['a1', ['cat@[1,2,3,4]', 'dog@[5,6,7,8]', 'bus@[9,9,9,9]']]],
      { maxWidth: 33 },
    );
    expect(text).toBe('ID  BOXES\na1  cat@[1,2,3,4] dog@[5,6,7,8]\n    bus@[9,9,9,9]\n');
  });

  it('keeps a single long item whole', () => {
    const text = renderTable([{ header: 'ID' }, { header: 'TAGS', wrap: true }], [['x', ['a-very-long-tag-name-indeed']]], {
      maxWidth: 10,
    });
    expect(text).toContain('x   a-very-long-tag-name-indeed');
  });

  it('escapes control characters a server put in a tag name, so they cannot act on the terminal', () => {
    const text = renderTable([{ header: 'IMAGE ID' }, { header: 'TAGS', wrap: true }], [['a', ['cat\u001b]0;x\u0007', 'dog\u202e']]]);
    expect(text).toBe('IMAGE ID  TAGS\na         cat\\u001b]0;x\\u0007 dog\\u202e\n');
  });
});
