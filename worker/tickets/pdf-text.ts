import type { PDFFont } from 'pdf-lib';

/**
 * Text for pdf-lib's standard fonts. They encode WinAnsi (Latin-1 plus a few typographic
 * signs) and `drawText` throws on anything else, so organizer and buyer text goes through
 * `printable` first: what the font lacks is normalized, transliterated, or replaced.
 */

/** Letters that NFKD does not reduce to a base letter the font has. */
const SUBSTITUTES: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  ŉ: "'n",
  ŋ: 'ng',
  Ŋ: 'NG',
  ſ: 's',
  ŧ: 't',
  Ŧ: 'T',
  ǝ: 'e',
  ə: 'e',
  Ə: 'E',
  '←': '<-',
  '→': '->',
  '↔': '<->',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '′': "'",
  '″': '"',
};

/** What stands for characters the font cannot show (a run of them becomes one). */
export const REPLACEMENT = '?';

const characterSets = new WeakMap<PDFFont, Set<number>>();

function characterSet(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  return set;
}

/**
 * `text` as `font` can draw it: spaces of every kind become a plain space, control
 * characters go, compatibility forms are normalized (full-width letters, ligatures), accents
 * the font lacks are dropped (ő → o, x̣ → x), a few letters and signs are transliterated (ł → l,
 * → → ->), and every other run of characters (e.g. Japanese) becomes one `?`.
 * Never throws; the result draws with `font.encodeText`.
 */
export function printable(text: string, font: PDFFont): string {
  const has = characterSet(font);
  const fits = (s: string) =>
    s.length > 0 && [...s].every((ch) => has.has(ch.codePointAt(0) ?? -1));
  let out = '';
  // NFC first: a letter typed as base + combining accent becomes the one character WinAnsi has.
  for (const ch of text.normalize('NFC')) {
    let piece: string;
    if (/\p{Zs}|\t/u.test(ch)) piece = ' ';
    else if (/\p{Cc}|\p{Cf}/u.test(ch)) piece = '';
    else if (fits(ch)) piece = ch;
    // An accent left over has no precomposed form here: the base letter stands alone.
    else if (/\p{M}/u.test(ch)) piece = '';
    else {
      const compatible = ch.normalize('NFKC');
      const bare = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      const substitute = SUBSTITUTES[ch] ?? '';
      piece = [compatible, bare, substitute].find(fits) ?? REPLACEMENT;
    }
    if (piece === REPLACEMENT && out.endsWith(REPLACEMENT)) continue;
    out += piece;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * Breaks `text` (already printable) into lines no wider than `maxWidth` at `size`, at
 * spaces where it can and inside a word that alone is too wide.
 */
export function wrapLines(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (width(word) <= maxWidth) {
      line = word;
      continue;
    }
    for (const ch of word) {
      if (line && width(line + ch) > maxWidth) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line) lines.push(line);
  return lines;
}
