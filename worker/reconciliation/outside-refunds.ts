import { and, eq, inArray, sql } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { auditLog, orders, refunds, tickets } from '../db/schema';
import { minorToDecimal } from '../domain/currency';
import { sourceStates } from '../domain/order-states';
import type { OrderRow } from '../orders/order-record';
import type { LedgerRefund } from './stripe-ledger';

export interface OutsideRefundOutcome {
  fixed: boolean;
  action: string;
}

const REFUNDABLE = sourceStates('refundPartly');

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
  const claimed = sql`(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = o.id AND r.state <> 'failed')`;
  const nextSeq = sql`(SELECT COUNT(*) FROM refunds AS r WHERE r.order_id = o.id) + 1`;
  const states = sql.join(
    REFUNDABLE.map((s) => sql`${s}`),
    sql`, `,
  );
  // Written out: inside UPDATE orders, a bare column could bind to the subquery's table.
  const succeeded = sql`(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = orders.id AND r.state = 'succeeded')`;
  const [inserted] = await db.batch([
    db.all<{ id: string }>(sql`
      INSERT INTO ${refunds} (id, order_id, seq, amount_minor, reason, state, provider_refund_id, attempts, settled_at)
      SELECT ${id}, o.id, ${nextSeq}, ${refund.amountMinor}, 'outside', 'succeeded', ${refund.id}, 0, ${now}
      FROM ${orders} AS o
      WHERE o.id = ${order.id} AND o.status IN (${states})
        AND ${refund.amountMinor} >= 1 AND ${refund.amountMinor} <= o.total_minor - ${claimed}
      ON CONFLICT (id) DO NOTHING
      RETURNING id`),
    db
      .update(orders)
      .set({
        refundedMinor: succeeded,
        status: sql`CASE WHEN ${succeeded} >= orders.total_minor THEN 'refunded' ELSE 'partially_refunded' END`,
        updatedAt: now,
      })
      .where(
        and(
          eq(orders.id, order.id),
          inArray(orders.status, REFUNDABLE),
          sql`EXISTS (SELECT 1 FROM refunds AS r WHERE r.id = ${id})`,
        ),
      ),
    db
      .update(tickets)
      .set({ status: 'revoked' })
      .where(
        and(
          eq(tickets.orderId, order.id),
          sql`(SELECT o.status FROM ${orders} AS o WHERE o.id = ${order.id}) = 'refunded'`,
        ),
      ),
  ]);
  if (inserted.length === 0) {
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
  // Idempotent in the DO: the sale is released once, the tickets refused at the door.
  await inventoryFor(env, order.eventId).refundOrder(
    order.id,
    issued.map((t) => t.id),
  );
  return {
    fixed: true,
    action: `Recorded the refund of ${amount}; the order is refunded and its ${issued.length} tickets revoked.`,
  };
}
