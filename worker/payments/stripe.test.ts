import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import cancelRefused from '../../test/fixtures/stripe/error-cancel-succeeded.json';
import alreadyRefunded from '../../test/fixtures/stripe/error-charge-already-refunded.json';
import idempotencyError from '../../test/fixtures/stripe/error-idempotency.json';
import canceledEvent from '../../test/fixtures/stripe/event-payment-intent-canceled.json';
import failedEvent from '../../test/fixtures/stripe/event-payment-intent-payment-failed.json';
import processingEvent from '../../test/fixtures/stripe/event-payment-intent-processing.json';
import requiresActionEvent from '../../test/fixtures/stripe/event-payment-intent-requires-action.json';
import succeededEvent from '../../test/fixtures/stripe/event-payment-intent-succeeded.json';
import piCanceled from '../../test/fixtures/stripe/payment-intent-canceled.json';
import piCreated from '../../test/fixtures/stripe/payment-intent-created.json';
import piDeclined from '../../test/fixtures/stripe/payment-intent-declined.json';
import piSucceeded from '../../test/fixtures/stripe/payment-intent-succeeded.json';
import refundCreated from '../../test/fixtures/stripe/refund-created.json';
import { AppError } from '../domain/errors';
import { type CreatePaymentInput, RefundDeclined } from './provider';
import { StripeProvider } from './stripe';
import { toProviderEvent } from './stripe-events';

const SECRET_KEY = 'sk_test_51TesseraNotARealKey0000000000000000';
const WEBHOOK_SECRET = 'whsec_test_tessera_0123456789abcdef';
const ORDER_ID = 'ord_7Kq2xY9mTn4bVw3C';
const PI_ID = piCreated.id;
const subtle = Stripe.createSubtleCryptoProvider();

const paymentInput: CreatePaymentInput = {
  orderId: ORDER_ID,
  eventId: 'evt_3xLm9QpZr2Tc',
  amountMinor: 7800,
  currency: 'EUR',
  buyerEmail: 'ada@example.com',
  description: 'Tessera order ord_7Kq2xY9mTn4bVw3C: 2 tickets, Summer Gala',
  returnUrl: 'https://tessera.example/orders/ord_7Kq2xY9mTn4bVw3C',
  idempotencyKey: `pay:${ORDER_ID}`,
};

/** A response the way Stripe sends it: JSON plus the headers the SDK reads. */
function stripeResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'request-id': 'req_Fx9dLq2WnT7bKc',
      'stripe-version': Stripe.API_VERSION,
    },
  });
}

let fetchSpy: MockInstance<typeof fetch>;
let provider: StripeProvider;

beforeEach(() => {
  // Any request a test did not answer fails instead of reaching the network.
  fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('unexpected fetch'));
  // Built after the spy: Stripe's fetch client captures globalThis.fetch when it is created.
  provider = new StripeProvider(SECRET_KEY, WEBHOOK_SECRET);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The one request the SDK sent, taken apart. */
function sentRequest() {
  expect(fetchSpy).toHaveBeenCalledTimes(1);
  const [url, init] = fetchSpy.mock.calls[0] ?? [];
  return {
    url: String(url),
    method: init?.method,
    headers: new Headers(init?.headers),
    form: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
  };
}

describe('toProviderEvent', () => {
  it('maps payment_intent.succeeded, taking the amount received', () => {
    expect(toProviderEvent('stripe', succeededEvent)).toEqual({
      provider: 'stripe',
      eventId: succeededEvent.id,
      type: 'payment_intent.succeeded',
      kind: 'payment_succeeded',
      paymentId: PI_ID,
      orderId: ORDER_ID,
      amountMinor: 7800,
      currency: 'EUR',
      failureMessage: null,
    });
  });

  it('maps payment_intent.payment_failed with the decline message', () => {
    expect(toProviderEvent('stripe', failedEvent)).toEqual({
      provider: 'stripe',
      eventId: failedEvent.id,
      type: 'payment_intent.payment_failed',
      kind: 'payment_failed',
      paymentId: PI_ID,
      orderId: ORDER_ID,
      amountMinor: 7800,
      currency: 'EUR',
      failureMessage: 'Your card has insufficient funds.',
    });
  });

  it.each([
    [processingEvent, 'payment_processing'],
    [requiresActionEvent, 'payment_requires_action'],
    [canceledEvent, 'payment_canceled'],
  ] as const)('maps $type to its own kind, naming the payment and order', (event, kind) => {
    expect(toProviderEvent('stripe', event)).toMatchObject({
      kind,
      type: event.type,
      paymentId: PI_ID,
      orderId: ORDER_ID,
      amountMinor: 7800,
      currency: 'EUR',
    });
  });

  it("reads an ISK amount back from Stripe's two-decimal form", () => {
    const object = { ...succeededEvent.data.object, currency: 'isk', amount: 50000 };
    const event = { ...succeededEvent, data: { object: { ...object, amount_received: 50000 } } };
    expect(toProviderEvent('stripe', event)).toMatchObject({ amountMinor: 500, currency: 'ISK' });
  });

  it('ignores other payment_intent events but still names the payment', () => {
    const event = {
      ...succeededEvent,
      type: 'payment_intent.created',
      data: { object: piCreated },
    };
    expect(toProviderEvent('stripe', event)).toMatchObject({
      kind: 'ignored',
      type: 'payment_intent.created',
      paymentId: PI_ID,
      orderId: ORDER_ID,
      failureMessage: null,
    });
  });

  it('ignores events about other objects, with every payment field null', () => {
    const event = { id: 'evt_1', type: 'charge.refunded', data: { object: refundCreated } };
    expect(toProviderEvent('stripe', event)).toEqual({
      provider: 'stripe',
      eventId: 'evt_1',
      type: 'charge.refunded',
      kind: 'ignored',
      paymentId: null,
      orderId: null,
      amountMinor: null,
      currency: null,
      failureMessage: null,
    });
  });

  it('accepts the smaller objects the sandbox sends, under its own provider name', () => {
    const object = {
      id: 'pay_sbx_1',
      amount: 1500,
      currency: 'usd',
      metadata: { orderId: 'ord_1' },
    };
    const event = { id: 'evt_sbx_1', type: 'payment_intent.succeeded', data: { object } };
    expect(toProviderEvent('sandbox', event)).toMatchObject({
      provider: 'sandbox',
      kind: 'payment_succeeded',
      paymentId: 'pay_sbx_1',
      orderId: 'ord_1',
      amountMinor: 1500,
      currency: 'USD',
    });
  });

  it('throws on a payment event without a valid PaymentIntent, rather than dropping it', () => {
    const event = { id: 'evt_2', type: 'payment_intent.succeeded', data: { object: { id: 'x' } } };
    expect(() => toProviderEvent('stripe', event)).toThrow(/no valid PaymentIntent/);
  });
});

describe('StripeProvider API calls', () => {
  it('createPayment sends a PaymentIntent create with the idempotency key', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCreated));
    const created = await provider.createPayment(paymentInput);

    expect(created).toEqual({
      provider: 'stripe',
      paymentId: PI_ID,
      clientSecret: piCreated.client_secret,
    });
    const req = sentRequest();
    expect(req.url).toBe('https://api.stripe.com/v1/payment_intents');
    expect(req.method).toBe('POST');
    expect(req.headers.get('Authorization')).toBe(`Bearer ${SECRET_KEY}`);
    expect(req.headers.get('Idempotency-Key')).toBe(`pay:${ORDER_ID}`);
    expect(req.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(req.form)).toEqual({
      amount: '7800',
      currency: 'eur',
      'automatic_payment_methods[enabled]': 'true',
      receipt_email: 'ada@example.com',
      description: paymentInput.description,
      'metadata[orderId]': ORDER_ID,
      'metadata[eventId]': 'evt_3xLm9QpZr2Tc',
    });
  });

  it('pins the API version the recorded shapes were taken with', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCreated));
    await provider.createPayment(paymentInput);
    expect(Stripe.API_VERSION).toBe(succeededEvent.api_version);
    expect(sentRequest().headers.get('Stripe-Version')).toBe('2026-10-28.endive');
  });

  it.each([
    ['JPY', 500, '500'],
    ['KWD', 12345, '12345'],
    ['HUF', 150000, '150000'],
    ['ISK', 500, '50000'],
  ])('sends a %s order of %i minor units as amount %s', async (currency, amountMinor, sent) => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCreated));
    await provider.createPayment({ ...paymentInput, currency, amountMinor });
    const { form } = sentRequest();
    expect(form.get('amount')).toBe(sent);
    expect(form.get('currency')).toBe(currency.toLowerCase());
  });

  it('hands the browser the publishable key (and, in development, the Stripe.js stand-in)', async () => {
    const configured = new StripeProvider(SECRET_KEY, WEBHOOK_SECRET, {
      publishableKey: 'pk_test_tessera',
      stripeJsUrl: 'http://127.0.0.1:9/stripe.js',
    });
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCreated));
    expect(await configured.createPayment(paymentInput)).toEqual({
      provider: 'stripe',
      paymentId: PI_ID,
      clientSecret: piCreated.client_secret,
      publishableKey: 'pk_test_tessera',
      stripeJsUrl: 'http://127.0.0.1:9/stripe.js',
    });
  });

  it('talks to another API address only when told to (the browser tests stand-in)', async () => {
    const standIn = new StripeProvider(SECRET_KEY, WEBHOOK_SECRET, {
      apiBaseUrl: 'http://127.0.0.1:4242',
    });
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCreated));
    await standIn.createPayment(paymentInput);
    expect(sentRequest().url).toBe('http://127.0.0.1:4242/v1/payment_intents');
  });

  it('cancelPayment cancels the PaymentIntent with the idempotency key', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piCanceled));
    expect(await provider.cancelPayment(PI_ID, `cancel:${PI_ID}`)).toEqual({
      paymentId: PI_ID,
      status: 'canceled',
      amountMinor: 7800,
      currency: 'EUR',
    });
    const req = sentRequest();
    expect(req.url).toBe(`https://api.stripe.com/v1/payment_intents/${PI_ID}/cancel`);
    expect(req.method).toBe('POST');
    expect(req.headers.get('Idempotency-Key')).toBe(`cancel:${PI_ID}`);
    expect(Object.fromEntries(req.form)).toEqual({ cancellation_reason: 'abandoned' });
  });

  it('cancelPayment of a PaymentIntent that already succeeded answers succeeded, no error', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(cancelRefused, 400));
    expect(await provider.cancelPayment(PI_ID, `cancel:${PI_ID}`)).toMatchObject({
      status: 'succeeded',
      amountMinor: 7800,
    });
  });

  it('cancelPayment leaves other failures open (payment_provider_error)', async () => {
    fetchSpy.mockResolvedValueOnce(
      stripeResponse({ error: { type: 'api_error', message: 'boom' } }, 500),
    );
    await expect(provider.cancelPayment(PI_ID, 'k')).rejects.toMatchObject({
      code: 'payment_provider_error',
    });
  });

  it('createPayment turns a Stripe error into payment_provider_error, without retrying', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(idempotencyError, 400));
    const error = await provider.createPayment(paymentInput).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 502, code: 'payment_provider_error' });
    const cause = (error as AppError).cause;
    expect(cause).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(cause).toMatchObject({
      type: 'StripeIdempotencyError',
      requestId: 'req_Fx9dLq2WnT7bKc',
    });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('refund creates a refund for the PaymentIntent with the idempotency key', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(refundCreated));
    const result = await provider.refund({
      paymentId: PI_ID,
      orderId: ORDER_ID,
      amountMinor: 3900,
      currency: 'EUR',
      idempotencyKey: `refund:${ORDER_ID}:1`,
    });

    expect(result).toEqual({ refundId: refundCreated.id });
    const req = sentRequest();
    expect(req.url).toBe('https://api.stripe.com/v1/refunds');
    expect(req.method).toBe('POST');
    expect(req.headers.get('Idempotency-Key')).toBe(`refund:${ORDER_ID}:1`);
    expect(Object.fromEntries(req.form)).toEqual({
      payment_intent: PI_ID,
      amount: '3900',
      'metadata[orderId]': ORDER_ID,
      'metadata[refundId]': `refund:${ORDER_ID}:1`,
    });
  });

  it('refund of an already refunded charge is a payment_provider_error', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(alreadyRefunded, 400));
    const error = await provider
      .refund({
        paymentId: PI_ID,
        orderId: ORDER_ID,
        amountMinor: 3900,
        currency: 'EUR',
        idempotencyKey: 'k',
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 502, code: 'payment_provider_error' });
    expect((error as AppError).cause).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as AppError).cause).toMatchObject({ code: 'charge_already_refunded' });
  });

  it('a refund Stripe rejects is declined for good: the claim may be released', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(alreadyRefunded, 400));
    const error = await provider
      .refund({
        paymentId: PI_ID,
        orderId: ORDER_ID,
        amountMinor: 3900,
        currency: 'EUR',
        idempotencyKey: 'k',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundDeclined);
  });

  it.each([
    ['a server error', stripeResponse({ error: { type: 'api_error', message: 'boom' } }, 500)],
    ['an idempotency conflict', stripeResponse(idempotencyError, 400)],
  ])('a refund answered with %s stays open (never declined)', async (_name, response) => {
    fetchSpy.mockResolvedValue(response);
    const error = await provider
      .refund({
        paymentId: PI_ID,
        orderId: ORDER_ID,
        amountMinor: 3900,
        currency: 'EUR',
        idempotencyKey: 'k',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'payment_provider_error' });
    expect(error).not.toBeInstanceOf(RefundDeclined);
  });

  it('a refund Stripe answers as failed is declined', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse({ ...refundCreated, status: 'failed' }));
    const error = await provider
      .refund({
        paymentId: PI_ID,
        orderId: ORDER_ID,
        amountMinor: 3900,
        currency: 'EUR',
        idempotencyKey: 'k',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundDeclined);
  });

  it('retrievePayment GETs the PaymentIntent and maps a success', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piSucceeded));
    expect(await provider.retrievePayment(PI_ID)).toEqual({
      paymentId: PI_ID,
      status: 'succeeded',
      amountMinor: 7800,
      currency: 'EUR',
      clientSecret: piSucceeded.client_secret,
    });
    const req = sentRequest();
    expect(req.url).toBe(`https://api.stripe.com/v1/payment_intents/${PI_ID}`);
    expect(req.method).toBe('GET');
    expect(req.headers.get('Authorization')).toBe(`Bearer ${SECRET_KEY}`);
  });

  it('retrievePayment: a declined attempt still requires payment (the buyer may retry)', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse(piDeclined));
    expect(await provider.retrievePayment(PI_ID)).toMatchObject({
      status: 'requires_payment',
      amountMinor: 7800,
    });
  });

  it.each([
    ['requires_payment_method', 'requires_payment'],
    ['requires_confirmation', 'requires_payment'],
    ['requires_action', 'requires_payment'],
    ['processing', 'processing'],
    ['requires_capture', 'processing'],
    ['canceled', 'canceled'],
  ])('retrievePayment maps Stripe status %s to %s', async (stripeStatus, status) => {
    fetchSpy.mockResolvedValueOnce(stripeResponse({ ...piCreated, status: stripeStatus }));
    expect(await provider.retrievePayment(PI_ID)).toMatchObject({ status });
  });

  it('retrievePayment throws on a status it does not know', async () => {
    fetchSpy.mockResolvedValueOnce(stripeResponse({ ...piCreated, status: 'teleported' }));
    await expect(provider.retrievePayment(PI_ID)).rejects.toThrow(/Unknown Stripe PaymentIntent/);
  });

  it('refuses to start without its secrets', () => {
    expect(() => new StripeProvider('', WEBHOOK_SECRET)).toThrow();
    expect(() => new StripeProvider(SECRET_KEY, ' ')).toThrow();
  });
});

describe('StripeProvider.verifyWebhook', () => {
  const payload = JSON.stringify(succeededEvent);
  const sign = (opts: { payload?: string; secret?: string; timestamp?: number } = {}) =>
    Stripe.webhooks.generateTestHeaderStringAsync({
      payload: opts.payload ?? payload,
      secret: opts.secret ?? WEBHOOK_SECRET,
      timestamp: opts.timestamp,
      cryptoProvider: subtle,
    });

  it('accepts a Stripe-signed payment_intent.succeeded and maps it', async () => {
    expect(await provider.verifyWebhook(payload, await sign())).toMatchObject({
      provider: 'stripe',
      eventId: succeededEvent.id,
      kind: 'payment_succeeded',
      paymentId: PI_ID,
      orderId: ORDER_ID,
      amountMinor: 7800,
      currency: 'EUR',
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('accepts a signed payment_intent.payment_failed', async () => {
    const body = JSON.stringify(failedEvent);
    expect(await provider.verifyWebhook(body, await sign({ payload: body }))).toMatchObject({
      kind: 'payment_failed',
      failureMessage: 'Your card has insufficient funds.',
    });
  });

  it('accepts a signature near the end of the 300 s tolerance', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 290;
    expect(await provider.verifyWebhook(payload, await sign({ timestamp }))).not.toBeNull();
  });

  it('returns null for a missing or empty header', async () => {
    expect(await provider.verifyWebhook(payload, null)).toBeNull();
    expect(await provider.verifyWebhook(payload, '')).toBeNull();
  });

  it('returns null for a forged signature', async () => {
    const t = Math.floor(Date.now() / 1000);
    expect(await provider.verifyWebhook(payload, `t=${t},v1=${'0'.repeat(64)}`)).toBeNull();
  });

  it('returns null when the body was changed after signing', async () => {
    const header = await sign();
    expect(await provider.verifyWebhook(payload.replace('7800', '1'), header)).toBeNull();
  });

  it('returns null for a signature made with another secret', async () => {
    const header = await sign({ secret: 'whsec_someone_else_entirely' });
    expect(await provider.verifyWebhook(payload, header)).toBeNull();
  });

  it('returns null for a stale timestamp (older than 300 s)', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 301;
    expect(await provider.verifyWebhook(payload, await sign({ timestamp }))).toBeNull();
  });

  it('returns null for a header that is not a Stripe signature at all', async () => {
    expect(await provider.verifyWebhook(payload, 'sha256=deadbeef')).toBeNull();
  });

  it('lets a real bug surface: a correctly signed body that is not JSON throws', async () => {
    const body = 'not json';
    await expect(provider.verifyWebhook(body, await sign({ payload: body }))).rejects.toThrow(
      SyntaxError,
    );
  });
});
