/**
 * A local stand-in for Stripe, for the browser tests: no test reaches Stripe.
 *
 * - **API** (what Tessera's StripeProvider calls, pointed here by the development-only
 *   `STRIPE_API_URL`): create a PaymentIntent (idempotent by key), retrieve it, cancel it.
 * - **Stripe.js** (`/stripe.js`, loaded by the pay bundle through the development-only
 *   `STRIPE_JS_URL`): the subset Tessera uses: `Stripe(pk)`, `elements({ clientSecret })`,
 *   `create('payment')`, `mount`, `confirmPayment({ elements, confirmParams, redirect })`.
 *   The "element" is one card-number field; test cards: 4242… pays, 4000 0000 0000 0002 is
 *   declined, 4000 0027 6000 3184 asks for 3-D Secure (a redirect to `/3ds/…` with
 *   `redirect: 'always'`, an in-page challenge with `redirect: 'if_required'`), and
 *   4000 0000 0000 3220 asks for it at the bank's own page always (a redirect whatever
 *   `redirect` says, as methods that must leave the page do).
 * - **Webhooks**: every outcome is sent to Tessera's `/api/v1/webhooks/stripe` as Stripe sends
 *   it, signed (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256) with the `STRIPE_WEBHOOK_SECRET`
 *   the harness gave Tessera, so the tests exercise the real webhook path.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STAND_IN_STRIPE_JS } from './stripe-stand-in-js';

export interface StripeStandIn {
  origin: string;
  /** Where webhooks go: set once Tessera (which needs this stand-in's address) is up. */
  setWebhookTarget(url: string): void;
  stop(): Promise<void>;
}

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: { code: string; message: string } | null;
  livemode: false;
}

const CARDS = {
  pays: '4242424242424242',
  declined: '4000000000000002',
  threeDs: '4000002760003184',
  threeDsRedirect: '4000000000003220',
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response
    .writeHead(status, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type',
      ...headers,
    })
    .end(JSON.stringify(body));
}

/** `return_url` with Stripe's query parameters added, as Stripe returns a buyer. */
function returnTo(url: string, intent: Intent, status: string): string {
  const back = new URL(url);
  back.searchParams.set('payment_intent', intent.id);
  back.searchParams.set('payment_intent_client_secret', intent.client_secret);
  back.searchParams.set('redirect_status', status);
  return back.href;
}

export async function startStripeStandIn(webhookSecret: string): Promise<StripeStandIn> {
  const intents = new Map<string, Intent>();
  const byKey = new Map<string, Intent>();
  let webhookTarget = '';
  let events = 0;

  async function webhook(type: string, intent: Intent): Promise<void> {
    events += 1;
    const body = JSON.stringify({
      id: `evt_standin_${events}_${randomBytes(6).toString('hex')}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: intent },
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', webhookSecret).update(`${t}.${body}`).digest('hex');
    const answer = await fetch(webhookTarget, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
      body,
    });
    if (!answer.ok) throw new Error(`webhook ${type}: ${answer.status} ${await answer.text()}`);
  }

  function settle(intent: Intent, outcome: 'succeeded' | 'declined'): Promise<void> {
    if (outcome === 'succeeded') {
      Object.assign(intent, {
        status: 'succeeded',
        amount_received: intent.amount,
        last_payment_error: null,
      });
      return webhook('payment_intent.succeeded', intent);
    }
    Object.assign(intent, {
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', message: 'Your card was declined.' },
    });
    return webhook('payment_intent.payment_failed', intent);
  }

  function createIntent(form: URLSearchParams, key: string | undefined): Intent {
    const existing = key ? byKey.get(key) : undefined;
    if (existing) return existing;
    const id = `pi_standin_${randomBytes(10).toString('hex')}`;
    const metadata: Record<string, string> = {};
    for (const [name, value] of form) {
      const field = /^metadata\[(\w+)\]$/.exec(name)?.[1];
      if (field) metadata[field] = value;
    }
    const intent: Intent = {
      id,
      object: 'payment_intent',
      amount: Number(form.get('amount')),
      amount_received: 0,
      currency: form.get('currency') ?? 'eur',
      status: 'requires_payment_method',
      client_secret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      metadata,
      last_payment_error: null,
      livemode: false,
    };
    intents.set(id, intent);
    if (key) byKey.set(key, intent);
    return intent;
  }

  async function api(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (!request.headers.authorization?.startsWith('Bearer sk_test_')) {
      return send(response, 401, { error: { type: 'invalid_request_error', message: 'No key' } });
    }
    const form = new URLSearchParams(await readBody(request));
    if (request.method === 'POST' && url.pathname === '/v1/payment_intents') {
      const key = request.headers['idempotency-key'];
      return send(response, 200, createIntent(form, typeof key === 'string' ? key : undefined));
    }
    const [, id, action] = /^\/v1\/payment_intents\/([\w]+)(\/cancel)?$/.exec(url.pathname) ?? [];
    const intent = id ? intents.get(id) : undefined;
    if (!intent)
      return send(response, 404, {
        error: { type: 'invalid_request_error', code: 'resource_missing' },
      });
    if (!action) return send(response, 200, intent);
    if (['succeeded', 'processing', 'canceled'].includes(intent.status)) {
      const message = `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`;
      const error = {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message,
        payment_intent: intent,
      };
      return send(response, 400, { error });
    }
    intent.status = 'canceled';
    await webhook('payment_intent.canceled', intent);
    return send(response, 200, intent);
  }

  /** The stand-in Stripe.js confirms here: the card number decides. */
  async function confirm(request: IncomingMessage, response: ServerResponse, origin: string) {
    const { clientSecret, card, returnUrl } = JSON.parse(await readBody(request)) as Record<
      string,
      string
    >;
    const intent = [...intents.values()].find((i) => i.client_secret === clientSecret);
    if (!intent || !returnUrl)
      return send(response, 400, {
        error: { type: 'invalid_request_error', message: 'Unknown payment' },
      });
    if (intent.status !== 'requires_payment_method') {
      return send(response, 200, {
        error: { type: 'invalid_request_error', message: `This payment is ${intent.status}.` },
      });
    }
    if (card === CARDS.threeDs || card === CARDS.threeDsRedirect) {
      intent.status = 'requires_action';
      await webhook('payment_intent.requires_action', intent);
      const challenge = new URL(`/3ds/${intent.id}`, origin);
      challenge.searchParams.set('return_url', returnUrl);
      return send(response, 200, {
        id: intent.id,
        status: 'requires_action',
        redirectUrl: challenge.href,
        leavesPage: card === CARDS.threeDsRedirect,
      });
    }
    if (card === CARDS.pays) {
      await settle(intent, 'succeeded');
      return send(response, 200, {
        id: intent.id,
        status: 'succeeded',
        returnUrl: returnTo(returnUrl, intent, 'succeeded'),
      });
    }
    await settle(intent, 'declined');
    return send(response, 200, {
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    });
  }

  /** The bank's 3-D Secure page: a redirect away from the shop, and back to `return_url`. */
  async function threeDs(request: IncomingMessage, response: ServerResponse, url: URL) {
    const id = /^\/3ds\/(\w+)(\/complete)?$/.exec(url.pathname)?.[1] ?? '';
    const intent = intents.get(id);
    const returnUrl = url.searchParams.get('return_url') ?? '';
    if (!intent) return send(response, 404, { error: 'unknown payment' });
    if (request.method === 'GET') {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><meta name="viewport" content="width=device-width"><title>3-D Secure</title>` +
            `<h1>Your bank: confirm this payment</h1><form method="post"><button>Complete authentication</button></form>`,
        );
      return;
    }
    await settle(intent, 'succeeded');
    // From the page (a form post): back to the shop. From the in-page challenge: JSON.
    if (url.pathname.endsWith('/complete'))
      return send(response, 200, { id: intent.id, status: 'succeeded' });
    response.writeHead(303, { location: returnTo(returnUrl, intent, 'succeeded') }).end();
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in.invalid');
    const origin = `http://${request.headers.host}`;
    const handle = async () => {
      if (request.method === 'OPTIONS') return send(response, 204, {});
      if (url.pathname === '/stripe.js') {
        response
          .writeHead(200, {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'no-store',
          })
          .end(STAND_IN_STRIPE_JS.replace('__STAND_IN_ORIGIN__', JSON.stringify(origin)));
        return;
      }
      if (url.pathname.startsWith('/v1/')) return api(request, response, url);
      if (url.pathname === '/confirm' && request.method === 'POST')
        return confirm(request, response, origin);
      if (url.pathname.startsWith('/3ds/')) return threeDs(request, response, url);
      send(response, 404, { error: 'not found' });
    };
    handle().catch((error: unknown) => {
      console.error('stripe stand-in:', error);
      if (!response.headersSent)
        send(response, 500, { error: { type: 'api_error', message: String(error) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setWebhookTarget(url) {
      webhookTarget = url;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
