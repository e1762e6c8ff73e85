import { and, eq, inArray } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { orders, payments } from '../db/schema';
import type { PaymentStatus } from '../payments/provider';
import type { OrderRow } from './order-record';

/**
 * How long the tickets of a payment still settling at the buyer's bank (`processing`: SEPA
 * Direct Debit takes up to 14 business days) stay reserved. Past it the order expires like
 * any unpaid one, and a success that still comes takes the late path (re-reserve or refund).
 */
export const SETTLEMENT_HOLD_MS = 21 * 24 * 60 * 60_000;

/** After a settling payment fails, the buyer gets this long to pay another way. */
export const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

/** Payment states a new attempt may move on from (a declined attempt can be retried). */
const OPEN: PaymentStatus[] = ['requires_payment', 'requires_action', 'failed', 'processing'];

function loadPendingOrder(db: Db, orderId: string): Promise<OrderRow | undefined> {
  return db.select().from(orders).where(eq(orders.id, orderId)).get();
}

/** Sets the payment row's status, from any open state (never from succeeded or canceled). */
function paymentUpdate(db: Db, orderId: string, paymentId: string, status: PaymentStatus) {
  return db
    .update(payments)
    .set({ status, updatedAt: new Date().toISOString() })
    .where(
      and(
        eq(payments.id, paymentId),
        eq(payments.orderId, orderId),
        inArray(payments.status, OPEN),
      ),
    );
}

/**
 * Moves the hold of a pending order to `expiresMs` in its event's DO, and records the new
 * expiry on the order (the sweep expires orders by it). Returns false when the hold is no
 * longer the order's to move (expired, paid): the payment's outcome then takes the late path.
 */
async function moveHoldExpiry(db: Db, env: Env, order: OrderRow, expiresMs: number) {
  const moved = await inventoryFor(env, order.eventId).setPaymentExpiry(
    order.holdId,
    order.id,
    expiresMs,
  );
  if (!moved.ok) return false;
  await db
    .update(orders)
    .set({ expiresAt: moved.hold.expiresAt, updatedAt: new Date().toISOString() })
    .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment')));
  return true;
}

/**
 * `processing`: the buyer paid with a method that settles later (SEPA). The tickets stay
 * reserved until it settles or fails (SETTLEMENT_HOLD_MS), the order says so.
 */
export async function recordPaymentProcessing(
  env: Env,
  db: Db,
  orderId: string,
  paymentId: string,
): Promise<'processing' | 'not_pending'> {
  await paymentUpdate(db, orderId, paymentId, 'processing').run();
  const order = await loadPendingOrder(db, orderId);
  if (order?.status !== 'pending_payment') return 'not_pending';
  await db
    .update(orders)
    .set({ lastPaymentError: null, updatedAt: new Date().toISOString() })
    .where(and(eq(orders.id, orderId), eq(orders.status, 'pending_payment')));
  const kept = await moveHoldExpiry(db, env, order, Date.now() + SETTLEMENT_HOLD_MS);
  return kept ? 'processing' : 'not_pending';
}

/** `requires_action`: 3-D Secure or a bank redirect the buyer has not finished yet. */
export async function recordPaymentRequiresAction(
  db: Db,
  orderId: string,
  paymentId: string,
): Promise<'requires_action'> {
  await paymentUpdate(db, orderId, paymentId, 'requires_action').run();
  return 'requires_action';
}

/** `canceled` at the provider (by the sweep for an expired order, or in Stripe's dashboard). */
export async function recordPaymentCanceled(
  db: Db,
  orderId: string,
  paymentId: string,
): Promise<'payment_canceled'> {
  const now = new Date().toISOString();
  await db.batch([
    paymentUpdate(db, orderId, paymentId, 'canceled'),
    // A still pending order can no longer be paid with it: say so; the sweep expires it.
    db
      .update(orders)
      .set({ lastPaymentError: 'The payment was canceled.', updatedAt: now })
      .where(and(eq(orders.id, orderId), eq(orders.status, 'pending_payment'))),
  ]);
  return 'payment_canceled';
}

/**
 * A failed attempt: the order stays `pending_payment` (the buyer may retry) with the reason.
 * When the payment that failed had been settling (its hold kept for days), the hold goes back
 * to a short window, so a failed SEPA debit does not keep the tickets off sale.
 */
export async function recordPaymentFailure(
  env: Env,
  db: Db,
  orderId: string,
  paymentId: string | null,
  message: string | null,
): Promise<void> {
  const [, previous] = await db.batch([
    db
      .update(orders)
      .set({
        lastPaymentError: message ?? 'The payment failed.',
        updatedAt: new Date().toISOString(),
      })
      .where(and(eq(orders.id, orderId), eq(orders.status, 'pending_payment'))),
    db
      .select({ status: payments.status })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.id, paymentId ?? ''))),
  ]);
  if (paymentId) await paymentUpdate(db, orderId, paymentId, 'failed').run();
  if (previous[0]?.status !== 'processing') return;
  const order = await loadPendingOrder(db, orderId);
  if (order?.status === 'pending_payment') {
    await moveHoldExpiry(db, env, order, Date.now() + RETRY_AFTER_FAILURE_MS);
  }
}
