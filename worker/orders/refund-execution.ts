import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { inventoryFor } from '../catalog/inventory';
import { refundConnectOptions } from '../connect/destination';
import type { Db } from '../db/client';
import { auditLog, orders, refunds, tickets } from '../db/schema';
import { sourceStates } from '../domain/order-states';
import { enqueueOutboxed, outboxInsert } from '../notifications/outbox';
import { paymentProvider } from '../payments';
import { RefundDeclined } from '../payments/provider';
import { loadOrder, type OrderRow } from './order-record';
import type { RefundRow } from './refund-claims';

export interface ExecutedRefund {
  refund: RefundRow;
  order: OrderRow;
  /** The order is fully refunded: its tickets are revoked and back on sale. */
  ticketsReleased: boolean;
}

type Statements = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

type ProviderOutcome =
  | { state: 'succeeded'; providerRefundId: string | null }
  | { state: 'failed' | 'pending'; error: string };

/** Orders a settled refund may move: organizer refunds from paid, the late one from refund_pending. */
const SETTLE_FROM = [
  ...new Set([...sourceStates('refundPartly'), ...sourceStates('refundCompleted')]),
];

/**
 * Executes a claimed refund: asks the provider with the claim's id as idempotency key, then
 * settles the claim and the order by conditional writes. Safe to run again at any point (the
 * sweep does): the provider returns the same refund for the same key, and a settled claim is
 * never settled twice. An open provider answer leaves the claim pending.
 */
export async function executeRefund(env: Env, db: Db, claim: RefundRow): Promise<ExecutedRefund> {
  const record = await loadOrder(db, claim.orderId);
  if (!record) throw new Error(`Refund ${claim.id} names a missing order ${claim.orderId}`);
  if (claim.state === 'pending') {
    const outcome = await askProvider(env, db, claim, record.order);
    await db.batch(settleStatements(db, claim, outcome));
  }
  const [[refund], [order]] = await db.batch([
    db.select().from(refunds).where(eq(refunds.id, claim.id)),
    db.select().from(orders).where(eq(orders.id, claim.orderId)),
  ]);
  if (!refund || !order) throw new Error(`Refund ${claim.id} vanished while settling`);
  const fullyRefunded = order.status === 'refunded' && refund.state === 'succeeded';
  const ticketsReleased = fullyRefunded && refund.reason === 'organizer';
  if (ticketsReleased) {
    // Idempotent in the DO; re-running it heals a release a crash interrupted.
    await inventoryFor(env, order.eventId).refundOrder(
      order.id,
      record.tickets.map((t) => t.id),
    );
  }
  if (fullyRefunded && refund.reason === 'late_payment') {
    await enqueueOutboxed(env, db, [{ kind: 'late_payment_refunded', orderId: order.id }]);
  }
  return { refund, order, ticketsReleased };
}

async function askProvider(
  env: Env,
  db: Db,
  claim: RefundRow,
  order: OrderRow,
): Promise<ProviderOutcome> {
  if (claim.amountMinor === 0) return { state: 'succeeded', providerRefundId: null };
  const provider =
    order.paymentProvider === 'none' ? null : paymentProvider(env, db, '', order.paymentProvider);
  // Not configured here (now): an earlier attempt may have reached it, so the claim stays open.
  if (!provider || !order.paymentId) {
    return { state: 'pending', error: 'The order’s payment provider is not available.' };
  }
  try {
    const { refundId } = await provider.refund({
      paymentId: order.paymentId,
      orderId: order.id,
      amountMinor: claim.amountMinor,
      idempotencyKey: claim.id,
      // A destination charge: reverse the organizer's transfer (connect/destination.ts).
      connect: await refundConnectOptions(env, db, order.paymentId),
    });
    return { state: 'succeeded', providerRefundId: refundId };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RefundDeclined) return { state: 'failed', error: message };
    console.error(
      JSON.stringify({
        level: 'error',
        refundId: claim.id,
        message: 'refund open',
        error: message,
      }),
    );
    return { state: 'pending', error: message };
  }
}

/** The settle batch: each write is conditional, so a second settle changes nothing. */
function settleStatements(db: Db, claim: RefundRow, outcome: ProviderOutcome): Statements {
  const now = new Date().toISOString();
  const pendingClaim = and(eq(refunds.id, claim.id), eq(refunds.state, 'pending'));
  const attempts = sql`${refunds.attempts} + 1`;
  if (outcome.state !== 'succeeded') {
    // Failed for good releases the amount (claims count everything not failed); open keeps it.
    const settledAt = outcome.state === 'failed' ? now : null;
    return [
      db
        .update(refunds)
        .set({ state: outcome.state, lastError: outcome.error, attempts, settledAt })
        .where(pendingClaim),
    ];
  }
  // Written out: inside UPDATE orders, a bare column could bind to the subquery's table.
  const succeeded = sql`(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = orders.id AND r.state = 'succeeded')`;
  const statements: Statements = [
    db
      .update(refunds)
      .set({
        state: 'succeeded',
        providerRefundId: outcome.providerRefundId,
        lastError: null,
        attempts,
        settledAt: now,
      })
      .where(pendingClaim),
    // The order's figures come from the settled claims, whatever order they settle in.
    db
      .update(orders)
      .set({
        refundedMinor: succeeded,
        status: sql`CASE WHEN ${succeeded} >= orders.total_minor THEN 'refunded' ELSE 'partially_refunded' END`,
        updatedAt: now,
      })
      .where(and(eq(orders.id, claim.orderId), inArray(orders.status, SETTLE_FROM))),
    db
      .update(tickets)
      .set({ status: 'revoked' })
      .where(
        and(
          eq(tickets.orderId, claim.orderId),
          sql`(SELECT o.status FROM ${orders} AS o WHERE o.id = ${claim.orderId}) = 'refunded'`,
        ),
      ),
  ];
  if (claim.reason === 'late_payment') {
    return [
      ...statements,
      outboxInsert(db, { kind: 'late_payment_refunded', orderId: claim.orderId }),
    ];
  }
  return [
    ...statements,
    db
      .insert(auditLog)
      .values({
        id: `au_${claim.id}`,
        organizerId: claim.organizerId,
        action: 'order.refunded',
        subjectId: claim.orderId,
        data: { refundId: claim.id, amountMinor: claim.amountMinor },
      })
      .onConflictDoNothing(),
  ];
}
