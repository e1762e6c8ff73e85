import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, paymentFees, payments } from '../db/schema';
import type { LedgerFees, StripeLedger } from './stripe-ledger';

/** Fees fetched on demand per request (the settlement page): each is one Stripe call. */
export const ON_DEMAND_FEE_LIMIT = 20;

/** Stores (or refreshes) the fees of a succeeded payment from its balance transaction. */
export async function storeFees(
  db: Db,
  order: { id: string; eventId: string },
  paymentId: string,
  fees: LedgerFees,
  now: string,
): Promise<void> {
  const values = { ...fees, fetchedAt: now };
  await db
    .insert(paymentFees)
    .values({ paymentId, orderId: order.id, eventId: order.eventId, ...values })
    .onConflictDoUpdate({ target: paymentFees.paymentId, set: values });
}

/**
 * The fees of an event's succeeded Stripe payments that reconciliation has not stored yet,
 * fetched now (at most `ON_DEMAND_FEE_LIMIT`). Returns how many are still missing after.
 */
export async function fetchMissingFees(
  db: Db,
  ledger: StripeLedger,
  eventId: string,
): Promise<number> {
  const missing = await db
    .select({ paymentId: payments.id, orderId: orders.id })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .leftJoin(paymentFees, eq(paymentFees.paymentId, payments.id))
    .where(
      and(
        eq(orders.eventId, eventId),
        eq(orders.testMode, false),
        eq(payments.provider, 'stripe'),
        eq(payments.status, 'succeeded'),
        inArray(orders.status, ['paid', 'partially_refunded', 'refunded', 'refund_pending']),
        isNull(paymentFees.paymentId),
      ),
    );
  const now = new Date().toISOString();
  let fetched = 0;
  for (const row of missing.slice(0, ON_DEMAND_FEE_LIMIT)) {
    const pi = await ledger.payment(row.paymentId);
    if (!pi?.fees) continue;
    await storeFees(db, { id: row.orderId, eventId }, row.paymentId, pi.fees, now);
    fetched++;
  }
  return missing.length - fetched;
}
