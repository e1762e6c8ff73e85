import { env, runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { inventoryFor } from '../worker/catalog/inventory';
import {
  MAX_WINDOW_MS,
  RECONCILE_EVERY_MS,
  reconcile,
  reconcileIfDue,
  WINDOW_OVERLAP_MS,
} from '../worker/reconciliation/job';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  typeId,
} from './support/api';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { countRows, holdTickets } from './support/purchase';
import { StripeFake, signedStripeEvent, stripeEnv } from './support/stripe-fake';
import { StripeLedgerFake } from './support/stripe-ledger-fake';

/**
 * Issue 10, "Reconciliation": the scheduled job compares Stripe's PaymentIntents and refunds
 * (listed by window, every page) with D1, and D1's tickets with each event DO's sold counts.
 * Differences are stored once each; the safe ones are fixed through the normal paths.
 * Stripe is the recorded shapes behind a fetch spy (stripe-fake.ts, stripe-ledger-fake.ts).
 */

interface CheckoutAnswer {
  orderId: string;
  orderToken: string;
  payment: { paymentId: string };
}

interface DifferenceRow {
  id: string;
  kind: string;
  status: string;
  action: string | null;
  organizer_id: string | null;
  order_id: string | null;
  details: string;
  first_seen_at: string;
  last_seen_at: string;
}

let auth: Record<string, string>;
let organizerId: string;
let stripe: StripeFake;
let ledger: StripeLedgerFake;

beforeAll(async () => {
  ({ auth, organizerId } = await createOrganizer());
});

beforeEach(() => {
  stripe = new StripeFake().install();
  ledger = new StripeLedgerFake(stripe).install();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The last hour up to a minute ahead: every object these tests make. */
const window = () => ({ fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 });
const run = () => reconcile(stripeEnv(), window());

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

async function stripeCheckout(event: CreatedEvent, quantity = 2) {
  const hold = await holdTickets(event, 'ga', quantity);
  const res = await request<CheckoutAnswer>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: { holdId: hold.body.holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Stripe's webhook for the PaymentIntent as it is now, through the real endpoint and queue. */
async function deliverWebhook(type: string, paymentId: string) {
  const pi = stripe.intents.get(paymentId);
  if (!pi) throw new Error(`no PaymentIntent ${paymentId}`);
  const signed = await signedStripeEvent(type, pi);
  const res = await request('POST', '/api/v1/webhooks/stripe', {
    raw: signed.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
  });
  expect(res.status).toBe(200);
  await waitProcessed(paymentId);
}

async function waitProcessed(paymentId: string) {
  for (let i = 0; i < 200; i++) {
    const open = await countRows(
      'SELECT COUNT(*) AS n FROM payment_events WHERE payment_id = ? AND processed_at IS NULL',
      paymentId,
    );
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`payment event of ${paymentId} never processed`);
}

/** An order paid the ordinary way: Stripe succeeded and its webhook arrived. */
async function paidOrder(event: CreatedEvent, quantity = 2) {
  const order = await stripeCheckout(event, quantity);
  ledger.pay(order.payment.paymentId);
  await deliverWebhook('payment_intent.succeeded', order.payment.paymentId);
  expect(await orderStatus(order.orderId)).toBe('paid');
  return order;
}

const orderStatus = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT status FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ status: string }>()
  )?.status;

const differencesOf = async (objectId: string) =>
  (
    await env.DB.prepare(
      "SELECT * FROM reconciliation_differences WHERE key LIKE '%' || ? || '%' ORDER BY kind",
    )
      .bind(objectId)
      .all<DifferenceRow>()
  ).results;

const validTickets = (orderId: string) =>
  countRows("SELECT COUNT(*) AS n FROM tickets WHERE order_id = ? AND status = 'valid'", orderId);

async function soldInDo(event: CreatedEvent, key = 'ga'): Promise<number> {
  const counts = await inventoryFor(env, event.id).soldCounts();
  return counts?.ticketTypes.find((t) => t.id === typeId(event, key))?.sold ?? -1;
}

describe('a payment webhook that never arrives', () => {
  it('is found in Stripe’s list: the order is paid and its tickets issued once, even when the webhook comes late', async () => {
    const event = await createPublishedEvent(auth);
    const order = await stripeCheckout(event, 2);
    ledger.pay(order.payment.paymentId);
    expect(await orderStatus(order.orderId)).toBe('pending_payment');

    const result = await run();
    expect(result.stripe).toBe(true);
    expect(await orderStatus(order.orderId)).toBe('paid');
    expect(await validTickets(order.orderId)).toBe(2);
    expect(await soldInDo(event)).toBe(2);
    const [difference] = await differencesOf(order.payment.paymentId);
    expect(difference).toMatchObject({
      kind: 'missed_payment_webhook',
      status: 'fixed',
      organizer_id: organizerId,
      order_id: order.orderId,
    });
    expect(difference?.action).toMatch(/paid and tickets issued/);

    // The webhook arrives after all: nothing changes.
    await deliverWebhook('payment_intent.succeeded', order.payment.paymentId);
    const outcome = await env.DB.prepare('SELECT outcome FROM payment_events WHERE payment_id = ?')
      .bind(order.payment.paymentId)
      .first<{ outcome: string }>();
    expect(outcome?.outcome).toBe('already_paid');
    expect(
      await countRows('SELECT COUNT(*) AS n FROM tickets WHERE order_id = ?', order.orderId),
    ).toBe(2);
    expect(await soldInDo(event)).toBe(2);
    const mails = await countRows(
      "SELECT COUNT(*) AS n FROM notification_outbox WHERE order_id = ? AND kind = 'order_confirmation'",
      order.orderId,
    );
    expect(mails).toBe(1);
  });
});

describe('a PaymentIntent Tessera does not know', () => {
  it('found in Stripe’s list, or named by a webhook, is recorded once and nothing is changed', async () => {
    const listed = ledger.foreign(4200);
    const webhooked = ledger.foreign(1300, { orderId: 'ord_doesnotexist00000000' });
    await deliverWebhook('payment_intent.succeeded', webhooked.id);
    const ordersBefore = await countRows('SELECT COUNT(*) AS n FROM orders');

    await run();
    for (const pi of [listed, webhooked]) {
      const rows = await differencesOf(pi.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        kind: 'unknown_payment_intent',
        status: 'open',
        organizer_id: null,
        action: null,
      });
    }
    expect(await countRows('SELECT COUNT(*) AS n FROM orders')).toBe(ordersBefore);
  });
});

describe('a refund made in Stripe’s dashboard', () => {
  it('in full: recorded on the order, the order refunded, its tickets revoked and back on sale', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidOrder(event, 2);
    expect(await soldInDo(event)).toBe(2);
    const refund = ledger.refund(order.payment.paymentId, 7800);

    await run();
    expect(await orderStatus(order.orderId)).toBe('refunded');
    const recorded = await env.DB.prepare(
      'SELECT amount_minor, reason, state FROM refunds WHERE provider_refund_id = ?',
    )
      .bind(refund.id)
      .first();
    expect(recorded).toEqual({ amount_minor: 7800, reason: 'outside', state: 'succeeded' });
    expect(await validTickets(order.orderId)).toBe(0);
    expect(await soldInDo(event)).toBe(0);
    const [difference] = await differencesOf(refund.id);
    expect(difference).toMatchObject({ kind: 'outside_refund', status: 'fixed' });
    expect(difference?.action).toMatch(/2 tickets revoked/);
  });

  it('in part: recorded, the tickets left valid, the difference open for a person', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidOrder(event, 2);
    const refund = ledger.refund(order.payment.paymentId, 3900);

    await run();
    expect(await orderStatus(order.orderId)).toBe('partially_refunded');
    expect(await validTickets(order.orderId)).toBe(2);
    expect(await soldInDo(event)).toBe(2);
    const [difference] = await differencesOf(refund.id);
    expect(difference).toMatchObject({ kind: 'outside_refund', status: 'open' });
    expect(difference?.action).toMatch(/partial refund of 39.00 EUR/);
  });

  it('Tessera’s own refunds are not taken for outside ones', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidOrder(event, 1);
    const ours = ledger.refund(order.payment.paymentId, 3900, { orderId: order.orderId });
    await env.DB.prepare(
      "INSERT INTO refunds (id, order_id, seq, amount_minor, reason, state, provider_refund_id) VALUES (?, ?, 1, 3900, 'organizer', 'succeeded', ?)",
    )
      .bind(`re_${crypto.randomUUID()}`, order.orderId, ours.id)
      .run();
    await run();
    expect(await differencesOf(ours.id)).toEqual([]);
  });
});

describe('D1’s tickets against the event DO’s sold counters', () => {
  it('a drift is recorded with both counts, and closed once they agree again', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidOrder(event, 1);
    const ga = typeId(event, 'ga');
    const bump = (by: number) =>
      runInDurableObject(inventoryFor(env, event.id), (_instance, state) => {
        state.storage.sql.exec('UPDATE ticket_types SET sold = sold + ? WHERE id = ?', by, ga);
      });
    await bump(3);

    await run();
    const [drift] = await differencesOf(ga);
    expect(drift).toMatchObject({ kind: 'ticket_count_drift', status: 'open' });
    expect(JSON.parse(drift?.details ?? '{}')).toEqual({ d1ValidTickets: 1, doSold: 4 });
    expect(await validTickets(order.orderId)).toBe(1);

    await bump(-3);
    await run();
    const [closed] = await differencesOf(ga);
    expect(closed).toMatchObject({ status: 'fixed', action: expect.stringMatching(/agree again/) });
  });
});

describe('Stripe’s lists, page by page', () => {
  it('follows has_more / starting_after across pages and misses nothing', async () => {
    ledger.pageSize = 2;
    const event = await createPublishedEvent(auth);
    const orders = [];
    for (let i = 0; i < 5; i++) {
      const order = await stripeCheckout(event, 1);
      ledger.pay(order.payment.paymentId);
      orders.push(order);
    }
    await run();
    for (const order of orders) expect(await orderStatus(order.orderId)).toBe('paid');
    const listCalls = ledger.calls.filter((c) => c.path === '/v1/payment_intents');
    expect(listCalls.length).toBeGreaterThanOrEqual(3);
    expect(listCalls[0]?.query.get('starting_after')).toBeNull();
    expect(listCalls[1]?.query.get('starting_after')).toMatch(/^pi_/);
  });
});

describe('a rerun over the same window', () => {
  it('records nothing twice and fixes nothing twice', async () => {
    const event = await createPublishedEvent(auth);
    const missed = await stripeCheckout(event, 1);
    ledger.pay(missed.payment.paymentId);
    const refunded = await paidOrder(event, 1);
    ledger.refund(refunded.payment.paymentId, 3900);
    ledger.foreign(999);
    await run();
    const snapshot = async () => ({
      differences: await countRows('SELECT COUNT(*) AS n FROM reconciliation_differences'),
      refunds: await countRows('SELECT COUNT(*) AS n FROM refunds'),
      tickets: await countRows('SELECT COUNT(*) AS n FROM tickets'),
      statuses: (
        await env.DB.prepare(
          'SELECT id, status, action, first_seen_at FROM reconciliation_differences ORDER BY id',
        ).all()
      ).results,
    });
    const before = await snapshot();
    const again = await run();
    expect(again.fixed).toBe(0);
    expect(await snapshot()).toEqual(before);
  });
});

describe('on the cron', () => {
  it('runs every 15 minutes over the window from its stored cursor, with an overlap', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const first = await reconcileIfDue(stripeEnv(), start);
    expect(first).toMatchObject({
      from: new Date(start - MAX_WINDOW_MS - WINDOW_OVERLAP_MS).toISOString(),
      to: new Date(start).toISOString(),
    });
    // The next minute's cron: not due, nothing runs.
    expect(await reconcileIfDue(stripeEnv(), start + 60_000)).toBeNull();
    const later = start + RECONCILE_EVERY_MS;
    const second = await reconcileIfDue(stripeEnv(), later);
    expect(second).toMatchObject({
      from: new Date(start - WINDOW_OVERLAP_MS).toISOString(),
      to: new Date(later).toISOString(),
    });
    // Three days without a run (an outage): it catches up a day at a time, from where it was.
    const outage = later + 3 * MAX_WINDOW_MS;
    const caughtUp = await reconcileIfDue(stripeEnv(), outage);
    expect(caughtUp).toMatchObject({
      from: new Date(later - WINDOW_OVERLAP_MS).toISOString(),
      to: new Date(later + MAX_WINDOW_MS).toISOString(),
    });
  });

  it('a run that fails leaves the cursor where it was, for the next one to redo', async () => {
    const start = Date.parse('2031-01-01T00:00:00Z');
    const cursor = async () =>
      env.DB.prepare(
        "SELECT window_end, lease_until FROM reconciliation_cursors WHERE name = 'stripe'",
      ).first<{
        window_end: string;
        lease_until: string | null;
      }>();
    const before = await cursor();
    stripe.spy?.mockImplementation(async () => new Response('{}', { status: 500 }));
    await expect(reconcileIfDue(stripeEnv(), start)).rejects.toThrow();
    expect(await cursor()).toEqual({ window_end: before?.window_end, lease_until: null });
  });
});
