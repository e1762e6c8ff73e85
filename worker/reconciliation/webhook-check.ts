import { and, eq, gte, inArray, lt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, paymentEvents } from '../db/schema';
import { recordDifference } from './differences';
import type { Window } from './stripe-ledger';
import type { CheckTally } from './tally';

/** Consumer outcomes of a Stripe event that named no payment of ours, or the wrong amount. */
const UNPLACED = ['no_order', 'unknown_order', 'payment_mismatch'];

/**
 * Stripe webhooks of the window that the consumer could not place (no order, or not the
 * order's payment) or refused for their amount: recorded, never acted on. The key is the
 * PaymentIntent's, so the same payment found in Stripe's list is the same difference.
 */
export async function checkUnplacedWebhooks(
  db: Db,
  window: Window,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const rows = await db
    .select({ event: paymentEvents, order: orders })
    .from(paymentEvents)
    .leftJoin(orders, eq(orders.id, paymentEvents.orderId))
    .where(
      and(
        eq(paymentEvents.provider, 'stripe'),
        ne(paymentEvents.kind, 'ignored'),
        inArray(paymentEvents.outcome, [...UNPLACED, 'amount_mismatch']),
        gte(paymentEvents.receivedAt, new Date(window.fromMs).toISOString()),
        lt(paymentEvents.receivedAt, new Date(window.toMs).toISOString()),
      ),
    );
  for (const { event, order } of rows) {
    if (!event.paymentId) continue;
    const stripe = {
      webhookEventId: event.providerEventId,
      type: event.type,
      amountMinor: event.amountMinor,
      currency: event.currency,
    };
    await recordDifference(
      db,
      {
        kind: event.outcome === 'amount_mismatch' ? 'amount_mismatch' : 'unknown_payment_intent',
        objects: { paymentIntentId: event.paymentId },
        organizerId: order?.organizerId ?? null,
        eventId: order?.eventId ?? null,
        orderId: order?.id ?? null,
        details: {
          stripe,
          metadataOrderId: event.orderId,
          tessera: order
            ? { paymentId: order.paymentId, status: order.status, totalMinor: order.totalMinor }
            : null,
        },
      },
      now,
    );
    tally.recorded++;
  }
}
