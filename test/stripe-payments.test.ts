import { env, runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { inventoryFor } from '../worker/catalog/inventory';
import { EXPIRY_GRACE_MS, sweep } from '../worker/consumers/sweep';
import { SETTLEMENT_HOLD_MS } from '../worker/orders/payment-progress';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  waitFor,
} from './support/api';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { holdTickets } from './support/purchase';
import { StripeFake, signedStripeEvent, stripeEnv } from './support/stripe-fake';

/**
 * Issue 10, "Buyers pay without leaving the page": one PaymentIntent per order, its webhooks
 * through the real path (signature, record, queue, consumer), tickets kept while a payment
 * settles, and the PaymentIntent of an order that expired unpaid canceled exactly once.
 * Stripe's API is the recorded shapes behind a fetch spy (test/support/stripe-fake.ts).
 */

interface CheckoutAnswer {
  orderId: string;
  orderToken: string;
  expiresAt: string;
  payment: {
    provider: string;
    paymentId: string;
    clientSecret: string;
    publishableKey: string;
    status: string;
  };
}

interface OrderAnswer {
  status: string;
  expiresAt: string | null;
  lastPaymentError: string | null;
  payment: { provider: string; paymentId: string; status: string } | null;
  tickets: unknown[];
}

let event: CreatedEvent;
let stripe: StripeFake;

beforeAll(async () => {
  const { auth } = await createOrganizer();
  event = await createPublishedEvent(auth);
});

beforeEach(() => {
  stripe = new StripeFake().install();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await app.request(`${BASE}${path}`, { method, headers, body }, stripeEnv());
  return readJsonResponse<T>(response);
}

async function stripeCheckout(quantity = 2, key = crypto.randomUUID()) {
  const hold = await holdTickets(event, 'ga', quantity);
  const res = await request<CheckoutAnswer>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': key },
    body: { holdId: hold.body.holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, holdId: hold.body.holdId, key };
}

const getOrder = (orderId: string, token: string) =>
  request<OrderAnswer>('GET', `/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${token}` },
  });

async function sendWebhook(type: string, paymentId: string) {
  const pi = stripe.intents.get(paymentId);
  if (!pi) throw new Error(`no PaymentIntent ${paymentId}`);
  const signed = await signedStripeEvent(type, pi);
  return request('POST', '/api/v1/webhooks/stripe', {
    raw: signed.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
  });
}

function waitForOrder(
  order: { orderId: string; orderToken: string },
  done: (o: OrderAnswer) => boolean,
) {
  return waitFor(async () => {
    const res = await getOrder(order.orderId, order.orderToken);
    return done(res.body) ? res.body : undefined;
  });
}

async function holdExpiryMs(holdId: string): Promise<number> {
  return runInDurableObject(inventoryFor(env, event.id), (_instance, state) => {
    const row = state.storage.sql
      .exec<{ expires_ms: number }>('SELECT expires_ms FROM holds WHERE id = ?', holdId)
      .one();
    return row.expires_ms;
  });
}

const minutes = (n: number) => n * 60_000;

describe('a PaymentIntent per order', () => {
  it('is created with the order amount, currency, metadata and a key from the order', async () => {
    const order = await stripeCheckout(2);
    const [create] = stripe.callsTo('POST', /^\/v1\/payment_intents$/);
    expect(create?.idempotencyKey).toBe(`payment:${order.orderId}`);
    expect(create?.form).toMatchObject({
      amount: '7800',
      currency: 'eur',
      'automatic_payment_methods[enabled]': 'true',
      'metadata[orderId]': order.orderId,
      'metadata[eventId]': event.id,
    });
    expect(order.payment).toMatchObject({
      provider: 'stripe',
      paymentId: create ? stripe.intents.keys().next().value : undefined,
      publishableKey: 'pk_test_51TesseraNotARealKey',
      status: 'requires_payment',
    });
    expect(order.payment.clientSecret).toMatch(/_secret_/);
  });

  it('a replayed checkout answers the same PaymentIntent (same key at Stripe)', async () => {
    const first = await stripeCheckout(1);
    const again = await request<CheckoutAnswer>('POST', '/api/v1/checkout', {
      headers: { 'idempotency-key': first.key },
      body: { holdId: first.holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
    });
    expect(again.body.payment.paymentId).toBe(first.payment.paymentId);
    const keys = stripe.callsTo('POST', /^\/v1\/payment_intents$/).map((c) => c.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set([`payment:${first.orderId}`]));
  });
});

describe('its webhooks, signed with the test secret', () => {
  it('payment_intent.succeeded pays the order and issues its tickets', async () => {
    const order = await stripeCheckout(2);
    stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 7800 });
    expect((await sendWebhook('payment_intent.succeeded', order.payment.paymentId)).status).toBe(
      200,
    );
    const paid = await waitForOrder(order, (o) => o.status === 'paid');
    expect(paid.tickets).toHaveLength(2);
    expect(paid.payment?.status).toBe('succeeded');
  });

  it('requires_action, then payment_failed: the order waits, says why, and may be retried', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'requires_action' });
    await sendWebhook('payment_intent.requires_action', order.payment.paymentId);
    await waitForOrder(order, (o) => o.payment?.status === 'requires_action');

    stripe.set(order.payment.paymentId, {
      status: 'requires_payment_method',
      last_payment_error: { message: 'Your card was declined.' } as never,
    });
    await sendWebhook('payment_intent.payment_failed', order.payment.paymentId);
    const failed = await waitForOrder(order, (o) => o.payment?.status === 'failed');
    expect(failed).toMatchObject({
      status: 'pending_payment',
      lastPaymentError: 'Your card was declined.',
    });
  });

  it('a forged signature is refused and records nothing', async () => {
    const order = await stripeCheckout(1);
    const pi = stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 3900 });
    const signed = await signedStripeEvent('payment_intent.succeeded', pi, 'whsec_someone_else');
    const res = await request('POST', '/api/v1/webhooks/stripe', {
      raw: signed.body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    expect(res.status).toBe(400);
    const recorded = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM payment_events WHERE payment_id = ?',
    )
      .bind(order.payment.paymentId)
      .first<{ n: number }>();
    expect(recorded?.n).toBe(0);
  });
});

describe('a payment still processing (SEPA)', () => {
  it('keeps its tickets reserved past the payment window, until it settles', async () => {
    const order = await stripeCheckout(1);
    const windowEnd = await holdExpiryMs(order.holdId);
    stripe.set(order.payment.paymentId, { status: 'processing' });
    await sendWebhook('payment_intent.processing', order.payment.paymentId);
    const processing = await waitForOrder(
      order,
      (o) => Date.parse(o.expiresAt ?? '') > Date.now() + SETTLEMENT_HOLD_MS - minutes(1),
    );
    expect(processing.payment?.status).toBe('processing');
    expect(await holdExpiryMs(order.holdId)).toBeGreaterThan(windowEnd + SETTLEMENT_HOLD_MS / 2);

    // An hour later the sweep neither expires the order nor cancels its payment.
    await sweep(stripeEnv(), Date.now() + minutes(60));
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('pending_payment');
    const path = new RegExp(`/${order.payment.paymentId}/cancel$`);
    expect(stripe.callsTo('POST', path)).toHaveLength(0);

    stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 3900 });
    await sendWebhook('payment_intent.succeeded', order.payment.paymentId);
    const paid = await waitForOrder(order, (o) => o.status === 'paid');
    expect(paid.tickets).toHaveLength(1);
  });

  it('that fails gives the tickets back to a short window for another try', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'processing' });
    await sendWebhook('payment_intent.processing', order.payment.paymentId);
    await waitForOrder(order, (o) => Date.parse(o.expiresAt ?? '') > Date.now() + minutes(60));

    stripe.set(order.payment.paymentId, { status: 'requires_payment_method' });
    await sendWebhook('payment_intent.payment_failed', order.payment.paymentId);
    // The webhook is processed once the order's expiry moved back (the last write).
    const failed = await waitForOrder(
      order,
      (o) =>
        o.payment?.status === 'failed' && Date.parse(o.expiresAt ?? '') < Date.now() + minutes(6),
    );
    expect(failed.status).toBe('pending_payment');
    expect(await holdExpiryMs(order.holdId)).toBeLessThanOrEqual(Date.now() + minutes(5));
  });
});

describe('an order that expired unpaid', () => {
  const afterExpiry = (order: { expiresAt: string }) =>
    Date.parse(order.expiresAt) + EXPIRY_GRACE_MS + minutes(1);

  it('has its PaymentIntent canceled at Stripe, exactly once', async () => {
    const order = await stripeCheckout(1);
    const first = await sweep(stripeEnv(), afterExpiry(order));
    expect(first.paymentsCanceled).toBeGreaterThanOrEqual(1);
    const cancels = stripe.callsTo('POST', new RegExp(`/${order.payment.paymentId}/cancel$`));
    expect(cancels).toHaveLength(1);
    expect(cancels[0]?.idempotencyKey).toBe(`cancel:${order.payment.paymentId}`);
    expect(stripe.intents.get(order.payment.paymentId)?.status).toBe('canceled');
    const expired = (await getOrder(order.orderId, order.orderToken)).body;
    expect(expired).toMatchObject({ status: 'expired', payment: { status: 'canceled' } });

    await sweep(stripeEnv(), afterExpiry(order) + minutes(1));
    expect(stripe.callsTo('POST', new RegExp(`/${order.payment.paymentId}/cancel$`))).toHaveLength(
      1,
    );
  });

  it('is not canceled when the payment already succeeded at Stripe (the late path pays it)', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 3900 });
    await sweep(stripeEnv(), afterExpiry(order));
    const path = new RegExp(`/${order.payment.paymentId}/cancel$`);
    // Asked once; Stripe refused (succeeded), and the row now says so: never asked again.
    expect(stripe.callsTo('POST', path)).toHaveLength(1);
    expect(stripe.intents.get(order.payment.paymentId)?.status).toBe('succeeded');
    await sweep(stripeEnv(), afterExpiry(order) + minutes(1));
    expect(stripe.callsTo('POST', path)).toHaveLength(1);

    await sendWebhook('payment_intent.succeeded', order.payment.paymentId);
    await waitForOrder(
      order,
      (o) => o.status === 'paid' || o.status === 'refund_pending' || o.status === 'refunded',
    );
  });

  it('whose payment succeeded before the sweep is never sent a cancel', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 3900 });
    await sendWebhook('payment_intent.succeeded', order.payment.paymentId);
    await waitForOrder(order, (o) => o.status === 'paid');
    await sweep(stripeEnv(), afterExpiry(order));
    expect(stripe.callsTo('POST', new RegExp(`/${order.payment.paymentId}/cancel$`))).toHaveLength(
      0,
    );
  });
});

describe('the hosted order page of a Stripe order', () => {
  async function page(path: string) {
    const response = await app.request(`${BASE}${path}`, {}, stripeEnv());
    return {
      status: response.status,
      csp: response.headers.get('content-security-policy') ?? '',
      html: await response.text(),
    };
  }
  const orderPath = (order: { orderId: string; orderToken: string }, extra = '') =>
    `/orders/${order.orderId}?token=${encodeURIComponent(order.orderToken)}${extra}`;

  it('shows the Payment Element form, and its CSP lets exactly Stripe.js in', async () => {
    const order = await stripeCheckout(1);
    const { status, csp, html } = await page(orderPath(order));
    expect(status).toBe(200);
    expect(html).toContain('data-tessera-pay');
    expect(html).toContain(`data-client-secret="${order.payment.clientSecret}"`);
    expect(html).toContain('data-publishable-key="pk_test_51TesseraNotARealKey"');
    expect(html).toMatch(/<script src="\/widget\/tessera-pay-[0-9a-f]+\.js" defer/);
    expect(html).not.toContain('http-equiv="refresh"');
    expect(csp).toContain("script-src 'self' https://js.stripe.com https://*.js.stripe.com");
    expect(csp).toContain(
      'frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com',
    );
    expect(csp).toContain("connect-src 'self' https://api.stripe.com");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('after a decline, says why and offers the form again; back from Stripe, it waits', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, {
      status: 'requires_payment_method',
      last_payment_error: { message: 'Your card was declined.' } as never,
    });
    await sendWebhook('payment_intent.payment_failed', order.payment.paymentId);
    await waitForOrder(order, (o) => o.lastPaymentError !== null);
    const declined = await page(orderPath(order));
    expect(declined.html).toContain('Your last payment attempt failed: Your card was declined.');
    expect(declined.html).toContain('data-tessera-pay');

    const back = await page(orderPath(order, '&redirect_status=succeeded'));
    expect(back.html).toContain('Confirming your payment');
    expect(back.html).not.toContain('data-tessera-pay');
    expect(back.html).toContain('http-equiv="refresh"');
    expect(back.csp).not.toContain('stripe.com');
  });

  it('while the bank settles the payment, says so without a form', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'processing' });
    await sendWebhook('payment_intent.processing', order.payment.paymentId);
    await waitForOrder(order, (o) => o.payment?.status === 'processing');
    const { html, csp } = await page(orderPath(order));
    expect(html).toContain('being processed by your bank');
    expect(html).not.toContain('data-tessera-pay');
    expect(csp).not.toContain('stripe.com');
  });

  it('of a paid order carries no Stripe source in its CSP', async () => {
    const order = await stripeCheckout(1);
    stripe.set(order.payment.paymentId, { status: 'succeeded', amount_received: 3900 });
    await sendWebhook('payment_intent.succeeded', order.payment.paymentId);
    await waitForOrder(order, (o) => o.status === 'paid');
    const { html, csp } = await page(orderPath(order));
    expect(html).not.toContain('data-tessera-pay');
    expect(csp).not.toContain('stripe.com');
  });
});
