import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type paymentEvents, refunds } from '../db/schema';
import { failSettledRefund, settleRefund } from './refund-execution';

type RefundEventRow = Pick<
  typeof paymentEvents.$inferSelect,
  'id' | 'kind' | 'orderId' | 'amountMinor' | 'failureMessage' | 'providerRefundId' | 'refundId'
>;

export type RefundEventOutcome =
  | 'refund_settled'
  | 'refund_failed'
  | 'refund_reversed'
  | 'already_settled'
  | 'unknown_refund'
  | 'amount_mismatch';

/**
 * A provider's refund event for one of our claims (found by the claim id the refund's
 * metadata carries, or by the provider's refund id): `refund_succeeded` settles a claim still
 * pending (the request's answer was lost); `refund_failed` fails a pending claim, or one that
 * was counted as succeeded, which frees its amount and tickets (refund-settlement.ts). Each
 * step is a conditional write, so a duplicate event, or the same change under its other
 * name (`refund.updated` and `charge.refund.updated`), changes nothing more.
 */
export async function applyRefundEvent(
  env: Env,
  db: Db,
  event: RefundEventRow,
): Promise<RefundEventOutcome> {
  if (!event.orderId || (!event.refundId && !event.providerRefundId)) return 'unknown_refund';
  const claim = await db
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.orderId, event.orderId),
        or(
          event.refundId ? eq(refunds.id, event.refundId) : undefined,
          event.providerRefundId ? eq(refunds.providerRefundId, event.providerRefundId) : undefined,
        ),
      ),
    )
    .get();
  // Not ours (a refund made in Stripe's dashboard): reconciliation records those.
  if (!claim) return 'unknown_refund';
  if (event.amountMinor !== null && event.amountMinor !== claim.amountMinor) {
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'refund event amount differs from the claim',
        refundId: claim.id,
        amountMinor: event.amountMinor,
        claimed: claim.amountMinor,
      }),
    );
    return 'amount_mismatch';
  }
  if (event.kind === 'refund_succeeded') {
    if (claim.state !== 'pending') return 'already_settled';
    await settleRefund(env, db, claim, {
      state: 'succeeded',
      providerRefundId: event.providerRefundId,
    });
    return 'refund_settled';
  }
  const error = `The payment provider failed the refund: ${event.failureMessage ?? 'failed'}.`;
  if (claim.state === 'failed') return 'already_settled';
  if (claim.state === 'pending') {
    await settleRefund(env, db, claim, { state: 'failed', error });
    return 'refund_failed';
  }
  await failSettledRefund(db, claim, error);
  return 'refund_reversed';
}
