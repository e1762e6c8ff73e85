import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { auditLog, orders, refunds, tickets } from '../db/schema';
import { sourceStates } from '../domain/order-states';
import { outboxInsert } from '../notifications/outbox';
import type { RefundRow } from './refund-claims';

export type Statements = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

export type ProviderOutcome =
  | { state: 'succeeded'; providerRefundId: string | null }
  | { state: 'failed' | 'pending'; error: string };

/** Orders a settled refund may move: organizer refunds from paid, the late one from refund_pending. */
const SETTLE_FROM = [
  ...new Set([...sourceStates('refundPartly'), ...sourceStates('refundCompleted')]),
];

// Written out: inside UPDATE orders, a bare column could bind to the subquery's table.
const SUCCEEDED_SUM = sql`(SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds AS r WHERE r.order_id = orders.id AND r.state = 'succeeded')`;

/** The buyer's mail about a refund: one per refund, by its id. */
export function refundMail(claim: RefundRow) {
  if (claim.reason === 'late_payment') return null;
  const kind = claim.reason === 'event_canceled' ? 'event_canceled' : 'refund_issued';
  return { kind, orderId: claim.orderId, refundId: claim.id } as const;
}

/** The settle batch: each write is conditional, so a second settle changes nothing. */
export function settleStatements(db: Db, claim: RefundRow, outcome: ProviderOutcome): Statements {
  const now = new Date().toISOString();
  const pendingClaim = and(eq(refunds.id, claim.id), eq(refunds.state, 'pending'));
  const attempts = sql`${refunds.attempts} + 1`;
  if (outcome.state !== 'succeeded') {
    // Failed for good releases the amount (claims count everything not failed) and the
    // tickets it claimed; open keeps both.
    const settledAt = outcome.state === 'failed' ? now : null;
    const update = db
      .update(refunds)
      .set({ state: outcome.state, lastError: outcome.error, attempts, settledAt })
      .where(pendingClaim);
    if (outcome.state === 'pending') return [update];
    return [update, releaseTickets(db, claim.id)];
  }
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
        refundedMinor: SUCCEEDED_SUM,
        status: sql`CASE WHEN ${SUCCEEDED_SUM} >= orders.total_minor THEN 'refunded' ELSE 'partially_refunded' END`,
        updatedAt: now,
      })
      .where(and(eq(orders.id, claim.orderId), inArray(orders.status, SETTLE_FROM))),
    // The refunded tickets (by ticket), or all of them once the order is refunded in full.
    db
      .update(tickets)
      .set({ status: 'revoked' })
      .where(
        and(
          eq(tickets.orderId, claim.orderId),
          sql`(${tickets.refundId} = ${claim.id} OR (SELECT o.status FROM ${orders} AS o WHERE o.id = ${claim.orderId}) = 'refunded')`,
        ),
      ),
  ];
  const mail = refundMail(claim);
  if (!mail) {
    return [
      ...statements,
      outboxInsert(db, { kind: 'late_payment_refunded', orderId: claim.orderId }),
    ];
  }
  return [...statements, outboxInsert(db, mail), auditRefund(db, claim, 'order.refunded')];
}

/**
 * A refund the provider first accepted, then failed (Stripe's `refund.failed`): the claim
 * turns `failed`, which frees its amount and its tickets, and the order's figures are counted
 * again from the refunds still succeeded. Tickets already refused at the door stay refused
 * (their places may be sold again); the organizer refunds the amount again or by other means.
 * A late-payment refund keeps its order as it is (the failure is logged and audited).
 */
export function failSettledStatements(db: Db, claim: RefundRow, error: string): Statements {
  const now = new Date().toISOString();
  const statements: Statements = [
    db
      .update(refunds)
      .set({ state: 'failed', lastError: error, settledAt: now })
      .where(and(eq(refunds.id, claim.id), inArray(refunds.state, ['pending', 'succeeded']))),
    releaseTickets(db, claim.id),
    auditRefund(db, claim, 'order.refund_failed'),
  ];
  if (claim.reason === 'late_payment') return statements;
  return [
    ...statements,
    db
      .update(orders)
      .set({
        refundedMinor: SUCCEEDED_SUM,
        status: sql`CASE WHEN ${SUCCEEDED_SUM} >= orders.total_minor THEN 'refunded' WHEN ${SUCCEEDED_SUM} > 0 THEN 'partially_refunded' ELSE 'paid' END`,
        updatedAt: now,
      })
      .where(
        and(eq(orders.id, claim.orderId), inArray(orders.status, sourceStates('refundReversed'))),
      ),
  ];
}

/** A refund that will not happen gives back the tickets it claimed. */
function releaseTickets(db: Db, refundId: string) {
  return db.update(tickets).set({ refundId: null }).where(eq(tickets.refundId, refundId));
}

function auditRefund(db: Db, claim: RefundRow, action: string) {
  return db
    .insert(auditLog)
    .values({
      id: `au_${action === 'order.refunded' ? '' : 'failed_'}${claim.id}`,
      organizerId: claim.organizerId,
      action,
      subjectId: claim.orderId,
      data: { refundId: claim.id, amountMinor: claim.amountMinor, reason: claim.reason },
    })
    .onConflictDoNothing();
}
