import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { resumeStalledCancellations } from '../cancellation/run';
import { createDb, type Db } from '../db/client';
import { orders, paymentEvents } from '../db/schema';
import { enqueueStaleOutbox } from '../notifications/outbox';
import { cancelAbandonedPayments } from '../orders/payment-cancel';
import { retryPendingRefunds } from '../orders/refund-retry';
import type { PaymentMessage } from './messages';

/** Unpaid orders are expired this long after their hold lapsed: a payment may be in flight. */
export const EXPIRY_GRACE_MS = 5 * 60_000;
/** A recorded event still unprocessed after this long is queued again. */
export const REQUEUE_AFTER_MS = 2 * 60_000;
/** Provider events re-queued per run: one `sendBatch` holds at most 100 messages. */
export const REQUEUE_LIMIT = 100;

export interface SweepResult {
  expired: number;
  requeued: number;
  /** Outbox notifications enqueued because their own send never happened. */
  notificationsEnqueued: number;
  /** Pending refund claims executed again; `refundsStuck` are too old to retry safely. */
  refundsRetried: number;
  refundsStuck: number;
  /** Open Stripe payments of expired or canceled orders, canceled at Stripe. */
  paymentsCanceled: number;
  /** Orders of event cancellations queued again because their message was lost. */
  cancellationsResumed: number;
}

/**
 * The cron's reconciliation: expire abandoned orders, re-queue provider events whose
 * processing never finished (the queue send failed, or the message went to the DLQ), enqueue
 * outbox notifications a crash left unsent, finish refund claims left pending, and cancel at
 * Stripe the open payments of orders that expired unpaid.
 * A payment that still arrives for an expired order is handled as a late payment.
 * Every step is idempotent; each runs even when another fails.
 */
export async function sweep(env: Env, now = Date.now()): Promise<SweepResult> {
  const db = createDb(env.DB);
  const [expired, requeued, notificationsEnqueued, refunds, cancellationsResumed] =
    await Promise.all([
      expireAbandoned(db, now),
      requeueStaleEvents(env, db, now),
      enqueueStaleOutbox(env, db, now),
      retryPendingRefunds(env, db, now),
      resumeStalledCancellations(env, db, now),
    ]);
  // After the expiry above, so a hold that lapsed in this run has its payment canceled now.
  const paymentsCanceled = await cancelAbandonedPayments(env, db);
  return {
    paymentsCanceled,
    expired,
    requeued,
    notificationsEnqueued,
    refundsRetried: refunds.retried,
    refundsStuck: refunds.stuck,
    cancellationsResumed,
  };
}

async function expireAbandoned(db: Db, now: number): Promise<number> {
  const expired = await db
    .update(orders)
    .set({ status: 'expired', updatedAt: new Date(now).toISOString() })
    .where(
      and(
        eq(orders.status, 'pending_payment'),
        lt(orders.expiresAt, new Date(now - EXPIRY_GRACE_MS).toISOString()),
      ),
    )
    .returning({ id: orders.id });
  return expired.length;
}

async function requeueStaleEvents(env: Env, db: Db, now: number): Promise<number> {
  const stale = await db
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(
      and(
        isNull(paymentEvents.processedAt),
        lt(paymentEvents.receivedAt, new Date(now - REQUEUE_AFTER_MS).toISOString()),
      ),
    )
    .orderBy(asc(paymentEvents.receivedAt))
    .limit(REQUEUE_LIMIT);
  if (stale.length > 0) {
    await env.PAYMENTS.sendBatch(
      stale.map(({ id }) => ({ body: { paymentEventId: id } satisfies PaymentMessage })),
    );
  }
  return stale.length;
}
