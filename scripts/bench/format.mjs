/** Small helpers of `npm run bench`: logging, numbers, the text table. */

/** @typedef {Record<string, unknown>} Json */

/** @param {string} message */
export const log = (message) => console.log(`[bench] ${message}`);
/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @param {unknown} error */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));
/** @param {unknown} value @returns {Json} */
export const asJson = (value) => (typeof value === 'object' && value !== null ? { ...value } : {});
/** @param {number} n @param {number} [digits] */
export const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** @param {number | null | undefined} n @param {number} [digits] */
export const fmtOpt = (n, digits = 1) => (n === null || n === undefined ? '-' : fmt(n, digits));
/** @param {number[]} values */
export const sum = (values) => values.reduce((a, b) => a + b, 0);

/** @param {number[]} sorted ascending @param {number} q */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

/**
 * @param {string[][]} rows the first one is the header
 * @param {boolean[]} rightAlign
 */
export function table(rows, rightAlign) {
  const widths = (rows[0] ?? []).map((_, col) =>
    Math.max(...rows.map((row) => (row[col] ?? '').length)),
  );
  const line = (/** @type {string[]} */ row) =>
    row
      .map((cell, col) =>
        rightAlign[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const [header = [], ...body] = rows;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
