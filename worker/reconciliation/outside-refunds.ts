import { eq } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { auditLog, orders, tickets } from '../db/schema';
import { minorToDecimal } from '../domain/currency';
import { sourceStates } from '../domain/order-states';
import type { OrderRow } from '../orders/order-record';
import type { LedgerRefund } from './stripe-ledger';

export interface OutsideRefundOutcome {
  fixed: boolean;
  action: string;
}

const REFUNDABLE = sourceStates('refundPartly');
/** `?n, ?n+1, …`: placeholders of the refundable states, bound from the n-th parameter on. */
const statesFrom = (n: number) => REFUNDABLE.map((_, i) => `?${n + i}`).join(', ');

/**
 * Records a refund made in Stripe's own dashboard on its order: a `succeeded` refund row
 * (reason `outside`, Stripe's id; its own id derived from Stripe's, so a rerun writes
 * nothing), then the order's figures from its succeeded refunds, as a settled claim of
 * ours does (refund-execution.ts). Nothing is sent to Stripe: the money has moved already.
 * When the order is then refunded in full its tickets are revoked and freed in the event's
 * DO; a partial refund leaves the tickets (which ones to revoke is a person's call).
 */
export async function recordOutsideRefund(
  env: Env,
  db: Db,
  order: OrderRow,
  refund: LedgerRefund,
): Promise<OutsideRefundOutcome> {
  if (refund.currency !== order.currency) {
    return { fixed: false, action: 'Not recorded: the refund’s currency is not the order’s.' };
  }
  const id = `re_out_${refund.id}`;
  const now = new Date().toISOString();
  // One D1 batch (atomic): the refund row, then the order's figures from its succeeded
  // refunds and, once refunded in full, its tickets revoked; both only after the row exists.
  const succeeded = `(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = orders.id AND r.state = 'succeeded')`;
  const [inserted] = await env.DB.batch<{ id: string }>([
    env.DB.prepare(
      `INSERT INTO refunds (id, order_id, seq, amount_minor, reason, state, provider_refund_id, attempts, settled_at)
       SELECT ?1, o.id, (SELECT COUNT(*) FROM refunds AS r WHERE r.order_id = o.id) + 1, ?2, 'outside', 'succeeded', ?3, 0, ?4
       FROM orders AS o
       WHERE o.id = ?5 AND o.status IN (${statesFrom(6)})
         AND ?2 >= 1
         AND ?2 <= o.total_minor - (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = o.id AND r.state <> 'failed')
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
    ).bind(id, refund.amountMinor, refund.id, now, order.id, ...REFUNDABLE),
    env.DB.prepare(
      `UPDATE orders SET refunded_minor = ${succeeded},
         status = CASE WHEN ${succeeded} >= orders.total_minor THEN 'refunded' ELSE 'partially_refunded' END,
         updated_at = ?1
       WHERE id = ?2 AND status IN (${statesFrom(4)})
         AND EXISTS (SELECT 1 FROM refunds AS r WHERE r.id = ?3 AND r.order_id = orders.id)`,
    ).bind(now, order.id, id, ...REFUNDABLE),
    env.DB.prepare(
      `UPDATE tickets SET status = 'revoked'
       WHERE order_id = ?1 AND (SELECT o.status FROM orders AS o WHERE o.id = ?1) = 'refunded'`,
    ).bind(order.id),
  ]);
  if (!inserted?.results.length) {
    return {
      fixed: false,
      action: `Not recorded: the order is ${order.status} and the refund is more than what is left to refund.`,
    };
  }
  const [, after, issued] = await db.batch([
    db
      .insert(auditLog)
      .values({
        id: `au_${id}`,
        organizerId: order.organizerId,
        action: 'order.refunded_outside',
        subjectId: order.id,
        data: { refundId: id, providerRefundId: refund.id, amountMinor: refund.amountMinor },
      })
      .onConflictDoNothing(),
    db.select().from(orders).where(eq(orders.id, order.id)),
    db.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, order.id)),
  ]);
  const amount = `${minorToDecimal(refund.amountMinor, order.currency)} ${order.currency}`;
  if (after[0]?.status !== 'refunded') {
    return {
      fixed: false,
      action: `Recorded a partial refund of ${amount}; the tickets stay valid: decide which to revoke.`,
    };
  }
  await releaseRefundedOrder(env, db, order.id);
  return {
    fixed: true,
    action: `Recorded the refund of ${amount}; the order is refunded and its ${issued.length} tickets revoked.`,
  };
}

/**
 * Frees a fully refunded order's sale in its event's DO and refuses its tickets at the door.
 * Idempotent there (the sale is released once), so a run may repeat it after a failure.
 */
export async function releaseRefundedOrder(env: Env, db: Db, orderId: string): Promise<void> {
  const [[order], issued] = await db.batch([
    db
      .select({ status: orders.status, eventId: orders.eventId })
      .from(orders)
      .where(eq(orders.id, orderId)),
    db.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, orderId)),
  ]);
  if (order?.status !== 'refunded') return;
  await inventoryFor(env, order.eventId).refundOrder(
    orderId,
    issued.map((t) => t.id),
  );
}
