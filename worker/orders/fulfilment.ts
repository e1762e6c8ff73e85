import { and, eq, inArray } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { orders, payments, tickets } from '../db/schema';
import { newId } from '../domain/ids';
import { canTransition, sourceStates } from '../domain/order-states';
import { enqueueOutboxed, ensureOutboxed, outboxInsert } from '../notifications/outbox';
import { signTicketCode } from '../tickets/codes';
import { itemsOf, loadOrder, type OrderLineRow, type OrderRow } from './order-record';
import { claimLateRefund } from './refund-claims';
import { executeRefund } from './refund-execution';

export type FulfilOutcome =
  | 'paid'
  | 'already_paid'
  | 'refunded_late'
  | 'late_refund_failed'
  | 'not_payable'
  | 'unknown_order'
  | 'amount_mismatch'
  | 'payment_mismatch';

/** What the provider says it collected, when it says. */
export interface ReceivedAmount {
  amountMinor: number | null;
  currency: string | null;
}

/**
 * A payment for an order has succeeded (or the order is free). Idempotent: every step is
 * keyed by the order, so a redelivered message or a duplicate webhook changes nothing.
 *
 * The Durable Object decides first (convert the hold, or re-reserve for a late payment);
 * only then does D1 record the order as paid, with its tickets, in one batch. If nothing is
 * left to sell, the order goes to `refund_pending` and the money goes back.
 */
export async function fulfilPayment(
  env: Env,
  db: Db,
  orderId: string,
  paymentId: string | null,
  received?: ReceivedAmount,
): Promise<FulfilOutcome> {
  const record = await loadOrder(db, orderId);
  if (!record) return 'unknown_order';
  const { order } = record;
  // Only the payment recorded on the order pays it, whatever an event's metadata names.
  if (paymentId !== null && order.paymentId !== paymentId) return 'payment_mismatch';
  if (received && !coversOrder(received, order)) {
    // Never issue tickets for money that does not match the order; left for a person to see.
    console.error(
      JSON.stringify({
        level: 'error',
        orderId,
        message: 'payment amount differs from order',
        received,
        totalMinor: order.totalMinor,
        currency: order.currency,
      }),
    );
    return 'amount_mismatch';
  }
  if (
    order.status === 'paid' ||
    order.status === 'partially_refunded' ||
    order.status === 'refunded'
  ) {
    // A redelivery may mean the confirmation never left; the consumer drops duplicates.
    if (order.status === 'paid') {
      await ensureOutboxed(env, db, { kind: 'order_confirmation', orderId });
    }
    return 'already_paid';
  }
  if (order.status === 'refund_pending') return refundLatePayment(env, db, order, paymentId);
  if (!canTransition(order.status, 'pay')) return 'not_payable';

  const confirmed = await inventoryFor(env, order.eventId).confirmOrder(
    order.id,
    order.holdId,
    itemsOf(record.lines),
  );
  if (!confirmed.ok) {
    const moved = await db
      .update(orders)
      .set({ status: 'refund_pending', updatedAt: new Date().toISOString() })
      .where(and(eq(orders.id, orderId), inArray(orders.status, sourceStates('lateRefund'))))
      .returning({ id: orders.id });
    if (moved.length === 0) return fulfilPayment(env, db, orderId, paymentId);
    return refundLatePayment(env, db, { ...order, status: 'refund_pending' }, paymentId);
  }

  const now = new Date().toISOString();
  const ticketRows = await issueTickets(env, order, record.lines);
  const effectivePaymentId = order.paymentId ?? paymentId;
  const confirmation = { kind: 'order_confirmation', orderId } as const;
  // The confirmation is recorded with the sale: a crash before the send below loses nothing.
  await db.batch([
    db
      .update(orders)
      .set({ status: 'paid', paidAt: now, updatedAt: now, paymentId: effectivePaymentId })
      .where(and(eq(orders.id, orderId), inArray(orders.status, sourceStates('pay')))),
    db.insert(tickets).values(ticketRows).onConflictDoNothing(),
    db
      .update(payments)
      .set({ status: 'succeeded', updatedAt: now })
      .where(and(eq(payments.orderId, orderId), eq(payments.id, effectivePaymentId ?? ''))),
    outboxInsert(db, confirmation),
  ]);
  await enqueueOutboxed(env, db, [confirmation]);
  return 'paid';
}

function coversOrder(received: ReceivedAmount, order: OrderRow): boolean {
  if (received.amountMinor === null) return true;
  return (
    received.amountMinor === order.totalMinor &&
    (received.currency === null || received.currency.toUpperCase() === order.currency)
  );
}

/** One ticket per unit, positions 0..n-1: the (order, position) key makes issuing idempotent. */
async function issueTickets(
  env: Env,
  order: OrderRow,
  lines: OrderLineRow[],
): Promise<(typeof tickets.$inferInsert)[]> {
  const units = lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => line.ticketTypeId),
  );
  return Promise.all(
    units.map(async (ticketTypeId, position) => {
      const id = newId('tkt');
      return {
        id,
        orderId: order.id,
        eventId: order.eventId,
        ticketTypeId,
        position,
        code: await signTicketCode(env, {
          ticketId: id,
          eventId: order.eventId,
          ...(order.testMode ? { test: true } : {}),
        }),
      };
    }),
  );
}

/**
 * Paid too late and nothing left: give the money back, through the same claim -> provider ->
 * settle path as an organizer's refund (one claim per order). An open provider answer throws,
 * so the payment event is retried; the sweep also finishes the claim.
 */
async function refundLatePayment(
  env: Env,
  db: Db,
  order: OrderRow,
  paymentId: string | null,
): Promise<FulfilOutcome> {
  const claim = await claimLateRefund(db, order.id, paymentId);
  if (!claim) throw new Error(`Cannot claim the late refund of order ${order.id}`);
  const settled = await executeRefund(env, db, claim);
  if (settled.refund.state === 'pending') {
    throw new Error(`Late refund ${claim.id} of order ${order.id} is still open at the provider`);
  }
  if (settled.refund.state === 'failed') {
    // Refused for good: the order stays refund_pending for a person to resolve.
    console.error(
      JSON.stringify({
        level: 'error',
        orderId: order.id,
        refundId: claim.id,
        message: 'late payment refund refused by the provider',
      }),
    );
    return 'late_refund_failed';
  }
  return 'refunded_late';
}
