import { env } from 'cloudflare:test';
import QRCode from 'qrcode-svg';
import { describe, expect, it } from 'vitest';
import { signTicketCode } from './codes';
import { qrMatrix, renderQrSvg } from './qr-svg';

/** qrcode-svg's own matrix for `text`, the reference the rendering must reproduce. */
function referenceMatrix(text: string): boolean[][] {
  return new QRCode({ content: text, ecl: 'M' }).qrcode.modules;
}

function attr(svg: string, element: string, name: string): string {
  const tag = new RegExp(`<${element}\\b[^>]*>`).exec(svg)?.[0] ?? '';
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  if (value === undefined) throw new Error(`<${element}> has no ${name}`);
  return value;
}

/**
 * Reads the SVG back into a module matrix: the symbol size from the viewBox, the dark modules
 * from the path's runs. Strict: an unknown command, a run off the grid or drawn twice throws.
 */
function decodeSvg(svg: string): boolean[][] {
  const [minX, minY, width, height] = attr(svg, 'svg', 'viewBox').split(' ').map(Number);
  const margin = -(minX ?? Number.NaN);
  expect(minY).toBe(minX);
  expect(height).toBe(width);
  const size = (width ?? Number.NaN) - 2 * margin;
  expect(Number.isInteger(size) && size >= 21).toBe(true);
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));

  const d = attr(svg, 'path', 'd');
  const commands = [...d.matchAll(/([MmHh])([^A-Za-z]*)/g)];
  expect(commands.map((c) => c[0]).join('')).toBe(d);
  let x = 0;
  let y = 0;
  for (const [, command, args = ''] of commands) {
    const n = (args.match(/-?\d*\.?\d+/g) ?? []).map(Number);
    if (command === 'M' || command === 'm') {
      expect(n).toHaveLength(2);
      const [dx = 0, dy = 0] = n;
      [x, y] = command === 'M' ? [dx, dy] : [x + dx, y + dy];
      continue;
    }
    expect(n).toHaveLength(1);
    const end = command === 'H' ? (n[0] ?? 0) : x + (n[0] ?? 0);
    // A width-1 stroke centred on y covers the module row y - 0.5.
    const row = grid[y - 0.5];
    if (!row || !Number.isInteger(x) || !Number.isInteger(end) || end <= x || end > size) {
      throw new Error(`run off the grid: ${command}${args} at ${x},${y}`);
    }
    for (let col = x; col < end; col++) {
      if (row[col]) throw new Error(`module ${y - 0.5},${col} drawn twice`);
      row[col] = true;
    }
    x = end;
  }
  return grid;
}

/**
 * The format information next to the top-left finder, read as a scanner does (ISO 18004
 * 7.9): returns the error correction bits if the BCH code checks, otherwise null. It is only
 * valid when the symbol is in standard orientation, so it catches a transposed rendering.
 */
function readFormatInfo(m: boolean[][]): number | null {
  const at = (row: number, col: number) => (m[row]?.[col] ? 1 : 0);
  const cells: [number, number][] = [
    ...[0, 1, 2, 3, 4, 5, 7, 8].map((col): [number, number] => [8, col]),
    ...[7, 5, 4, 3, 2, 1, 0].map((row): [number, number] => [row, 8]),
  ];
  const format = cells.reduce((bits, [row, col]) => (bits << 1) | at(row, col), 0) ^ 0x5412;
  const data = format >> 10;
  let rem = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (rem & (1 << bit)) rem ^= 0x537 << (bit - 10);
  return ((data << 10) | rem) === format ? data >> 3 : null;
}

const transpose = (m: boolean[][]) => m.map((row, i) => row.map((_, j) => m[j]?.[i] === true));

describe('renderQrSvg', () => {
  it('renders a real ticket code losslessly, in one path, under 8 KB', async () => {
    const code = await signTicketCode(env, {
      ticketId: 'tkt_0a1b2c3d4e5f6g7h8i9j',
      eventId: 'evt_k0l1m2n3o4p5q6r7s8t9',
    });
    const svg = renderQrSvg(code, { title: 'Ticket tkt_0a1b2c3d4e5f6g7h8i9j' });
    const bytes = new TextEncoder().encode(svg).length;
    expect(bytes).toBeLessThanOrEqual(8 * 1024);
    expect(svg.split('<path').length - 1).toBe(1);

    const reference = referenceMatrix(code);
    expect(reference.length).toBeLessThanOrEqual(57); // QR version 10 or less
    expect(decodeSvg(svg)).toEqual(reference);
    expect(qrMatrix(code)).toEqual(reference);
  });

  it('is lossless for other sizes, margins and module sizes', () => {
    for (const [text, margin, moduleSize] of [
      ['a', 0, 1],
      ['https://tessera.example/t/abc', 2, 10],
      ['x'.repeat(600), 4, 3],
    ] as const) {
      const svg = renderQrSvg(text, { margin, moduleSize });
      const reference = referenceMatrix(text);
      expect(decodeSvg(svg)).toEqual(reference);
      const side = reference.length + 2 * margin;
      expect(attr(svg, 'svg', 'viewBox')).toBe(`${-margin} ${-margin} ${side} ${side}`);
      expect(attr(svg, 'svg', 'width')).toBe(String(side * moduleSize));
      expect(attr(svg, 'svg', 'height')).toBe(String(side * moduleSize));
    }
  });

  it('draws the symbol in standard orientation (format information reads as level M)', () => {
    const text = 'eyJhbGciOiJFZERTQSJ9.WyJhYmMiLCJkZWYiXQ.signature';
    const decoded = decodeSvg(renderQrSvg(text));
    expect(readFormatInfo(decoded)).toBe(0b00); // ECL bits: M is 00
    // The check is not vacuous: the transposed symbol (what qrcode-svg's svg() draws) fails it.
    expect(readFormatInfo(transpose(decoded))).toBeNull();
  });

  it('has a white background over the whole viewBox and crisp edges', () => {
    const svg = renderQrSvg('hello');
    const side = 21 + 8;
    expect(attr(svg, 'svg', 'shape-rendering')).toBe('crispEdges');
    expect(attr(svg, 'rect', 'x')).toBe('-4');
    expect(attr(svg, 'rect', 'y')).toBe('-4');
    expect(attr(svg, 'rect', 'width')).toBe(String(side));
    expect(attr(svg, 'rect', 'height')).toBe(String(side));
    expect(attr(svg, 'rect', 'fill')).toBe('#fff');
    expect(attr(svg, 'path', 'stroke')).toBe('#000');
    expect(attr(svg, 'path', 'stroke-width')).toBe('1');
  });

  it('has an escaped accessible title', () => {
    expect(renderQrSvg('hello')).toContain('<title>QR code</title>');
    const svg = renderQrSvg('hello', { title: `</title><script>alert("x")</script>&'` });
    expect(svg).toContain(
      '<title>&#60;/title&#62;&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;</title>',
    );
    expect(svg).not.toContain('<script');
    expect(attr(svg, 'svg', 'role')).toBe('img');
  });

  it('rejects bad options and empty text', () => {
    expect(() => renderQrSvg('x', { moduleSize: 0 })).toThrow(RangeError);
    expect(() => renderQrSvg('x', { moduleSize: Number.NaN })).toThrow(RangeError);
    expect(() => renderQrSvg('x', { margin: -1 })).toThrow(RangeError);
    expect(() => renderQrSvg('x', { margin: 1.5 })).toThrow(RangeError);
    expect(() => renderQrSvg('')).toThrow();
  });
});
