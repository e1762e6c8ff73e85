import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, paymentFees } from '../db/schema';

/** Orders whose money came in: paid (and later refunded, wholly or partly, or too late). */
export const SETTLED_STATES = ['paid', 'partially_refunded', 'refunded', 'refund_pending'] as const;

export interface SettlementLine {
  orderId: string;
  status: string;
  paidAt: string | null;
  buyerName: string;
  buyerEmail: string;
  provider: string;
  grossMinor: number;
  stripeFeeMinor: number;
  platformFeeMinor: number;
  refundedMinor: number;
  netMinor: number;
  /** False for a Stripe payment whose balance transaction is not stored (yet). */
  feesKnown: boolean;
}

export interface SettlementReport {
  eventId: string;
  currency: string;
  orders: number;
  grossMinor: number;
  stripeFeeMinor: number;
  platformFeeMinor: number;
  refundedMinor: number;
  netMinor: number;
  /** Stripe payments whose fees are not known yet: the figures leave them out. */
  feesMissing: number;
  /** Payments settled in another currency than the event's: their fees are left out. */
  feesInOtherCurrency: number;
  lines: SettlementLine[];
}

/**
 * The settlement of one event: gross (what buyers paid), Stripe's fees and the platform's
 * application fee (from the stored balance transactions, `fee_details` by type), refunds
 * (every succeeded refund: ours, late-payment ones and those made in Stripe's dashboard)
 * and net = gross − Stripe fees − platform fee − refunds. Test-mode orders are left out.
 */
export async function settlementOf(
  db: Db,
  event: { id: string; currency: string },
): Promise<SettlementReport> {
  const refunded = sql<number>`(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = ${orders.id} AND r.state = 'succeeded')`;
  const rows = await db
    .select({ order: orders, fees: paymentFees, refundedMinor: refunded })
    .from(orders)
    .leftJoin(paymentFees, eq(paymentFees.paymentId, orders.paymentId))
    .where(
      and(
        eq(orders.eventId, event.id),
        eq(orders.testMode, false),
        inArray(orders.status, [...SETTLED_STATES]),
      ),
    )
    .orderBy(asc(orders.paidAt), asc(orders.id));
  const report: SettlementReport = {
    eventId: event.id,
    currency: event.currency,
    orders: rows.length,
    grossMinor: 0,
    stripeFeeMinor: 0,
    platformFeeMinor: 0,
    refundedMinor: 0,
    netMinor: 0,
    feesMissing: 0,
    feesInOtherCurrency: 0,
    lines: [],
  };
  for (const { order, fees, refundedMinor } of rows) {
    const byStripe = order.paymentProvider === 'stripe' && order.totalMinor > 0;
    const sameCurrency = fees !== null && fees.currency === order.currency;
    if (byStripe && !fees) report.feesMissing++;
    if (fees && !sameCurrency) report.feesInOtherCurrency++;
    const stripeFeeMinor = sameCurrency ? fees.stripeFeeMinor + fees.otherFeeMinor : 0;
    const platformFeeMinor = sameCurrency ? fees.applicationFeeMinor : 0;
    const line: SettlementLine = {
      orderId: order.id,
      status: order.status,
      paidAt: order.paidAt,
      buyerName: order.buyerName,
      buyerEmail: order.buyerEmail,
      provider: order.paymentProvider,
      grossMinor: order.totalMinor,
      stripeFeeMinor,
      platformFeeMinor,
      refundedMinor,
      netMinor: order.totalMinor - stripeFeeMinor - platformFeeMinor - refundedMinor,
      feesKnown: !byStripe || sameCurrency,
    };
    report.lines.push(line);
    report.grossMinor += line.grossMinor;
    report.stripeFeeMinor += line.stripeFeeMinor;
    report.platformFeeMinor += line.platformFeeMinor;
    report.refundedMinor += line.refundedMinor;
    report.netMinor += line.netMinor;
  }
  return report;
}
