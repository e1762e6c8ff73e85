import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { StripeProvider } from '../worker/payments/stripe';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  waitFor,
} from './support/api';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { countRows, holdTickets } from './support/purchase';
import { STRIPE_SETTINGS, StripeFake, signedStripeEvent, stripeEnv } from './support/stripe-fake';

/**
 * Issue 10, refunds at Stripe: amounts in Stripe's minor units (ISK, UGX), and the refund
 * webhooks on the platform endpoint settling pending claims and failing accepted ones.
 * Stripe's refunds endpoint is answered here, on top of the StripeFake's fetch spy.
 */

let event: CreatedEvent;
let auth: Record<string, string>;
let stripe: StripeFake;
/** How the fake's /v1/refunds answers the next call: succeeded, or a 500 (open). */
let refundMode: 'succeed' | 'server_error' = 'succeed';
const refundCalls: Record<string, string>[] = [];

beforeAll(async () => {
  ({ auth } = await createOrganizer());
  event = await createPublishedEvent(auth);
});

beforeEach(() => {
  stripe = new StripeFake().install();
  refundMode = 'succeed';
  refundCalls.length = 0;
  const byKey = new Map<string, Response>();
  const fake = stripe.spy?.getMockImplementation();
  stripe.spy?.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== '/v1/refunds' || !fake) return fake ? fake(input, init) : new Response();
    const form = Object.fromEntries(new URLSearchParams(String(init?.body ?? '')));
    refundCalls.push(form);
    const key = new Headers(init?.headers).get('idempotency-key') ?? '';
    const replay = byKey.get(key);
    if (replay) return replay.clone();
    const answer =
      refundMode === 'server_error'
        ? stripeJson({ error: { type: 'api_error', message: 'boom' } }, 500)
        : stripeJson(refundObject(`re_3T${crypto.randomUUID().slice(0, 8)}`, form, 'succeeded'));
    byKey.set(key, answer.clone());
    return answer;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

function refundObject(id: string, form: Record<string, string>, status: string) {
  return {
    id,
    object: 'refund',
    amount: Number(form.amount),
    currency: 'eur',
    status,
    payment_intent: form.payment_intent,
    metadata: { orderId: form['metadata[orderId]'], refundId: form['metadata[refundId]'] },
  };
}

function stripeJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_TesseraFake' },
  });
}

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
  return readJsonResponse<T>(
    await app.request(`${BASE}${path}`, { method, headers, body }, stripeEnv()),
  );
}

/** A Stripe order of 2 × GA (7,800), paid through the payment_intent.succeeded webhook. */
async function paidStripeOrder() {
  const hold = await holdTickets(event, 'ga', 2);
  const checkout = await request<{
    orderId: string;
    orderToken: string;
    payment: { paymentId: string };
  }>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: { holdId: hold.body.holdId, buyer: { name: 'Ada', email: 'ada@example.com' } },
  });
  const { orderId, orderToken, payment } = checkout.body;
  const pi = stripe.set(payment.paymentId, { status: 'succeeded', amount_received: 7800 });
  const signed = await signedStripeEvent('payment_intent.succeeded', pi);
  await postStripe(signed);
  await waitFor(async () => {
    const res = await request<{ status: string }>('GET', `/api/v1/orders/${orderId}`, {
      headers: { authorization: `Bearer ${orderToken}` },
    });
    return res.body.status === 'paid' ? true : undefined;
  });
  return { orderId, paymentId: payment.paymentId };
}

const postStripe = (signed: { body: string; signature: string }) =>
  request<{ result: string }>('POST', '/api/v1/webhooks/stripe', {
    raw: signed.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
  });

let eventCounter = 0;

/** A refund webhook as Stripe signs it. */
async function signedRefundEvent(
  type: string,
  refund: Record<string, unknown>,
  secret = STRIPE_SETTINGS.STRIPE_WEBHOOK_SECRET,
) {
  eventCounter += 1;
  const body = JSON.stringify({
    id: `evt_3TesseraRefund${eventCounter}_${crypto.randomUUID().slice(0, 6)}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object: { object: 'refund', ...refund } },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { body, signature };
}

interface Detail {
  status: string;
  refundedMinor: number;
  refundableMinor: number;
  refunds: { id: string; state: string; amountMinor: number }[];
}
const detail = (orderId: string) =>
  request<Detail>('GET', `/api/v1/organizer/orders/${orderId}`, { headers: auth });
const refund = (orderId: string, body?: unknown) =>
  request<{ refund: { id: string; state: string } }>(
    'POST',
    `/api/v1/organizer/orders/${orderId}/refund`,
    {
      headers: auth,
      ...(body === undefined ? {} : { body }),
    },
  );

describe('refund amounts in Stripe’s minor units', () => {
  it.each([
    ['ISK', 500, '50000'],
    ['UGX', 20000, '2000000'],
    ['JPY', 500, '500'],
    ['KWD', 1500, '1500'],
    ['EUR', 3900, '3900'],
  ])('%s %i is sent as %s', async (currency, amountMinor, sent) => {
    const provider = new StripeProvider(
      STRIPE_SETTINGS.STRIPE_SECRET_KEY,
      STRIPE_SETTINGS.STRIPE_WEBHOOK_SECRET,
    );
    await provider.refund({
      paymentId: 'pi_3Tx',
      orderId: 'ord_1',
      amountMinor,
      currency,
      idempotencyKey: `k-${currency}`,
    });
    expect(refundCalls.at(-1)?.amount).toBe(sent);
  });

  it('a refund event in ISK is read back in Tessera’s units', async () => {
    const { toProviderEvent } = await import('../worker/payments/stripe-events');
    const parsed = toProviderEvent('stripe', {
      id: 'evt_1',
      type: 'refund.updated',
      data: {
        object: {
          id: 're_1',
          amount: 50000,
          currency: 'isk',
          status: 'succeeded',
          payment_intent: 'pi_1',
          metadata: { orderId: 'ord_1', refundId: 're_ours' },
        },
      },
    });
    expect(parsed).toMatchObject({
      kind: 'refund_succeeded',
      amountMinor: 500,
      currency: 'ISK',
      providerRefundId: 're_1',
      refundId: 're_ours',
    });
  });
});

describe('Stripe refund webhooks', () => {
  it('refund.updated settles a refund left pending by an open answer; duplicates change nothing', async () => {
    const { orderId, paymentId } = await paidStripeOrder();
    refundMode = 'server_error';
    const open = await refund(orderId, { amountMinor: 1000 });
    expect([open.status, open.body.refund.state]).toEqual([202, 'pending']);
    const object = {
      id: 're_3TsettledByHook',
      amount: 1000,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: paymentId,
      metadata: { orderId, refundId: open.body.refund.id },
    };
    const signed = await signedRefundEvent('refund.updated', object);
    expect((await postStripe(signed)).body.result).toBe('queued');
    const settled = await waitFor(async () => {
      const res = await detail(orderId);
      return res.body.refunds[0]?.state === 'succeeded' ? res.body : undefined;
    });
    expect(settled).toMatchObject({ status: 'partially_refunded', refundedMinor: 1000 });
    // The same event again, and the same change under its other name.
    expect((await postStripe(signed)).body.result).toBe('duplicate');
    expect(
      (await postStripe(await signedRefundEvent('charge.refund.updated', object))).status,
    ).toBe(200);
    await waitFor(async () =>
      (
        await env.DB.prepare(
          'SELECT COUNT(*) AS n FROM payment_events WHERE refund_id = ? AND processed_at IS NOT NULL',
        )
          .bind(open.body.refund.id)
          .first<{ n: number }>()
      )?.n === 2
        ? true
        : undefined,
    );
    expect((await detail(orderId)).body).toMatchObject({
      refundedMinor: 1000,
      refundableMinor: 6800,
    });
    expect(refundCalls).toHaveLength(1);
  });

  it('refund.failed after the refund succeeded frees its amount: it can be refunded again', async () => {
    const { orderId, paymentId } = await paidStripeOrder();
    const done = await refund(orderId, { amountMinor: 3000 });
    expect([done.status, done.body.refund.state]).toEqual([200, 'succeeded']);
    expect((await detail(orderId)).body).toMatchObject({
      refundedMinor: 3000,
      refundableMinor: 4800,
    });
    const failed = await signedRefundEvent('refund.failed', {
      id: 're_3TfailedLater',
      amount: 3000,
      currency: 'eur',
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      payment_intent: paymentId,
      metadata: { orderId, refundId: done.body.refund.id },
    });
    expect((await postStripe(failed)).status).toBe(200);
    const after = await waitFor(async () => {
      const res = await detail(orderId);
      return res.body.refunds[0]?.state === 'failed' ? res.body : undefined;
    });
    expect(after).toMatchObject({ status: 'paid', refundedMinor: 0, refundableMinor: 7800 });
    const again = await refund(orderId);
    expect([again.status, again.body.refund.state]).toEqual([200, 'succeeded']);
    expect((await detail(orderId)).body).toMatchObject({ status: 'refunded', refundedMinor: 7800 });
  });

  it('a refund that is not ours changes nothing; a forged one is refused', async () => {
    const { orderId, paymentId } = await paidStripeOrder();
    const outside = await signedRefundEvent('refund.updated', {
      id: 're_3Toutside',
      amount: 7800,
      currency: 'eur',
      status: 'succeeded',
      payment_intent: paymentId,
      metadata: { orderId },
    });
    expect((await postStripe(outside)).status).toBe(200);
    await waitFor(
      async () =>
        (
          await env.DB.prepare(
            "SELECT outcome FROM payment_events WHERE provider_refund_id = 're_3Toutside'",
          ).first<{ outcome: string | null }>()
        )?.outcome ?? undefined,
    ).then((outcome) => expect(outcome).toBe('unknown_refund'));
    expect((await detail(orderId)).body).toMatchObject({ status: 'paid', refundedMinor: 0 });
    const forged = await signedRefundEvent(
      'refund.failed',
      {
        id: 're_x',
        amount: 1,
        currency: 'eur',
        status: 'failed',
        payment_intent: paymentId,
        metadata: { orderId },
      },
      'whsec_not_the_platform_secret',
    );
    const refused = await postStripe(forged);
    expect(refused.status).toBe(400);
    expect(
      await countRows(`SELECT COUNT(*) AS n FROM payment_events WHERE provider_refund_id = 're_x'`),
    ).toBe(0);
  });
});
