import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, payments } from '../db/schema';
import { recordDifference } from './differences';
import { storeFees } from './fees';
import type { StripeLedger, Window } from './stripe-ledger';
import type { CheckTally } from './tally';

/**
 * D1's side: Stripe payments D1 holds as succeeded in the window that Stripe's list did not
 * show (the list filters by Stripe's own `created`, a little earlier than our row) are asked
 * for one by one; gone or not succeeded at Stripe is recorded.
 */
export async function checkD1Payments(
  db: Db,
  ledger: StripeLedger,
  window: Window,
  seen: Set<string>,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const rows = await db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.provider, 'stripe'),
        eq(payments.status, 'succeeded'),
        gte(payments.createdAt, new Date(window.fromMs).toISOString()),
        lt(payments.createdAt, new Date(window.toMs).toISOString()),
      ),
    );
  for (const { payment, order } of rows) {
    if (seen.has(payment.id)) continue;
    const pi = await ledger.payment(payment.id);
    if (pi?.status === 'succeeded') {
      if (pi.fees) await storeFees(db, order, pi.id, pi.fees, now);
      continue;
    }
    await recordDifference(
      db,
      {
        kind: 'payment_status_mismatch',
        objects: { paymentIntentId: payment.id },
        organizerId: order.organizerId,
        eventId: order.eventId,
        orderId: order.id,
        details: {
          stripe: pi ? { status: pi.status } : { status: 'not_found' },
          tessera: { paymentStatus: payment.status, orderStatus: order.status },
        },
      },
      now,
    );
    tally.recorded++;
  }
}
