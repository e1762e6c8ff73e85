import { and, eq, isNull } from 'drizzle-orm';
import { createDb, type Db } from '../db/client';
import { orders, paymentEvents } from '../db/schema';
import { fulfilPayment } from '../orders/fulfilment';
import {
  recordPaymentCanceled,
  recordPaymentFailure,
  recordPaymentProcessing,
  recordPaymentRequiresAction,
} from '../orders/payment-progress';
import { applyRefundEvent } from '../orders/refund-webhooks';
import type { PaymentMessage } from './messages';

/** Backoff for a retried message: 2, 4, 8 … seconds, at most 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(1, attempts));
}

/**
 * Moves orders through their states from recorded provider events. Each message is acked or
 * retried on its own; the event is marked processed only after every effect landed, so a
 * redelivery (or the sweep's re-queue) finishes whatever a crash interrupted.
 */
export async function handlePaymentBatch(
  batch: MessageBatch<PaymentMessage>,
  env: Env,
): Promise<void> {
  const db = createDb(env.DB);
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await processPaymentEvent(env, db, message.body.paymentEventId);
        message.ack();
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'error',
            queue: 'payments',
            paymentEventId: message.body.paymentEventId,
            attempts: message.attempts,
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}

export async function processPaymentEvent(
  env: Env,
  db: Db,
  paymentEventId: string,
): Promise<string> {
  const event = await db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.id, paymentEventId))
    .get();
  if (!event) return 'unknown_event';
  if (event.processedAt) return event.outcome ?? 'processed';
  let outcome: string;
  if (!event.orderId) {
    outcome = 'no_order';
    console.warn(
      JSON.stringify({
        level: 'warn',
        paymentEventId,
        message: 'provider event without an order id',
      }),
    );
  } else if (
    event.kind !== 'ignored' &&
    !(await isOrdersPayment(db, event.orderId, event.paymentId))
  ) {
    // Metadata names the order, but only the payment recorded on it may move it.
    outcome = 'payment_mismatch';
    console.warn(
      JSON.stringify({
        level: 'warn',
        paymentEventId,
        orderId: event.orderId,
        paymentId: event.paymentId,
        message: "provider event for a payment that is not the order's: ignored",
      }),
    );
  } else if (event.kind === 'refund_succeeded' || event.kind === 'refund_failed') {
    outcome = await applyRefundEvent(env, db, event);
  } else if (event.kind === 'payment_succeeded') {
    outcome = await fulfilPayment(env, db, event.orderId, event.paymentId, {
      amountMinor: event.amountMinor,
      currency: event.currency,
    });
  } else if (event.kind === 'payment_failed') {
    await recordPaymentFailure(env, db, event.orderId, event.paymentId, event.failureMessage);
    outcome = 'payment_failed';
  } else {
    outcome = await recordProgress(env, db, event.kind, event.orderId, event.paymentId);
  }
  await db
    .update(paymentEvents)
    .set({ processedAt: new Date().toISOString(), outcome })
    .where(and(eq(paymentEvents.id, paymentEventId), isNull(paymentEvents.processedAt)));
  return outcome;
}

/** The states between checkout and the outcome: processing, requires_action, canceled. */
function recordProgress(
  env: Env,
  db: Db,
  kind: (typeof paymentEvents.$inferSelect)['kind'],
  orderId: string,
  paymentId: string | null,
): Promise<string> | string {
  if (!paymentId) return 'ignored';
  if (kind === 'payment_processing') return recordPaymentProcessing(env, db, orderId, paymentId);
  if (kind === 'payment_requires_action')
    return recordPaymentRequiresAction(db, orderId, paymentId);
  if (kind === 'payment_canceled') return recordPaymentCanceled(db, orderId, paymentId);
  return 'ignored';
}

/** Whether `paymentId` is the payment recorded on the order (set when checkout created it). */
async function isOrdersPayment(
  db: Db,
  orderId: string,
  paymentId: string | null,
): Promise<boolean> {
  if (!paymentId) return false;
  const order = await db
    .select({ paymentId: orders.paymentId })
    .from(orders)
    .where(eq(orders.id, orderId))
    .get();
  // An unknown order is fulfilment's to report (`unknown_order`).
  return !order || order.paymentId === paymentId;
}
