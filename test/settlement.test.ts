import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { reconcile } from '../worker/reconciliation/job';
import { BASE, type CreatedEvent, createOrganizer, createPublishedEvent } from './support/api';
import { memberSession } from './support/dashboard';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { countRows, holdTickets } from './support/purchase';
import { StripeFake, signedStripeEvent, stripeEnv } from './support/stripe-fake';
import { StripeLedgerFake } from './support/stripe-ledger-fake';

/**
 * Issue 10, "Payouts and settlement" (the report) and where reconciliation shows: the
 * settlement of an event (gross, Stripe fees and platform fee from the balance transactions,
 * refunds, net; test orders left out) on the dashboard and as CSV, the workspace's
 * reconciliation page, and the operator's JSON route behind OPERATOR_API_KEY.
 */

const OPERATOR_API_KEY = 'op_test_0123456789abcdefghijklmnopqrstuvwxyz';
const EVIL_NAME = '=HYPERLINK("https://evil.example/","click")';

let organizerId: string;
let auth: Record<string, string>;
let event: CreatedEvent;
let stripe: StripeFake;
let ledger: StripeLedgerFake;
let finance: string;

beforeAll(async () => {
  ({ organizerId, auth } = await createOrganizer());
  event = await createPublishedEvent(auth);
  finance = (await memberSession(organizerId, 'finance')).cookie;
});

beforeEach(() => {
  stripe = new StripeFake().install();
  ledger = new StripeLedgerFake(stripe).install();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const withOperator = (): Env => ({ ...stripeEnv(), OPERATOR_API_KEY }) as Env;

async function fetchApp(path: string, init: RequestInit = {}, bindings: Env = stripeEnv()) {
  return app.request(`${BASE}${path}`, init, bindings);
}

async function json<T>(path: string, init: RequestInit = {}, bindings?: Env) {
  return readJsonResponse<T>(await fetchApp(path, init, bindings)) as Promise<JsonResponse<T>>;
}

/** Checkout, Stripe succeeds (with a 1.00 application fee), the webhook pays the order. */
async function paidOrder(buyerName = 'Ada Lovelace') {
  const hold = await holdTickets(event, 'ga', 2);
  const checkout = await json<{ orderId: string; payment: { paymentId: string } }>(
    '/api/v1/checkout',
    {
      method: 'POST',
      headers: { 'idempotency-key': crypto.randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({
        holdId: hold.body.holdId,
        buyer: { name: buyerName, email: 'buyer@example.com' },
      }),
    },
  );
  expect(checkout.status).toBe(201);
  const paymentId = checkout.body.payment.paymentId;
  const signed = await signedStripeEvent(
    'payment_intent.succeeded',
    ledger.pay(paymentId, { applicationFee: 100 }),
  );
  await fetchApp('/api/v1/webhooks/stripe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    body: signed.body,
  });
  for (let i = 0; i < 200; i++) {
    const paid = await countRows(
      "SELECT COUNT(*) AS n FROM orders WHERE id = ? AND status = 'paid'",
      checkout.body.orderId,
    );
    if (paid === 1) return { orderId: checkout.body.orderId, paymentId };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('order never paid');
}

const page = (path: string, cookie: string, bindings?: Env) =>
  fetchApp(path, { headers: { cookie } }, bindings);

describe('the settlement of an event', () => {
  let first: { orderId: string; paymentId: string };
  let second: { orderId: string; paymentId: string };

  beforeAll(async () => {
    stripe = new StripeFake().install();
    ledger = new StripeLedgerFake(stripe).install();
    first = await paidOrder(EVIL_NAME);
    second = await paidOrder();
    ledger.refund(second.paymentId, 3900);
    // A test-mode order at the same event: never in the settlement.
    await env.DB.prepare(
      `INSERT INTO orders (id, event_id, organizer_id, status, hold_id, idempotency_key, request_hash,
         buyer_name, buyer_email, total_minor, currency, payment_provider, test_mode, expires_at, updated_at, paid_at)
       VALUES ('ord_testmode000000000000', ?, ?, 'paid', 'hold_test', 'key_test', 'h', 'Test', 't@example.com',
         99999, 'EUR', 'sandbox', 1, '2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    )
      .bind(event.id, organizerId)
      .run();
    await reconcile(stripeEnv(), { fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 });
    vi.restoreAllMocks();
  });

  it('stores Stripe’s fees of each payment from its balance transaction, by fee type', async () => {
    const fees = await env.DB.prepare(
      'SELECT stripe_fee_minor, application_fee_minor, net_minor FROM payment_fees WHERE payment_id = ?',
    )
      .bind(first.paymentId)
      .first();
    // 7800 * 1.5% + 0.25 = 1.42 Stripe fee; 1.00 application fee.
    expect(fees).toEqual({ stripe_fee_minor: 142, application_fee_minor: 100, net_minor: 7558 });
  });

  it('downloads as CSV: figures per order and in total, test orders left out, formulas defused', async () => {
    const res = await page(`/dashboard/events/${event.id}/settlement.csv`, finance);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="settlement-${event.slug}.csv"`,
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"order_id","status","paid_at","buyer_name","buyer_email","provider","currency","gross","stripe_fees","platform_fee","refunds","net","fees_known"',
    );
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).not.toContain('ord_testmode');
    const firstLine = lines.find((l) => l.startsWith(`"${first.orderId}"`));
    expect(firstLine).toContain(`"'=HYPERLINK(""https://evil.example/"",""click"")"`);
    expect(firstLine).toContain('"78.00","1.42","1.00","0.00","75.58","yes"');
    const secondLine = lines.find((l) => l.startsWith(`"${second.orderId}"`));
    expect(secondLine).toContain('"partially_refunded"');
    expect(secondLine).toContain('"78.00","1.42","1.00","39.00","36.58","yes"');
    // Gross 156.00 − Stripe 2.84 − platform 2.00 − refunds 39.00 = 112.16.
    expect(lines[3]).toBe(
      '"total","2 orders","","","","","EUR","156.00","2.84","2.00","39.00","112.16","yes"',
    );
  });

  it('shows on the event page and its own page to who may read payouts, and to nobody else', async () => {
    const eventPage = await page(`/dashboard/events/${event.id}`, finance);
    const html = await eventPage.text();
    expect(html).toContain('Settlement');
    expect(html).toContain('112.16');
    const settlement = await page(`/dashboard/events/${event.id}/settlement`, finance);
    expect(settlement.status).toBe(200);
    expect(await settlement.text()).toContain(first.orderId);

    const door = (await memberSession(organizerId, 'door')).cookie;
    expect((await page(`/dashboard/events/${event.id}/settlement.csv`, door)).status).toBe(403);
    expect(await (await page(`/dashboard/events/${event.id}`, door)).text()).not.toContain(
      'settlement-heading',
    );
    const stranger = await createOrganizer();
    const other = (await memberSession(stranger.organizerId, 'owner')).cookie;
    expect((await page(`/dashboard/events/${event.id}/settlement.csv`, other)).status).toBe(404);
  });

  it('fetches the fees reconciliation has not stored yet when the settlement is opened', async () => {
    const late = await paidOrder();
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM payment_fees WHERE payment_id = ?',
        late.paymentId,
      ),
    ).toBe(0);
    const res = await page(`/dashboard/events/${event.id}/settlement`, finance);
    expect(res.status).toBe(200);
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM payment_fees WHERE payment_id = ?',
        late.paymentId,
      ),
    ).toBe(1);
    const retrieve = ledger.calls.find((c) => c.path === `/v1/payment_intents/${late.paymentId}`);
    expect(retrieve?.query.getAll('expand[0]')).toEqual(['latest_charge.balance_transaction']);
  });
});

describe('the workspace’s reconciliation page and the operator’s route', () => {
  let foreignId: string;

  beforeAll(async () => {
    stripe = new StripeFake().install();
    ledger = new StripeLedgerFake(stripe).install();
    foreignId = ledger.foreign(5000).id;
    const order = await paidOrder();
    ledger.refund(order.paymentId, 7800);
    await reconcile(stripeEnv(), { fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 });
    vi.restoreAllMocks();
  });

  it('the organizer sees their workspace’s differences with what was done, and no one else’s', async () => {
    const res = await page('/dashboard/reconciliation', finance);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Refund made in Stripe');
    expect(html).toContain('tickets revoked');
    expect(html).not.toContain(foreignId);
  });

  it('fails closed without OPERATOR_API_KEY, and refuses a missing or wrong key', async () => {
    expect((await json('/api/v1/operator/reconciliation')).status).toBe(503);
    expect((await json('/api/v1/operator/reconciliation', {}, withOperator())).status).toBe(401);
    const wrong = { headers: { authorization: `Bearer ${OPERATOR_API_KEY}x` } };
    expect((await json('/api/v1/operator/reconciliation', wrong, withOperator())).status).toBe(401);
    const short = { ...stripeEnv(), OPERATOR_API_KEY: 'short' } as Env;
    const shortAuth = { headers: { authorization: 'Bearer short' } };
    expect((await json('/api/v1/operator/reconciliation', shortAuth, short)).status).toBe(503);
  });

  it('lists every workspace’s differences, open first, and marks one ignored with a note', async () => {
    const headers = { authorization: `Bearer ${OPERATOR_API_KEY}` };
    const list = await json<{
      data: { id: string; kind: string; status: string; objects: Record<string, string> }[];
    }>('/api/v1/operator/reconciliation?limit=200', { headers }, withOperator());
    expect(list.status).toBe(200);
    const foreign = list.body.data.find((d) => d.objects.paymentIntentId === foreignId);
    expect(foreign).toMatchObject({ kind: 'unknown_payment_intent', status: 'open' });
    const statuses = list.body.data.map((d) => d.status);
    expect(statuses.indexOf('open')).toBe(0);
    expect(statuses.lastIndexOf('open')).toBeLessThan(statuses.indexOf('fixed'));

    const bad = await json(
      `/api/v1/operator/reconciliation/${foreign?.id}`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"status":"fixed"}',
      },
      withOperator(),
    );
    expect(bad.status).toBe(422);
    const ignored = await json<{ status: string; action: string }>(
      `/api/v1/operator/reconciliation/${foreign?.id}`,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'ignored', note: 'A payment link of the platform itself.' }),
      },
      withOperator(),
    );
    expect(ignored.status).toBe(200);
    expect(ignored.body).toMatchObject({
      status: 'ignored',
      action: 'Ignored by the operator: A payment link of the platform itself.',
    });
    const unknown = await json(
      '/api/v1/operator/reconciliation/rdf_nothere',
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'ignored', note: 'x' }),
      },
      withOperator(),
    );
    expect(unknown.status).toBe(404);
  });
});
