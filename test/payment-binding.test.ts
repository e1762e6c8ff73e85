import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CreatedEvent, createOrganizer, createPublishedEvent, waitFor } from './support/api';
import { getOrder, pendingOrder, postWebhook, waitForStatus } from './support/purchase';

/**
 * Issue 8, finding 6: a provider event names its order in metadata, but only the payment
 * recorded on that order may move it. A signed event for order X's payment that names order
 * Y is recorded and ignored.
 */

const webhooks = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient() })
  .webhooks;
const cryptoProvider = Stripe.createSubtleCryptoProvider();

type Outcome = 'succeeded' | 'failed';

/** A sandbox event, correctly signed, for `paymentId` but naming `orderId` in its metadata. */
async function signedEvent(paymentId: string, orderId: string, outcome: Outcome, amount: number) {
  const succeeded = outcome === 'succeeded';
  const body = JSON.stringify({
    id: `evt_sandbox_${crypto.randomUUID()}`,
    object: 'event',
    type: succeeded ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: paymentId,
        object: 'payment_intent',
        amount,
        amount_received: succeeded ? amount : 0,
        currency: 'eur',
        status: succeeded ? 'succeeded' : 'requires_payment_method',
        metadata: { orderId },
        last_payment_error: succeeded ? null : { code: 'card_declined', message: 'Declined.' },
      },
    },
  });
  const signature = await webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret: env.SANDBOX_WEBHOOK_SECRET,
    timestamp: Math.floor(Date.now() / 1000),
    cryptoProvider,
  });
  return { body, signature, eventId: (JSON.parse(body) as { id: string }).id };
}

/** Posts the event and waits until the PAYMENTS consumer has processed it; its outcome. */
async function deliver(event: { body: string; signature: string; eventId: string }) {
  const res = await postWebhook(event);
  expect(res.status).toBe(200);
  return waitFor(async () => {
    const row = await env.DB.prepare(
      'SELECT outcome FROM payment_events WHERE provider_event_id = ? AND processed_at IS NOT NULL',
    )
      .bind(event.eventId)
      .first<{ outcome: string }>();
    return row?.outcome;
  });
}

async function orderRow(orderId: string) {
  return env.DB.prepare('SELECT status, last_payment_error FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ status: string; last_payment_error: string | null }>();
}

let event: CreatedEvent;

beforeAll(async () => {
  const { auth } = await createOrganizer();
  event = await createPublishedEvent(auth);
});

describe('a provider event moves only the order whose recorded payment it is', () => {
  it("a success for order X's payment that names order Y leaves Y (and X) awaiting payment", async () => {
    const x = await pendingOrder(event, 'ga', 1);
    const y = await pendingOrder(event, 'ga', 1);
    expect(y.totalMinor).toBe(x.totalMinor);
    const outcome = await deliver(
      await signedEvent(x.payment.paymentId, y.orderId, 'succeeded', y.totalMinor),
    );
    expect(outcome).toBe('payment_mismatch');
    expect((await getOrder(y.orderId, y.orderToken)).body).toMatchObject({
      status: 'pending_payment',
      tickets: [],
    });
    expect((await getOrder(x.orderId, x.orderToken)).body.status).toBe('pending_payment');
    const tickets = await env.DB.prepare('SELECT COUNT(*) AS n FROM tickets WHERE order_id = ?')
      .bind(y.orderId)
      .first<{ n: number }>();
    expect(tickets?.n).toBe(0);
  });

  it("a failure for order X's payment that names order Y records nothing on Y", async () => {
    const x = await pendingOrder(event, 'ga', 1);
    const y = await pendingOrder(event, 'ga', 1);
    const outcome = await deliver(
      await signedEvent(x.payment.paymentId, y.orderId, 'failed', y.totalMinor),
    );
    expect(outcome).toBe('payment_mismatch');
    expect(await orderRow(y.orderId)).toEqual({
      status: 'pending_payment',
      last_payment_error: null,
    });
    const payment = await env.DB.prepare('SELECT status FROM payments WHERE id = ?')
      .bind(y.payment.paymentId)
      .first<{ status: string }>();
    expect(payment?.status).toBe('requires_payment');
  });

  it("control: the order's own payment still pays it", async () => {
    const x = await pendingOrder(event, 'ga', 1);
    const outcome = await deliver(
      await signedEvent(x.payment.paymentId, x.orderId, 'succeeded', x.totalMinor),
    );
    expect(outcome).toBe('paid');
    await waitForStatus(x.orderId, x.orderToken, 'paid');
  });
});
