import {
  fill,
  type PDFOperator,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
} from 'pdf-lib';
import { qrMatrix } from './qr-svg';

/** Quiet zone around the symbol, in modules: the minimum the QR spec asks for. */
export const QR_QUIET_ZONE = 4;

/** Where a QR code goes on a page: its lower-left corner and its side, quiet zone included. */
export interface QrBox {
  x: number;
  y: number;
  side: number;
}

/**
 * The QR code of `text` as PDF drawing operators: one filled path of rectangles, one per
 * horizontal run of dark modules, from the same module matrix the SVG draws (`qrMatrix`),
 * so both carry the identical symbol. Vector, so it prints sharp at any size. The module
 * size is rounded down to a quarter point (an exact binary fraction: rows meet without
 * hairline gaps); the symbol is centred in `box`. Returns the operators and the module size.
 */
export function qrOperators(
  text: string,
  box: QrBox,
): { operators: PDFOperator[]; module: number } {
  const matrix = qrMatrix(text);
  const modules = matrix.length + 2 * QR_QUIET_ZONE;
  const module = Math.floor((box.side / modules) * 4) / 4;
  const inset = (box.side - matrix.length * module) / 2;
  const left = box.x + inset;
  const top = box.y + box.side - inset;
  const runs: PDFOperator[] = [];
  matrix.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (row[c]) c++;
      runs.push(
        rectangle(left + start * module, top - (r + 1) * module, (c - start) * module, module),
      );
    }
  });
  return {
    operators: [
      pushGraphicsState(),
      setFillingGrayscaleColor(0),
      ...runs,
      fill(),
      popGraphicsState(),
    ],
    module,
  };
}
