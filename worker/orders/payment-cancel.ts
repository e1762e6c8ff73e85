import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, payments } from '../db/schema';
import { paymentProvider } from '../payments';
import type { PaymentStatus, RetrievedPayment } from '../payments/provider';

/** Payments canceled per sweep run: each is one provider call. */
export const CANCEL_SWEEP_LIMIT = 20;

/** Orders that will never be paid through their payment any more. */
const CLOSED_ORDER_STATES = ['expired', 'canceled'] as const;
/** Payments a buyer could still complete (and be charged for a ticket no longer held). */
const CANCELABLE: PaymentStatus[] = ['requires_payment', 'requires_action', 'failed'];

/** What the provider answered, as the payment row records it. */
function recorded(status: RetrievedPayment['status']): PaymentStatus | null {
  if (status === 'canceled' || status === 'processing' || status === 'succeeded') return status;
  return null;
}

/**
 * Cancels, at the provider, the open payments of orders that expired or were canceled unpaid,
 * so a buyer with the payment form still open can not pay for tickets gone back on sale.
 * The row is the record of what is left to do: a payment is selected until its row says
 * `canceled` (or what the provider says instead), so a crash repeats the call, with the
 * same idempotency key, and a canceled payment is never asked again. One the provider
 * refuses because it already succeeded or is settling keeps that status: its webhook takes
 * the late-payment path (re-reserve, or refund). Providers without cancel (the sandbox) are
 * skipped.
 */
export async function cancelAbandonedPayments(env: Env, db: Db): Promise<number> {
  const provider = paymentProvider(env, db, '', 'stripe');
  if (!provider?.cancelPayment) return 0;
  const open = await db
    .select({ paymentId: payments.id, orderId: payments.orderId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.provider, 'stripe'),
        inArray(payments.status, CANCELABLE),
        inArray(orders.status, [...CLOSED_ORDER_STATES]),
      ),
    )
    .orderBy(asc(payments.updatedAt))
    .limit(CANCEL_SWEEP_LIMIT);
  let canceled = 0;
  for (const { paymentId, orderId } of open) {
    try {
      const answer = await provider.cancelPayment(paymentId, `cancel:${paymentId}`);
      const status = recorded(answer.status);
      if (!status) continue;
      await db
        .update(payments)
        .set({ status, updatedAt: new Date().toISOString() })
        .where(and(eq(payments.id, paymentId), inArray(payments.status, CANCELABLE)));
      if (status === 'canceled') canceled++;
    } catch (error) {
      // Left as it is: the next run asks again with the same key.
      console.error(
        JSON.stringify({
          level: 'error',
          orderId,
          paymentId,
          message: 'canceling an abandoned payment failed',
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
  return canceled;
}
