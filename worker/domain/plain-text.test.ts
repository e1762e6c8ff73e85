import { describe, expect, it } from 'vitest';
import { plainTextProblem } from './plain-text';

describe('plainTextProblem', () => {
  it('accepts ordinary text in any script, with marks and emoji', () => {
    for (const text of [
      'Night Owls Live',
      'Hafenstraße 7',
      'מסיבה',
      'Café ☕ 🎉',
      '\u200fRLM mark',
    ]) {
      expect(plainTextProblem(text)).toBeNull();
    }
  });

  it('refuses NUL, other C0 controls, DEL and C1 controls, naming the character', () => {
    expect(plainTextProblem('a\u0000b')).toMatch(/U\+0000/);
    expect(plainTextProblem('a\u001bb')).toMatch(/U\+001B/);
    expect(plainTextProblem('a\u007fb')).toMatch(/U\+007F/);
    expect(plainTextProblem('a\u0085b')).toMatch(/U\+0085/);
    expect(plainTextProblem('two\nlines')).toMatch(/U\+000A/);
    expect(plainTextProblem('tab\there')).toMatch(/U\+0009/);
  });

  it('allows line breaks and tabs in multi-line text, not the other controls', () => {
    expect(plainTextProblem('one\n\ttwo\r\nthree', { multiline: true })).toBeNull();
    expect(plainTextProblem('one\u0000', { multiline: true })).toMatch(/U\+0000/);
    expect(plainTextProblem('one\u000btwo', { multiline: true })).toMatch(/U\+000B/);
    expect(plainTextProblem('one\u001btwo', { multiline: true })).toMatch(/U\+001B/);
  });

  it('refuses every bidi override and isolate, U+202A-U+202E and U+2066-U+2069', () => {
    const codes = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const code of codes) {
      const text = `title ${String.fromCodePoint(code)}gnp.exe`;
      expect(plainTextProblem(text)).toMatch(/Bidirectional/);
      expect(plainTextProblem(text, { multiline: true })).toMatch(/Bidirectional/);
    }
    expect(plainTextProblem('\u2029')).toBeNull(); // a paragraph separator is not an override
  });
});
