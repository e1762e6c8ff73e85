import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { type MockInstance, vi } from 'vitest';
import eventEnvelope from '../fixtures/stripe/event-payment-intent-succeeded.json';
import piCreated from '../fixtures/stripe/payment-intent-created.json';

/** Test settings of a deployment that takes payments through Stripe. */
export const STRIPE_SETTINGS = {
  STRIPE_SECRET_KEY: 'sk_test_51TesseraNotARealKey0000000000000000',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_tessera_stripe_payments',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_51TesseraNotARealKey',
};

export const stripeEnv = (): Env => ({ ...env, ...STRIPE_SETTINGS });

type PaymentIntent = typeof piCreated;

export interface StripeCall {
  method: string;
  path: string;
  idempotencyKey: string | null;
  form: Record<string, string>;
}

/**
 * Stripe's API as far as Tessera uses it (create, cancel, retrieve a PaymentIntent), answered
 * from the recorded shapes in test/fixtures/stripe, behind a spy on `globalThis.fetch`: no
 * request leaves the test. Idempotency keys behave like Stripe's (same key, same answer).
 */
export class StripeFake {
  readonly calls: StripeCall[] = [];
  readonly intents = new Map<string, PaymentIntent>();
  readonly #byKey = new Map<string, Response>();
  spy: MockInstance<typeof fetch> | null = null;

  install(): this {
    this.spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname !== 'api.stripe.com') throw new Error(`unexpected fetch ${url}`);
      return this.#answer(url, init);
    });
    return this;
  }

  /** The PaymentIntent as Stripe now has it (a test moves it, as a buyer paying would). */
  set(id: string, changes: Partial<PaymentIntent>): PaymentIntent {
    const pi = this.intents.get(id);
    if (!pi) throw new Error(`no PaymentIntent ${id}`);
    const next = { ...pi, ...changes };
    this.intents.set(id, next);
    return next;
  }

  callsTo(method: string, pathPattern: RegExp): StripeCall[] {
    return this.calls.filter((c) => c.method === method && pathPattern.test(c.path));
  }

  async #answer(url: URL, init: RequestInit | undefined): Promise<Response> {
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const form = Object.fromEntries(
      new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
    );
    const idempotencyKey = headers.get('idempotency-key');
    this.calls.push({ method, path: url.pathname, idempotencyKey, form });
    const replay = idempotencyKey ? this.#byKey.get(`${url.pathname} ${idempotencyKey}`) : null;
    if (replay) return replay.clone();
    const response = this.#route(method, url.pathname, form);
    if (idempotencyKey) this.#byKey.set(`${url.pathname} ${idempotencyKey}`, response.clone());
    return response;
  }

  #route(method: string, path: string, form: Record<string, string>): Response {
    if (method === 'POST' && path === '/v1/payment_intents') {
      // Random like Stripe's: storage outlives one fake (it is per test file).
      const id = `pi_3T${crypto.randomUUID().replaceAll('-', '').slice(0, 22)}`;
      const pi: PaymentIntent = {
        ...piCreated,
        id,
        client_secret: `${id}_secret_${crypto.randomUUID().replaceAll('-', '')}`,
        amount: Number(form.amount),
        currency: form.currency ?? 'eur',
        description: form.description ?? '',
        receipt_email: form.receipt_email ?? '',
        metadata: {
          orderId: form['metadata[orderId]'] ?? '',
          eventId: form['metadata[eventId]'] ?? '',
        },
      };
      this.intents.set(id, pi);
      return json(pi);
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path);
    const pi = match?.[1] ? this.intents.get(match[1]) : undefined;
    if (!match || !pi)
      return json({ error: { type: 'invalid_request_error', code: 'resource_missing' } }, 404);
    if (method === 'GET' && !match[2]) return json(pi);
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      return json(
        {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
            payment_intent: pi,
          },
        },
        400,
      );
    }
    return json(this.set(pi.id, { status: 'canceled', cancellation_reason: 'abandoned' as never }));
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'request-id': 'req_TesseraFake',
      'stripe-version': Stripe.API_VERSION,
    },
  });
}

let eventCounter = 0;

/** A webhook as Stripe sends it: the recorded envelope, the PaymentIntent, a real signature. */
export async function signedStripeEvent(
  type: string,
  pi: PaymentIntent,
  secret = STRIPE_SETTINGS.STRIPE_WEBHOOK_SECRET,
): Promise<{ body: string; signature: string }> {
  eventCounter += 1;
  const body = JSON.stringify({
    ...eventEnvelope,
    id: `evt_3TesseraFake${eventCounter}`,
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: pi },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { body, signature };
}
