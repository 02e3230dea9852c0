import { describe, expect, it } from 'vitest';
import { escapeUnprintable, previewValue } from './preview.js';

describe('previewValue', () => {
  it('escapes what JSON leaves as is: DEL, C1 controls and bidi characters', () => {
    expect(previewValue('a\u007fb\u009bc\u202ed\u2066e')).toBe('"a\\u007fb\\u009bc\\u202ed\\u2066e"');
  });

  it('escapes half of a surrogate pair left by the cut', () => {
    const preview = previewValue(`${'x'.repeat(75)}🚗 and more`);
    expect(preview).toBe(`"${'x'.repeat(75)}\\ud83d...`);
  });
});

describe('escapeUnprintable', () => {
  it('escapes line feeds unless they are kept', () => {
    expect(escapeUnprintable('a\nb\u001b')).toBe('a\\u000ab\\u001b');
    expect(escapeUnprintable('a\nb\u001b', { keepLineFeeds: true })).toBe('a\nb\\u001b');
  });
});
