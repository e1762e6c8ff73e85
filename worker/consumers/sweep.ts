import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { createDb } from '../db/client';
import { orders, paymentEvents } from '../db/schema';
import type { PaymentMessage } from './messages';

/** Unpaid orders are expired this long after their hold lapsed: a payment may be in flight. */
export const EXPIRY_GRACE_MS = 5 * 60_000;
/** A recorded event still unprocessed after this long is queued again. */
export const REQUEUE_AFTER_MS = 2 * 60_000;

/**
 * The cron's reconciliation: expire abandoned orders and re-queue provider events whose
 * processing never finished (the queue send failed, or the message went to the DLQ).
 * A payment that still arrives for an expired order is handled as a late payment.
 */
export async function sweep(
  env: Env,
  now = Date.now(),
): Promise<{ expired: number; requeued: number }> {
  const db = createDb(env.DB);
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
    .limit(100);
  if (stale.length > 0) {
    await env.PAYMENTS.sendBatch(
      stale.map(({ id }) => ({ body: { paymentEventId: id } satisfies PaymentMessage })),
    );
  }
  return { expired: expired.length, requeued: stale.length };
}
