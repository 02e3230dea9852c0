import { describe, expect, it } from 'vitest';
import { InputValidationError } from './errors.js';
import { assertAnnotationId, MAX_IMAGE_ID_LENGTH, normalizeImageIds } from './ids.js';

describe('normalizeImageIds', () => {
  it('trims, drops repeats and keeps the first position', () => {
    expect(normalizeImageIds([' b ', 'a', 'b', '\ta'])).toEqual(['b', 'a']);
  });

  it('keeps unicode IDs as they are', () => {
    expect(normalizeImageIds(['猫 图片 1.jpg', 'café ☕ 😀.png'])).toEqual(['猫 图片 1.jpg', 'café ☕ 😀.png']);
  });

  const bad: [string, unknown, RegExp, number | undefined][] = [
    ['not an array', 'abc', /must be an array of strings, not "abc"/, undefined],
    ['an empty list', [], /imageIds is empty/, undefined],
    ['a number', ['a', 42], /imageIds\[1\] is number 42, not a string/, 1],
    ['null', ['a', null], /imageIds\[1\] is null null, not a string/, 1],
    ['an empty string', ['a', 'b', '   '], /imageIds\[2\] is empty/, 2],
    ['an absurdly long ID', ['x'.repeat(MAX_IMAGE_ID_LENGTH + 1)], /imageIds\[0\] is 1025 characters long/, 0],
    ['a control character', ['a', 'b\u0007c'], /imageIds\[1\] "b\\u0007c" contains the control character U\+0007 at position 1/, 1],
    ['a line break inside', ['a\nb'], /U\+000A/, 0],
  ];
  for (const [what, input, message, index] of bad) {
    it(`rejects ${what} with the position and the value`, () => {
      let error: unknown;
      try {
        normalizeImageIds(input);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as Error).message).toMatch(message);
      expect((error as InputValidationError).index).toBe(index);
    });
  }

  it('validates a million IDs in one pass', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `image-${i}`);
    expect(normalizeImageIds(ids)).toHaveLength(1_000_000);
  });
});

describe('assertAnnotationId', () => {
  it('accepts job IDs as the console shows them', () => {
    expect(assertAnnotationId('282')).toBe('282');
    expect(assertAnnotationId('WxCREuCkBSAlQr9xrde')).toBe('WxCREuCkBSAlQr9xrde');
  });
  for (const bad of ['', '../etc', 'a b', 'a/b', 'a%2Fb', 42, undefined]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => assertAnnotationId(bad)).toThrow(InputValidationError);
    });
  }
});
