import { and, eq } from 'drizzle-orm';
import type { CancellationMessage } from '../consumers/messages';
import { createDb, type Db } from '../db/client';
import { cancellationOrders, orders } from '../db/schema';
import { claimOrganizerRefund, findRefund } from '../orders/refund-claims';
import { executeRefund } from '../orders/refund-execution';

/** Backoff of a message whose refund is still open: 30 s doubling, at most 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 30 * 2 ** Math.max(0, attempts - 1));
}

export type CancellationOutcome =
  | 'refunded'
  | 'failed'
  | 'open'
  | 'already_settled'
  | 'not_refundable'
  | 'unknown';

/**
 * The CANCELLATIONS consumer: one message per order. Messages run one after another (each is
 * a provider call; a batch is small), and each is acked or retried on its own. An open
 * provider answer retries the message (the claim keeps its amount; the same key is sent
 * again); a crash anywhere redelivers, and the claim id makes the redelivery find the same
 * refund.
 */
export async function handleCancellationBatch(
  batch: MessageBatch<CancellationMessage>,
  env: Env,
): Promise<void> {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const { eventId, orderId } = message.body ?? {};
    if (typeof eventId !== 'string' || typeof orderId !== 'string') {
      console.error(JSON.stringify({ level: 'error', queue: 'cancellations', body: message.body }));
      message.ack();
      continue;
    }
    try {
      const outcome = await refundCanceledOrder(env, db, eventId, orderId);
      if (outcome === 'open') message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      else message.ack();
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'error',
          queue: 'cancellations',
          orderId,
          attempts: message.attempts,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/**
 * Refunds one order of a canceled event, idempotently: the row's claim id is the refund's id
 * and the provider's idempotency key, so however often this runs the order is refunded once.
 */
export async function refundCanceledOrder(
  env: Env,
  db: Db,
  eventId: string,
  orderId: string,
): Promise<CancellationOutcome> {
  const row = await db
    .select()
    .from(cancellationOrders)
    .where(and(eq(cancellationOrders.orderId, orderId), eq(cancellationOrders.eventId, eventId)))
    .get();
  if (!row) return 'unknown';
  const earlier = await findRefund(db, row.refundId);
  if (earlier && earlier.state !== 'pending') return 'already_settled';
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return 'unknown';
  const claim =
    earlier ??
    (await claimOrganizerRefund(db, {
      refundId: row.refundId,
      orderId,
      organizerId: order.organizerId,
      amountMinor: null,
      reason: 'event_canceled',
    }));
  if (!claim) {
    // Refunded in full meanwhile (by the organizer), or everything left is being refunded.
    const now = await db.select().from(orders).where(eq(orders.id, orderId)).get();
    if (now?.status === 'refunded') return 'not_refundable';
    await db
      .update(cancellationOrders)
      .set({
        lastError: `The order (${now?.status ?? 'gone'}) could not be claimed for a refund.`,
        updatedAt: new Date().toISOString(),
      })
      .where(
        and(eq(cancellationOrders.orderId, orderId), eq(cancellationOrders.refundId, row.refundId)),
      );
    return 'failed';
  }
  const { refund } = await executeRefund(env, db, claim);
  if (refund.state === 'succeeded') return 'refunded';
  return refund.state === 'failed' ? 'failed' : 'open';
}
