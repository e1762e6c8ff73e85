import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, paymentFees } from '../db/schema';
import { canTransition } from '../domain/order-states';
import { type FulfilOutcome, fulfilPayment } from '../orders/fulfilment';
import type { OrderRow } from '../orders/order-record';
import { checkD1Payments } from './d1-payments-check';
import { type Difference, recordDifference, resolve } from './differences';
import { storeFees } from './fees';
import type { LedgerPayment, StripeLedger, Window } from './stripe-ledger';
import type { CheckTally } from './tally';

/** What a fulfilment outcome means for a missed webhook: fixed, or left for a person. */
const FULFIL_ACTIONS: Record<FulfilOutcome, { fixed: boolean; action: string }> = {
  paid: { fixed: true, action: 'Marked paid and tickets issued through the normal path.' },
  already_paid: { fixed: true, action: 'The webhook paid the order meanwhile; nothing to do.' },
  refunded_late: {
    fixed: true,
    action: 'Paid after its tickets were gone: refunded in full (the late-payment path).',
  },
  late_refund_failed: {
    fixed: false,
    action: 'Paid after its tickets were gone; the automatic refund was refused.',
  },
  not_payable: { fixed: false, action: 'The order can not be paid in its state.' },
  unknown_order: { fixed: false, action: 'The order is gone.' },
  amount_mismatch: { fixed: false, action: 'Not fulfilled: the amount differs from the order.' },
  payment_mismatch: { fixed: false, action: 'Not fulfilled: not the order’s payment.' },
};

/**
 * Stripe's PaymentIntents of the window against D1, page by page. A succeeded one whose
 * order still waits is a missed webhook: it is fulfilled through the same code the webhook
 * consumer runs (idempotent, so a webhook arriving later changes nothing). Money Tessera
 * can not place (no order has this payment) and amounts that differ are recorded only.
 * Stripe's fees of every succeeded payment are stored for the settlement report.
 */
export async function checkStripePayments(
  env: Env,
  db: Db,
  ledger: StripeLedger,
  window: Window,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const seen = new Set<string>();
  for await (const page of ledger.paymentIntents(window)) {
    if (page.length === 0) continue;
    const known = await db
      .select()
      .from(orders)
      .where(
        inArray(
          orders.paymentId,
          page.map((pi) => pi.id),
        ),
      );
    const orderOf = new Map(known.map((o) => [o.paymentId, o]));
    const withFees = await db
      .select({ paymentId: paymentFees.paymentId })
      .from(paymentFees)
      .where(
        inArray(
          paymentFees.paymentId,
          page.map((pi) => pi.id),
        ),
      );
    const feesStored = new Set(withFees.map((f) => f.paymentId));
    for (const pi of page) {
      seen.add(pi.id);
      tally.paymentIntents++;
      const fees = feesStored.has(pi.id) ? null : pi.fees;
      await checkOne(env, db, { ...pi, fees }, orderOf.get(pi.id), now, tally);
    }
  }
  await checkD1Payments(db, ledger, window, seen, now, tally);
}

async function checkOne(
  env: Env,
  db: Db,
  pi: LedgerPayment,
  order: OrderRow | undefined,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const moved = pi.status === 'succeeded' || pi.status === 'processing';
  if (!order) {
    if (moved) await recordUnknownPayment(db, pi, now, tally);
    return;
  }
  if (order.paymentProvider !== 'stripe' || pi.status !== 'succeeded') return;
  const base = {
    organizerId: order.organizerId,
    eventId: order.eventId,
    orderId: order.id,
    details: {
      stripe: { status: pi.status, amountMinor: pi.receivedMinor, currency: pi.currency },
      tessera: { status: order.status, totalMinor: order.totalMinor, currency: order.currency },
    },
  };
  if (pi.receivedMinor !== order.totalMinor || pi.currency !== order.currency) {
    await recordDifference(
      db,
      { ...base, kind: 'amount_mismatch', objects: { paymentIntentId: pi.id } },
      now,
    );
    tally.recorded++;
    return;
  }
  if (pi.fees) await storeFees(db, order, pi.id, pi.fees, now);
  if (!canTransition(order.status, 'pay')) return;
  const difference: Difference = {
    ...base,
    kind: 'missed_payment_webhook',
    objects: { paymentIntentId: pi.id },
  };
  const row = await recordDifference(db, difference, now);
  tally.recorded++;
  let outcome: FulfilOutcome;
  try {
    outcome = await fulfilPayment(env, db, order.id, pi.id, {
      amountMinor: pi.receivedMinor,
      currency: pi.currency,
    });
  } catch (error) {
    // One order that can not be settled now (its DO, a late refund still open) must not stop
    // the run: the difference stays open and the next run tries again.
    const message = error instanceof Error ? error.message : String(error);
    await resolve(db, row.id, 'open', `Fix attempted, will be tried again: ${message}`, now);
    log('missed_payment_webhook', { orderId: order.id, paymentIntentId: pi.id, error: message });
    return;
  }
  const { fixed, action } = FULFIL_ACTIONS[outcome];
  await resolve(db, row.id, fixed ? 'fixed' : 'open', action, now);
  if (fixed) tally.fixed++;
  log('missed_payment_webhook', { orderId: order.id, paymentIntentId: pi.id, outcome });
}

/** A payment that moved money and that no order of Tessera's records as its own. */
async function recordUnknownPayment(db: Db, pi: LedgerPayment, now: string, tally: CheckTally) {
  // Metadata may name an order of ours that recorded another payment: show it to its organizer.
  const named = pi.orderId
    ? await db.select().from(orders).where(eq(orders.id, pi.orderId)).get()
    : undefined;
  await recordDifference(
    db,
    {
      kind: 'unknown_payment_intent',
      objects: { paymentIntentId: pi.id },
      organizerId: named?.organizerId ?? null,
      eventId: named?.eventId ?? null,
      orderId: named?.id ?? null,
      details: {
        stripe: { status: pi.status, amountMinor: pi.receivedMinor, currency: pi.currency },
        metadataOrderId: pi.orderId,
        tessera: named ? { paymentId: named.paymentId, status: named.status } : null,
      },
    },
    now,
  );
  tally.recorded++;
}

function log(kind: string, data: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: 'info', job: 'reconciliation', kind, ...data }));
}
