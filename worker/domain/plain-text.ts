/**
 * What a person's text (titles, names, venues, descriptions) may not contain: NUL and the
 * other control characters, which break storage, logs and mail headers, and the Unicode
 * bidirectional overrides and isolates, which make text display in another order than it
 * is stored ("Trojan Source": a title that reads as one thing and is another).
 */

/** C0 controls but tab and line breaks (U+0009, U+000A, U+000D), DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const CONTROLS_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** The same, and tab and line feed too: one-line fields. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/u;
/** LRE, RLE, PDF, LRO, RLO (U+202A-U+202E) and LRI, RLI, FSI, PDI (U+2066-U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * Why `text` is refused, in words for the API's field error, or null when it is fine.
 * `multiline` allows line breaks (LF, CR LF) and tabs: a description.
 */
export function plainTextProblem(
  text: string,
  options: { multiline?: boolean } = {},
): string | null {
  const controls = options.multiline ? CONTROLS_MULTILINE : CONTROLS;
  const control = controls.exec(text);
  if (control) {
    return options.multiline
      ? `Control characters are not allowed (found ${codePoint(control[0])}); only line breaks and tabs`
      : `Control characters are not allowed (found ${codePoint(control[0])})`;
  }
  const bidi = BIDI_CONTROLS.exec(text);
  if (bidi) {
    return `Bidirectional override and isolate characters are not allowed (found ${codePoint(bidi[0])})`;
  }
  return null;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
