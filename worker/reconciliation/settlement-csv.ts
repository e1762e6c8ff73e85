import { minorToDecimal } from '../domain/currency';
import type { SettlementReport } from './settlement';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab / carriage
 * return before one) gets a leading `'`, so a buyer named `=HYPERLINK(…)` stays text
 * (OWASP "CSV injection"). Amounts we format ourselves (`-12.50`) are numbers, left as
 * they are. Every cell is quoted, quotes doubled.
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const isAmount = typeof value === 'number' || /^-?\d+(\.\d+)?$/.test(text);
  const safe = !isAmount && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function csvRow(cells: (string | number)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const HEADER = [
  'order_id',
  'status',
  'paid_at',
  'buyer_name',
  'buyer_email',
  'provider',
  'currency',
  'gross',
  'stripe_fees',
  'platform_fee',
  'refunds',
  'net',
  'fees_known',
];

/** The settlement as CSV: a line per order, then a total line. Amounts in major units. */
export function settlementCsv(report: SettlementReport): string {
  const money = (minor: number) => minorToDecimal(minor, report.currency);
  let out = csvRow(HEADER);
  for (const line of report.lines) {
    out += csvRow([
      line.orderId,
      line.status,
      line.paidAt ?? '',
      line.buyerName,
      line.buyerEmail,
      line.provider,
      report.currency,
      money(line.grossMinor),
      money(line.stripeFeeMinor),
      money(line.platformFeeMinor),
      money(line.refundedMinor),
      money(line.netMinor),
      line.feesKnown ? 'yes' : 'no',
    ]);
  }
  out += csvRow([
    'total',
    `${report.orders} orders`,
    '',
    '',
    '',
    '',
    report.currency,
    money(report.grossMinor),
    money(report.stripeFeeMinor),
    money(report.platformFeeMinor),
    money(report.refundedMinor),
    money(report.netMinor),
    report.feesMissing === 0 ? 'yes' : 'no',
  ]);
  return out;
}
