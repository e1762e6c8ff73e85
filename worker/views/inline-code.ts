import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * The few inline <script> and <style> blocks of the hosted pages. Each is a constant (no
 * request data in it), registered here when its view module loads, so the pages' CSP can
 * allow exactly these by hash (`'sha256-…'`) and nothing else: no `'unsafe-inline'`, and no
 * nonce to thread through every view. Pages stay one request (no extra file to fetch).
 */
const scripts = new Set<string>();
const styles = new Set<string>();

/** A constant inline script: emitted raw, allowed by the CSP's `script-src` hash list. */
export function inlineScript(code: string): HtmlEscapedString | Promise<HtmlEscapedString> {
  scripts.add(code);
  return raw(code);
}

/** A constant inline stylesheet: emitted raw, allowed by the CSP's `style-src` hash list. */
export function inlineStyle(css: string): HtmlEscapedString | Promise<HtmlEscapedString> {
  styles.add(css);
  return raw(css);
}

const hashes = new Map<string, Promise<string>>();

/** `'sha256-<base64>'` of a block's exact text, as a CSP hash-source; once per isolate. */
export function cspHash(text: string): Promise<string> {
  let hash = hashes.get(text);
  if (!hash) {
    hash = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(text))
      .then((digest) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    hashes.set(text, hash);
  }
  return hash;
}

/** The hash-sources of every registered inline script and stylesheet. */
export async function inlineCodeHashes(): Promise<{ scripts: string[]; styles: string[] }> {
  const [scriptHashes, styleHashes] = await Promise.all([
    Promise.all([...scripts].map(cspHash)),
    Promise.all([...styles].map(cspHash)),
  ]);
  return { scripts: scriptHashes, styles: styleHashes };
}
