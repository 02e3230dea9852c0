import { describe, expect, it } from 'vitest';
import { printable, printableInline } from './printable.js';

describe('printable', () => {
  it('escapes C0 and C1 controls, DEL, bidi controls and lone surrogates, and keeps line feeds', () => {
    expect(printable('a\u0000b\u0007c\u001b[31md\re\u007ff\u009bg\u202eh\u2066i\ud800j\nk')).toBe(
      'a\\u0000b\\u0007c\\u001b[31md\\u000de\\u007ff\\u009bg\\u202eh\\u2066i\\ud800j\nk',
    );
  });

  it('leaves ordinary text alone: CJK, emoji, accents, tabs escaped only as controls', () => {
    expect(printable('行人 🚗 café')).toBe('行人 🚗 café');
    expect(printable('a\tb')).toBe('a\\u0009b');
  });

  it('escapes line feeds too when a value is quoted inside a line', () => {
    expect(printableInline('ids\n.txt')).toBe('ids\\u000a.txt');
  });
});
