import {
  decodePDFRawStream,
  PDFArray,
  PDFDocument,
  type PDFPage,
  PDFRawStream,
  type PDFRef,
} from 'pdf-lib';

/**
 * Reads a PDF back the way a checker must: parsed by pdf-lib, each page's content streams
 * inflated, and the text-showing and rectangle operators read out of them. pdf-lib cannot
 * extract text itself; our PDFs show text only as WinAnsi hex strings (`<48656C6C6F> Tj`).
 */
export interface PageContent {
  /** Every string shown on the page, in drawing order. */
  lines: string[];
  /** Every `re` rectangle: [x, y, width, height]. */
  rectangles: [number, number, number, number][];
}

export async function readPdf(bytes: Uint8Array | ArrayBuffer): Promise<PageContent[]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => parseContent(pageContent(page)));
}

function pageContent(page: PDFPage): string {
  const contents = page.node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  return refs
    .map((item) => {
      const stream = page.doc.context.lookup(item as PDFRef);
      if (!(stream instanceof PDFRawStream)) throw new Error('unexpected content stream');
      return latin1(decodePDFRawStream(stream).decode());
    })
    .join('\n');
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/** WinAnsi differs from Latin-1 in 0x80-0x9F; only the signs our texts use are mapped. */
const WIN_ANSI_EXTRA: Record<number, string> = { 128: '€', 150: '–', 151: '—', 133: '…' };

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i < hex.length; i += 2) {
    const code = Number.parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_EXTRA[code] ?? String.fromCharCode(code);
  }
  return out;
}

function parseContent(content: string): PageContent {
  const lines = [...content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => decodeHex(m[1] ?? ''));
  const number = String.raw`(-?\d*\.?\d+)`;
  const rectangles = [
    ...content.matchAll(
      new RegExp(`${number}\\s+${number}\\s+${number}\\s+${number}\\s+re\\b`, 'g'),
    ),
  ].map(
    (m) =>
      [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number],
  );
  return { lines, rectangles };
}

/**
 * The module matrix the rectangles draw, read back on the grid of `module` points: the
 * rectangles must tile whole modules, else this throws.
 */
export function matrixFromRectangles(
  rectangles: PageContent['rectangles'],
  module: number,
): boolean[][] {
  const left = Math.min(...rectangles.map(([x]) => x));
  const top = Math.max(...rectangles.map(([, y, , h]) => y + h));
  const cells = rectangles.map(([x, y, w, h]) => {
    const col = (x - left) / module;
    const row = (top - (y + h)) / module;
    const run = w / module;
    if (![col, row, run].every(Number.isInteger) || h !== module) {
      throw new Error(`rectangle off the module grid: ${[x, y, w, h].join(' ')}`);
    }
    return { row, col, run };
  });
  const size = Math.max(...cells.map((c) => c.row)) + 1;
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const { row, col, run } of cells) {
    for (let i = col; i < col + run; i++) {
      const line = grid[row];
      if (!line || i >= size || line[i])
        throw new Error(`module ${row},${i} drawn twice or off grid`);
      line[i] = true;
    }
  }
  return grid;
}
