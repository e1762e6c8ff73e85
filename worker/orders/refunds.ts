import { and, eq, inArray } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { auditLog, orders, refunds, tickets } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { notFound, problem } from '../domain/errors';
import { canTransition, sourceStates } from '../domain/order-states';
import { paymentProvider } from '../payments';
import { loadOrder } from './order-record';

export interface RefundOutcome {
  orderId: string;
  status: 'refunded' | 'partially_refunded';
  refundedMinor: number;
  amountMinor: number;
  currency: string;
  ticketsReleased: boolean;
}

/**
 * An organizer refunds an order: all of it (tickets go back on sale and are refused at the
 * door) or part of the money (tickets stay valid). The provider call carries a key derived
 * from the order's refund state, so a double click refunds once; the D1 write is conditional
 * on the same state.
 */
export async function refundOrder(
  env: Env,
  db: Db,
  organizerId: string,
  orderId: string,
  requestedMinor: number | undefined,
): Promise<RefundOutcome> {
  const record = await loadOrder(db, orderId);
  if (!record || record.order.organizerId !== organizerId) throw notFound('order');
  const { order } = record;
  const ticketIds = record.tickets.map((t) => t.id);
  if (order.status === 'refunded') {
    // Re-running the release heals a refund whose inventory step did not finish.
    await inventoryFor(env, order.eventId).refundOrder(order.id, ticketIds);
    throw problem('invalid_state', 'This order is already fully refunded.');
  }
  if (!canTransition(order.status, 'refundFully')) {
    throw problem('invalid_state', `An order in state ${order.status} can not be refunded.`);
  }
  const remaining = order.totalMinor - order.refundedMinor;
  const amount = requestedMinor ?? remaining;
  if (amount > remaining) {
    throw problem('refund_exceeds_paid', `At most ${remaining} can still be refunded.`, {
      refundableMinor: remaining,
    });
  }
  const full = amount === remaining;
  const idempotencyKey = `refund:${order.id}:${order.refundedMinor}:${amount}`;
  // Rows keyed by the same state: a concurrent duplicate writes nothing new.
  const refundRowId = `re_${(await sha256Hex(idempotencyKey)).slice(0, 24)}`;
  let providerRefundId: string | null = null;
  if (amount > 0) {
    const provider =
      order.paymentProvider === 'none' ? null : paymentProvider(env, db, '', order.paymentProvider);
    if (!provider || !order.paymentId) {
      throw problem('payment_provider_error', 'The order’s payment provider is not available.');
    }
    ({ refundId: providerRefundId } = await provider.refund({
      paymentId: order.paymentId,
      orderId: order.id,
      amountMinor: amount,
      idempotencyKey,
    }));
  }
  const now = new Date().toISOString();
  const refundedMinor = order.refundedMinor + amount;
  const status = full ? ('refunded' as const) : ('partially_refunded' as const);
  const [updated] = await db.batch([
    db
      .update(orders)
      .set({ status, refundedMinor, updatedAt: now })
      .where(
        and(
          eq(orders.id, order.id),
          inArray(orders.status, sourceStates('refundFully')),
          eq(orders.refundedMinor, order.refundedMinor),
        ),
      )
      .returning({ id: orders.id }),
    db
      .insert(refunds)
      .values({
        id: refundRowId,
        orderId: order.id,
        amountMinor: amount,
        reason: 'organizer',
        providerRefundId,
      })
      .onConflictDoNothing(),
    db
      .insert(auditLog)
      .values({
        id: `au_${refundRowId}`,
        organizerId,
        action: 'order.refunded',
        subjectId: order.id,
        data: { amount, full },
      })
      .onConflictDoNothing(),
  ]);
  if (updated.length === 0) {
    throw problem('invalid_state', 'The order changed meanwhile; reload it and try again.');
  }
  if (full) {
    await db.update(tickets).set({ status: 'revoked' }).where(eq(tickets.orderId, order.id));
    await inventoryFor(env, order.eventId).refundOrder(order.id, ticketIds);
  }
  return {
    orderId: order.id,
    status,
    refundedMinor,
    amountMinor: amount,
    currency: order.currency,
    ticketsReleased: full,
  };
}
