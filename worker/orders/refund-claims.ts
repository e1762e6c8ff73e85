import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orderLines, orders, refunds, tickets } from '../db/schema';
import { sourceStates } from '../domain/order-states';

export type RefundRow = typeof refunds.$inferSelect;

/** Money of an order already refunded or being refunded: everything not `failed`. */
const claimedOf = (orderIdColumn: SQL) =>
  sql`(SELECT COALESCE(SUM(${refunds.amountMinor}), 0) FROM ${refunds} WHERE ${refunds.orderId} = ${orderIdColumn} AND ${refunds.state} <> 'failed')`;
const nextSeqOf = (orderIdColumn: SQL) =>
  sql`(SELECT COUNT(*) FROM ${refunds} WHERE ${refunds.orderId} = ${orderIdColumn}) + 1`;
const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export interface OrganizerClaim {
  refundId: string;
  orderId: string;
  organizerId: string;
  /** Null: everything still unclaimed (a full refund). */
  amountMinor: number | null;
  /** Who the claim is for: an organizer's request (default) or the event's cancellation. */
  reason?: 'organizer' | 'event_canceled';
}

/**
 * Claims an organizer's refund: one INSERT … SELECT that writes a `pending` row only if the
 * order is the organizer's, is refundable, and the amount fits in what no other claim holds.
 * D1 runs each statement alone, so of two racing claims at most what was paid gets through;
 * (order, seq) is unique besides. The same `refundId` again writes nothing (a replay).
 * Returns the new row, or null when nothing was claimed.
 */
export async function claimOrganizerRefund(
  db: Db,
  claim: OrganizerClaim,
): Promise<RefundRow | null> {
  const claimed = claimedOf(sql`o.id`);
  const amount = sql`COALESCE(${claim.amountMinor}, o.total_minor - ${claimed})`;
  const rows = await db.all<{ id: string }>(sql`
    INSERT INTO ${refunds} (id, order_id, seq, amount_minor, reason, state, organizer_id)
    SELECT ${claim.refundId}, o.id, ${nextSeqOf(sql`o.id`)}, ${amount}, ${claim.reason ?? 'organizer'}, 'pending',
           ${claim.organizerId}
    FROM ${orders} AS o
    WHERE o.id = ${claim.orderId}
      AND o.organizer_id = ${claim.organizerId}
      AND o.status IN (${inList(sourceStates('refundPartly'))})
      AND ${amount} <= o.total_minor - ${claimed}
      -- Money moves in whole units; a free order is "refunded" once, for nothing.
      AND (${amount} >= 1 OR (o.total_minor = 0 AND NOT EXISTS (
        SELECT 1 FROM ${refunds} WHERE ${refunds.orderId} = o.id AND ${refunds.state} <> 'failed')))
    ON CONFLICT (id) DO NOTHING
    RETURNING id`);
  return rows.length > 0 ? ((await findRefund(db, claim.refundId)) ?? null) : null;
}

export interface TicketClaim {
  refundId: string;
  orderId: string;
  organizerId: string;
  ticketIds: readonly string[];
}

/**
 * Claims a refund of some tickets of an order, for what they cost, in one D1 batch (one
 * transaction): take the tickets no other refund holds, then write the claim, whose order id
 * is NULL (refused by NOT NULL, which rolls the whole batch back, tickets included) unless
 * it got every ticket and their price fits in what is left. Of two racing refunds of the same
 * ticket one gets it. The same `refundId` again writes nothing (a replay). Null when nothing
 * was claimed.
 */
export async function claimTicketRefund(db: Db, claim: TicketClaim): Promise<RefundRow | null> {
  const { refundId, orderId, organizerId } = claim;
  const ticketIds = [...new Set(claim.ticketIds)];
  const refundableStates = inList(sourceStates('refundPartly'));
  // The tickets' price: their line's unit price, each.
  const amount = sql`(SELECT COALESCE(SUM(ol.unit_price_minor), 0) FROM ${tickets} AS t JOIN ${orderLines} AS ol ON ol.order_id = t.order_id AND ol.ticket_type_id = t.ticket_type_id WHERE t.refund_id = ${refundId})`;
  const taken = sql`(SELECT COUNT(*) FROM ${tickets} AS t WHERE t.refund_id = ${refundId} AND t.order_id = ${orderId})`;
  const claimed = claimedOf(sql`o.id`);
  const orderIfClaimable = sql`(SELECT o.id FROM ${orders} AS o
    WHERE o.id = ${orderId} AND o.organizer_id = ${organizerId}
      AND o.status IN (${refundableStates})
      AND ${taken} = ${ticketIds.length}
      AND ${amount} <= o.total_minor - ${claimed})`;
  try {
    const [, inserted] = await db.batch([
      db
        .update(tickets)
        .set({ refundId })
        .where(
          and(
            eq(tickets.orderId, orderId),
            inArray(tickets.id, ticketIds),
            isNull(tickets.refundId),
            eq(tickets.status, 'valid'),
            sql`(SELECT o.status FROM ${orders} AS o WHERE o.id = ${orderId} AND o.organizer_id = ${organizerId}) IN (${refundableStates})`,
          ),
        ),
      db
        .insert(refunds)
        .values({
          id: refundId,
          orderId: orderIfClaimable,
          seq: nextSeqOf(sql`${orderId}`),
          amountMinor: amount,
          reason: 'organizer',
          state: 'pending',
          organizerId,
        })
        .onConflictDoNothing()
        .returning({ id: refunds.id }),
    ]);
    return inserted.length > 0 ? ((await findRefund(db, refundId)) ?? null) : null;
  } catch (error) {
    // Not every ticket was free, or their price does not fit: nothing was written.
    if (String(error).includes('NOT NULL constraint failed')) return null;
    throw error;
  }
}

/** The tickets a refund claimed (a refund by ticket), in order. */
export async function ticketsOfRefund(db: Db, refundId: string): Promise<string[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.refundId, refundId))
    .orderBy(tickets.position);
  return rows.map((r) => r.id);
}

/** The one claim of an order paid too late: its whole total, once (the id is per order). */
export async function claimLateRefund(
  db: Db,
  orderId: string,
  paymentId: string | null,
): Promise<RefundRow | null> {
  const refundId = `re_late_${orderId}`;
  const claimed = claimedOf(sql`o.id`);
  // The payment the provider named, kept for retries when checkout had not stored it.
  await db
    .update(orders)
    .set({ paymentId: sql`COALESCE(${orders.paymentId}, ${paymentId})` })
    .where(eq(orders.id, orderId));
  await db.run(sql`
    INSERT INTO ${refunds} (id, order_id, seq, amount_minor, reason, state)
    SELECT ${refundId}, o.id, ${nextSeqOf(sql`o.id`)}, o.total_minor - ${claimed},
           'late_payment', 'pending'
    FROM ${orders} AS o
    WHERE o.id = ${orderId}
      AND o.status IN (${inList(sourceStates('refundCompleted'))})
      AND o.total_minor - ${claimed} >= 1
    ON CONFLICT (id) DO NOTHING`);
  return (await findRefund(db, refundId)) ?? null;
}

export function findRefund(db: Db, refundId: string): Promise<RefundRow | undefined> {
  return db.select().from(refunds).where(eq(refunds.id, refundId)).get();
}

/** What is left to refund of an order: its total less every claim not failed. */
export async function refundableOf(db: Db, orderId: string): Promise<number> {
  const row = await db
    .select({ refundable: sql<number>`orders.total_minor - ${claimedOf(sql`orders.id`)}` })
    .from(orders)
    .where(eq(orders.id, orderId))
    .get();
  return row?.refundable ?? 0;
}
