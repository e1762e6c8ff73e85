import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, refunds } from '../db/schema';
import type { OrderRow } from '../orders/order-record';
import { recordDifference, resolve } from './differences';
import { recordOutsideRefund, releaseRefundedOrder } from './outside-refunds';
import type { LedgerRefund, StripeLedger, Window } from './stripe-ledger';
import type { CheckTally } from './tally';

/** Refund states at Stripe in which money went (or is going) back to the buyer. */
const MONEY_BACK = new Set(['succeeded', 'pending']);

/**
 * Stripe's refunds of the window against D1. A refund D1 knows (by Stripe's refund id) is
 * fine; one Tessera is still settling (its own metadata, a claim not yet settled) is the
 * sweep's. Anything else was made outside Tessera (Stripe's dashboard): it is recorded on
 * the order, and a refund that completes the order revokes its tickets, as ours do.
 */
export async function checkStripeRefunds(
  env: Env,
  db: Db,
  ledger: StripeLedger,
  window: Window,
  now: string,
  tally: CheckTally,
): Promise<void> {
  for await (const page of ledger.refunds(window)) {
    const moving = page.filter((r) => r.status !== null && MONEY_BACK.has(r.status));
    tally.refunds += page.length;
    if (moving.length === 0) continue;
    const recorded = await db
      .select({
        providerRefundId: refunds.providerRefundId,
        orderId: refunds.orderId,
        reason: refunds.reason,
      })
      .from(refunds)
      .where(
        inArray(
          refunds.providerRefundId,
          moving.map((r) => r.id),
        ),
      );
    const known = new Set(recorded.map((r) => r.providerRefundId));
    // An outside refund recorded by an earlier run whose DO release did not happen (the
    // object was unreachable): released again, idempotently, while it is in the window.
    for (const row of recorded) {
      if (row.reason === 'outside') await releaseRefundedOrder(env, db, row.orderId);
    }
    for (const refund of moving) {
      if (known.has(refund.id) || !refund.paymentIntentId) continue;
      const order = await db
        .select()
        .from(orders)
        .where(eq(orders.paymentId, refund.paymentIntentId))
        .get();
      if (order && order.paymentProvider !== 'stripe') continue;
      if (order && (await isOwnRefundInFlight(db, order, refund))) continue;
      await recordOutside(env, db, refund, order, now, tally);
    }
  }
}

/** Tessera's own refund whose claim has not been settled with Stripe's id yet. */
async function isOwnRefundInFlight(db: Db, order: OrderRow, refund: LedgerRefund) {
  if (refund.orderId !== order.id) return false;
  const open = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(
      and(
        eq(refunds.orderId, order.id),
        or(
          eq(refunds.state, 'pending'),
          and(eq(refunds.state, 'succeeded'), isNull(refunds.providerRefundId)),
        ),
      ),
    )
    .get();
  return open !== undefined;
}

async function recordOutside(
  env: Env,
  db: Db,
  refund: LedgerRefund,
  order: OrderRow | undefined,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const row = await recordDifference(
    db,
    {
      kind: 'outside_refund',
      objects: { refundId: refund.id, paymentIntentId: refund.paymentIntentId ?? '' },
      organizerId: order?.organizerId ?? null,
      eventId: order?.eventId ?? null,
      orderId: order?.id ?? null,
      details: {
        stripe: {
          status: refund.status,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
        },
        tessera: order
          ? {
              status: order.status,
              totalMinor: order.totalMinor,
              refundedMinor: order.refundedMinor,
            }
          : null,
      },
    },
    now,
  );
  tally.recorded++;
  if (!order) {
    await resolve(db, row.id, 'open', 'Not a payment of Tessera’s: nothing recorded.', now);
    return;
  }
  let outcome: { fixed: boolean; action: string };
  try {
    outcome = await recordOutsideRefund(env, db, order, refund);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = { fixed: false, action: `Fix attempted, will be tried again: ${message}` };
  }
  await resolve(db, row.id, outcome.fixed ? 'fixed' : 'open', outcome.action, now);
  if (outcome.fixed) tally.fixed++;
  console.log(
    JSON.stringify({
      level: 'info',
      job: 'reconciliation',
      kind: 'outside_refund',
      orderId: order.id,
      refundId: refund.id,
      fixed: outcome.fixed,
    }),
  );
}
