import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import accountCreated from '../fixtures/stripe/account-created.json';
import accountLink from '../fixtures/stripe/account-link.json';
import connectEnvelope from '../fixtures/stripe/event-connect-envelope.json';
import refundCreated from '../fixtures/stripe/refund-created.json';
import { type StripeCall, StripeFake } from './stripe-fake';

/** The Connect endpoint's own secret (Stripe gives a Connect endpoint a secret of its own). */
export const CONNECT_WEBHOOK_SECRET = 'whsec_test_tessera_connect_0123456789';

/** A production deployment with live Stripe keys and the Connect secret. */
export const LIVE_PRODUCTION = {
  ENVIRONMENT: 'production',
  PUBLIC_ORIGIN: 'https://tessera.test',
  STRIPE_SECRET_KEY: 'sk_live_51TesseraNotARealKey0000000000000000',
  STRIPE_WEBHOOK_SECRET: 'whsec_live_tessera_stripe_payments',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_51TesseraNotARealKey',
  STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WEBHOOK_SECRET,
};

export const envWith = (settings: Record<string, string>): Env => ({ ...env, ...settings });

export type Account = typeof accountCreated;

/**
 * Stripe's Connect API as Tessera uses it (create an Express account, an Account Link, read
 * the account) and refunds, over `StripeFake` (PaymentIntents): recorded shapes from
 * test/fixtures/stripe behind the same fetch spy. Same idempotency key, same answer.
 */
export class ConnectFake {
  readonly payments = new StripeFake();
  readonly calls: StripeCall[] = [];
  readonly accounts = new Map<string, Account>();
  readonly #byKey = new Map<string, Response>();
  #accountCount = 0;

  install(): this {
    this.payments.install();
    const spy = this.payments.spy;
    const intents = spy?.getMockImplementation();
    if (!spy || !intents) throw new Error('StripeFake not installed');
    spy.mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (/^\/v1\/(accounts|account_links|refunds)\b/.test(url.pathname)) {
        return this.#answer(url, init);
      }
      return intents(input, init);
    });
    return this;
  }

  /** The account as Stripe now has it (onboarding moves it on, as the owner would). */
  set(id: string, state: Record<string, unknown>): void {
    this.accounts.set(id, { ...(state as Account), id });
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
    const replayKey = `${url.pathname} ${idempotencyKey}`;
    const replay = idempotencyKey ? this.#byKey.get(replayKey) : null;
    if (replay) return replay.clone();
    const response = this.#route(method, url.pathname, form);
    if (idempotencyKey) this.#byKey.set(replayKey, response.clone());
    return response;
  }

  #route(method: string, path: string, form: Record<string, string>): Response {
    if (method === 'POST' && path === '/v1/accounts') {
      this.#accountCount += 1;
      // Random like Stripe's: storage outlives one fake (it is per test file).
      const id = `acct_1T${crypto.randomUUID().replaceAll('-', '').slice(0, 14)}`;
      const account: Account = {
        ...accountCreated,
        id,
        country: form.country ?? 'US',
        email: form.email ?? '',
        metadata: { organizerId: form['metadata[organizerId]'] ?? '' },
      };
      this.accounts.set(id, account);
      return json(account);
    }
    if (method === 'POST' && path === '/v1/account_links') {
      return json({
        ...accountLink,
        url: `https://connect.stripe.com/setup/e/${form.account}/${crypto.randomUUID()}`,
      });
    }
    if (method === 'POST' && path === '/v1/refunds') {
      return json({
        ...refundCreated,
        id: `re_3T${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
        amount: Number(form.amount),
        payment_intent: form.payment_intent ?? null,
      });
    }
    const match = /^\/v1\/accounts\/([^/]+)$/.exec(path);
    const account = match?.[1] ? this.accounts.get(match[1]) : undefined;
    if (method === 'GET' && account) return json(account);
    return json({ error: { type: 'invalid_request_error', code: 'resource_missing' } }, 404);
  }

  get accountsCreated(): number {
    return this.#accountCount;
  }
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json',
      'request-id': 'req_TesseraConnectFake',
      'stripe-version': Stripe.API_VERSION,
    },
  });
}

let eventCounter = 0;

/** A Connect webhook as Stripe sends it: the recorded envelope, an object, a real signature. */
export async function signedConnectEvent(
  type: string,
  object: unknown,
  options: {
    account?: string | null;
    /** The event's own `created` (Unix seconds); default now. */
    created?: number;
    /** How old the signature's timestamp is, in seconds. */
    signedAgo?: number;
    secret?: string;
    id?: string;
  } = {},
): Promise<{ id: string; body: string; signature: string }> {
  eventCounter += 1;
  const now = Math.floor(Date.now() / 1000);
  const id = options.id ?? `evt_1TConnect${eventCounter}${crypto.randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({
    ...connectEnvelope,
    id,
    type,
    account: options.account === undefined ? connectEnvelope.account : options.account,
    created: options.created ?? now,
    data: { object },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret: options.secret ?? CONNECT_WEBHOOK_SECRET,
    timestamp: now - (options.signedAgo ?? 0),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { id, body, signature };
}
