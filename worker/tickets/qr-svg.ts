import QRCode from 'qrcode-svg';

export interface QrSvgOptions {
  /** Size of one module in CSS pixels, for the width and height attributes. Default 4. */
  moduleSize?: number;
  /** Quiet zone around the symbol, in modules. Default 4, the minimum the QR spec asks for. */
  margin?: number;
  /** Accessible name of the image. Default "QR code". */
  title?: string;
}

/**
 * The QR symbol for `text` (byte mode, error correction level M) as a module matrix:
 * `matrix[row][col]` is true for a dark module. qrcode-svg is used only as the encoder.
 * Throws when `text` is empty or too long for a QR code.
 */
export function qrMatrix(text: string): boolean[][] {
  return new QRCode({ content: text, ecl: 'M' }).qrcode.modules;
}

/**
 * Renders `text` as a small, self-contained QR code SVG.
 *
 * The dark modules of each row are drawn as horizontal runs of ONE stroked path (`M x y.5 h w`,
 * then `m gap 0 h w` for the next run): a stroke of width 1 with butt caps covers exactly
 * the run's modules, and costs about half the bytes of filled rectangles (`h w v1 h-w z`).
 * A ~200-character ticket code comes out around 5 KB; qrcode-svg's own output is ~250 KB, and
 * it draws the symbol transposed (a mirror image, which some scanners reject).
 * Keep `text` ASCII (ticket codes and URLs are): qrcode-svg's UTF-8 encoder is wrong for
 * U+0080, U+0800 and characters outside the BMP.
 */
export function renderQrSvg(text: string, options: QrSvgOptions = {}): string {
  const { moduleSize = 4, margin = 4, title = 'QR code' } = options;
  if (!(Number.isFinite(moduleSize) && moduleSize > 0)) throw new RangeError('bad moduleSize');
  if (!(Number.isInteger(margin) && margin >= 0)) throw new RangeError('bad margin');

  const matrix = qrMatrix(text);
  const side = matrix.length + 2 * margin;
  const pixels = side * moduleSize;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${-margin} ${-margin} ${side} ${side}"` +
    ` width="${pixels}" height="${pixels}" role="img" shape-rendering="crispEdges">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="${-margin}" y="${-margin}" width="${side}" height="${side}" fill="#fff"/>` +
    // Explicit stroke attributes so CSS inherited from a host page cannot widen the runs.
    `<path fill="none" stroke="#000" stroke-width="1" stroke-linecap="butt" d="${pathData(matrix)}"/>` +
    '</svg>'
  );
}

/** Run-length path data: one absolute move per row, relative moves between runs. */
function pathData(matrix: boolean[][]): string {
  let d = '';
  matrix.forEach((row, y) => {
    let end: number | undefined; // x where the previous run of this row ended
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (row[x]) x++;
      // The stroke is centred on the line, so y + 0.5 puts the run exactly on row y.
      d += end === undefined ? `M${start} ${y + 0.5}` : `m${start - end} 0`;
      d += `h${x - start}`;
      end = x;
    }
  });
  return d;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
