import { env } from 'cloudflare:test';
import Stripe from 'stripe';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { inventoryFor } from '../worker/catalog/inventory';
import piCreated from './fixtures/stripe/payment-intent-created.json';
import { createRoleKey } from './support/accounts';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  typeId,
} from './support/api';
import { page, signUpWithWorkspace } from './support/dashboard';
import { expectProblem, purchase } from './support/db-snapshot';
import { readJsonResponse } from './support/json-response';
import { countRows, getOrder, holdTickets, pendingOrder, waitForStatus } from './support/purchase';

/**
 * Issue 10, "Test mode": test-mode orders are kept apart from real ones. Their tickets are
 * refused at a live door, they are left out of the stats, they can be deleted in one action,
 * an order keeps its mode when the event switches, and each provider's webhook settles the
 * orders that used it.
 */

let organizerId: string;
let auth: Record<string, string>;

beforeAll(async () => {
  ({ organizerId, auth } = await createOrganizer());
});

afterEach(() => {
  vi.restoreAllMocks();
});

const patch = (eventId: string, body: unknown) =>
  call<Record<string, unknown>>('PATCH', `/api/v1/organizer/events/${eventId}`, {
    body,
    headers: auth,
  });

const checkin = (eventId: string, code: string) =>
  call<{ result: string }>('POST', '/api/v1/checkin', { body: { eventId, code }, headers: auth });

interface Stats {
  orders: Record<string, number>;
  revenueMinor: number;
  test: { orders: Record<string, number>; revenueMinor: number };
}
const stats = (eventId: string) =>
  call<Stats>('GET', `/api/v1/organizer/events/${eventId}/stats`, { headers: auth });

const deleteTestOrders = (eventId: string, headers = auth) =>
  call<{ deletedOrders: number; deletedTickets: number }>(
    'DELETE',
    `/api/v1/organizer/events/${eventId}/test-orders`,
    { headers },
  );

async function available(eventId: string, ticketTypeId: string): Promise<number> {
  const snapshot = await inventoryFor(env, eventId).availability();
  return snapshot?.ticketTypes.find((t) => t.id === ticketTypeId)?.available ?? -1;
}

describe('testMode on the event', () => {
  it('is false unless asked, and shown in the organizer and storefront views', async () => {
    const live = await createPublishedEvent(auth);
    const test = await createPublishedEvent(auth, { testMode: true });
    const organizerView = await call('GET', `/api/v1/organizer/events/${live.id}`, {
      headers: auth,
    });
    expect(organizerView.body).toMatchObject({ testMode: false });
    expect((await call('GET', `/api/v1/events/${live.id}`)).body).toMatchObject({
      testMode: false,
    });
    expect((await call('GET', `/api/v1/events/${test.id}`)).body).toMatchObject({
      testMode: true,
    });
  });

  it('switches freely on a draft', async () => {
    const draft = await call<{ id: string }>('POST', '/api/v1/organizer/events', {
      body: eventBody(),
      headers: auth,
    });
    expect((await patch(draft.body.id, { testMode: true })).body).toMatchObject({
      testMode: true,
    });
    expect((await patch(draft.body.id, { testMode: false })).body).toMatchObject({
      testMode: false,
    });
  });
});

describe('a test-mode event that goes live', () => {
  let event: CreatedEvent;
  let ga: string;
  let testOrder: Awaited<ReturnType<typeof purchase>>;
  let liveOrder: Awaited<ReturnType<typeof purchase>>;

  beforeAll(async () => {
    event = await createPublishedEvent(auth, { testMode: true });
    ga = typeId(event, 'ga');
    testOrder = await purchase(event, ga, 2);
    // Published with only test orders: it may switch to live.
    const switched = await patch(event.id, { testMode: false });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ testMode: false });
    liveOrder = await purchase(event, ga, 1);
  });

  it('keeps each order in the mode it was placed in, with test tickets flagged', async () => {
    const test = await getOrder(testOrder.orderId, testOrder.orderToken);
    const live = await getOrder(liveOrder.orderId, liveOrder.orderToken);
    expect(test.body).toMatchObject({ status: 'paid', testMode: true });
    expect(live.body).toMatchObject({ status: 'paid', testMode: false });
    const list = await call<{ data: { id: string; testMode: boolean }[] }>(
      'GET',
      `/api/v1/organizer/orders?eventId=${event.id}`,
      { headers: auth },
    );
    expect(Object.fromEntries(list.body.data.map((o) => [o.id, o.testMode]))).toEqual({
      [testOrder.orderId]: true,
      [liveOrder.orderId]: false,
    });
  });

  it('refuses a test ticket at the live door with test_ticket, and records no check-in', async () => {
    const code = testOrder.tickets[0]?.code ?? '';
    expect((await checkin(event.id, code)).body).toMatchObject({ result: 'test_ticket' });
    expect((await checkin(event.id, code)).body).toMatchObject({ result: 'test_ticket' });
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM tickets WHERE checked_in_at IS NOT NULL AND order_id = ?',
        testOrder.orderId,
      ),
    ).toBe(0);
    // A live ticket of the same event goes in.
    expect((await checkin(event.id, liveOrder.tickets[0]?.code ?? '')).body).toMatchObject({
      result: 'ok',
    });
  });

  it('counts live orders in the stats, and test orders apart under `test`', async () => {
    const res = await stats(event.id);
    expect(res.body.orders).toEqual({ paid: 1 });
    expect(res.body.revenueMinor).toBe(3900);
    expect(res.body.test).toEqual({ orders: { paid: 1 }, revenueMinor: 7800 });
  });

  it('can not go back to test mode now that it has a live order (409 invalid_state)', async () => {
    const res = await patch(event.id, { testMode: true });
    expectProblem(res, { status: 409, code: 'invalid_state' });
    expect(res.body).toMatchObject({
      liveOrders: 1,
      detail: expect.stringContaining('live orders'),
    });
    const after = await call('GET', `/api/v1/organizer/events/${event.id}`, { headers: auth });
    expect(after.body).toMatchObject({ testMode: false });
  });

  it('deletes its test orders in one action, freeing their tickets; live ones stay; idempotent', async () => {
    const before = await available(event.id, ga);
    const door = await createRoleKey(organizerId, 'door');
    expectProblem(await deleteTestOrders(event.id, door), { status: 403, code: 'forbidden' });

    const first = await deleteTestOrders(event.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ eventId: event.id, deletedOrders: 1, deletedTickets: 2 });
    expect(await available(event.id, ga)).toBe(before + 2);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM orders WHERE id = ?', testOrder.orderId),
    ).toBe(0);
    for (const table of [
      'tickets',
      'order_lines',
      'payments',
      'sandbox_payments',
      'payment_events',
    ]) {
      expect(
        await countRows(`SELECT COUNT(*) AS n FROM ${table} WHERE order_id = ?`, testOrder.orderId),
      ).toBe(0);
    }
    expect((await getOrder(liveOrder.orderId, liveOrder.orderToken)).body).toMatchObject({
      status: 'paid',
    });
    expect((await stats(event.id)).body.test).toEqual({ orders: {}, revenueMinor: 0 });
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'event.test_orders_deleted' AND subject_id = ?",
        event.id,
      ),
    ).toBe(1);

    const again = await deleteTestOrders(event.id);
    expect(again.body).toMatchObject({ deletedOrders: 0, deletedTickets: 0 });
    expect(await available(event.id, ga)).toBe(before + 2);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'event.test_orders_deleted' AND subject_id = ?",
        event.id,
      ),
    ).toBe(1);
  });
});

describe('deleting test orders of a test-mode event', () => {
  it('frees held tickets of orders still awaiting payment, and checked-in test tickets', async () => {
    const event = await createPublishedEvent(auth, { testMode: true });
    const ga = typeId(event, 'ga');
    const capacity = await available(event.id, ga);
    const paid = await purchase(event, ga, 3);
    // At a test-mode event a test ticket goes in.
    expect((await checkin(event.id, paid.tickets[0]?.code ?? '')).body).toMatchObject({
      result: 'ok',
    });
    await pendingOrder(event, 'ga', 2);
    // A plain hold (no order yet) is no order: it stays.
    await holdTickets(event, 'ga', 1);
    expect(await available(event.id, ga)).toBe(capacity - 6);

    const res = await deleteTestOrders(event.id);
    expect(res.body).toMatchObject({ deletedOrders: 2, deletedTickets: 3 });
    // Everything but the plain hold (no order) is free again; no check-in is left counted.
    expect(await available(event.id, ga)).toBe(capacity - 1);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.checkedIn).toBe(0);
    // The deleted ticket's code is refused at the door from now on: its ticket is gone.
    expect((await checkin(event.id, paid.tickets[0]?.code ?? '')).body).toMatchObject({
      result: 'invalid',
    });
  });
});

describe('both providers at once: each webhook settles the orders that used it', () => {
  const STRIPE_WEBHOOK_SECRET = 'whsec_0123456789abcdefghijklmn';
  const withStripe: Env = {
    ...env,
    STRIPE_SECRET_KEY: 'sk_test_0123456789abcdefghij',
    STRIPE_WEBHOOK_SECRET,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_0123456789abcdefghij',
  } as Env;

  it('a sandbox order placed before Stripe was set keeps settling through the sandbox', async () => {
    const event = await createPublishedEvent(auth);
    const sandboxOrder = await pendingOrder(event, 'ga', 1);
    expect(sandboxOrder.payment.provider).toBe('sandbox');

    // Stripe is configured now: a new order of the same live event goes to Stripe.
    const piId = `pi_${crypto.randomUUID().replaceAll('-', '')}`;
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ ...piCreated, id: piId, client_secret: `${piId}_secret_x` }), {
        status: 200,
        headers: { 'content-type': 'application/json', 'request-id': 'req_test' },
      }),
    );
    const hold = await holdTickets(event, 'ga', 2);
    const checkout = await readJsonResponse<{
      orderId: string;
      orderToken: string;
      totalMinor: number;
      payment: { provider: string; paymentId: string };
    }>(
      await app.request(
        `${BASE}/api/v1/checkout`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({
            holdId: hold.body.holdId,
            buyer: { name: 'Ada Lovelace', email: 'ada@example.com' },
          }),
        },
        withStripe,
      ),
    );
    expect(checkout.status).toBe(201);
    expect(checkout.body.payment).toMatchObject({ provider: 'stripe', paymentId: piId });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    fetchSpy.mockRestore();

    // The sandbox's webhook, with Stripe configured, still settles the sandbox order.
    const sandboxPaid = await app.request(
      `${BASE}/sandbox/pay/${sandboxOrder.payment.paymentId}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'succeed' }),
      },
      withStripe,
    );
    expect(sandboxPaid.status).toBe(202);
    await waitForStatus(sandboxOrder.orderId, sandboxOrder.orderToken, 'paid');

    // Stripe's webhook settles the Stripe order.
    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID().replaceAll('-', '')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: piId,
          object: 'payment_intent',
          amount: checkout.body.totalMinor,
          amount_received: checkout.body.totalMinor,
          currency: 'eur',
          status: 'succeeded',
          metadata: { orderId: checkout.body.orderId, eventId: event.id },
          last_payment_error: null,
        },
      },
    });
    const webhooks = new Stripe('sk_test_offline', {
      httpClient: Stripe.createFetchHttpClient(),
    }).webhooks;
    const signature = await webhooks.generateTestHeaderStringAsync({
      payload: body,
      secret: STRIPE_WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000),
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    const stripePosted = await app.request(
      `${BASE}/api/v1/webhooks/stripe`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      },
      withStripe,
    );
    expect(stripePosted.status).toBe(200);
    const stripeOrder = await waitForStatus(
      checkout.body.orderId,
      checkout.body.orderToken,
      'paid',
    );
    expect(stripeOrder.tickets).toHaveLength(2);
    const rows = await env.DB.prepare(
      'SELECT id, payment_provider AS provider FROM orders WHERE id IN (?, ?) ORDER BY payment_provider',
    )
      .bind(sandboxOrder.orderId, checkout.body.orderId)
      .all<{ id: string; provider: string }>();
    expect(rows.results).toEqual([
      { id: sandboxOrder.orderId, provider: 'sandbox' },
      { id: checkout.body.orderId, provider: 'stripe' },
    ]);
  });

  it('a test-mode event with Stripe test keys is paid through Stripe (and recorded so)', async () => {
    const event = await createPublishedEvent(auth, { testMode: true });
    const piId = `pi_${crypto.randomUUID().replaceAll('-', '')}`;
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ ...piCreated, id: piId, client_secret: `${piId}_secret_x` }), {
        status: 200,
        headers: { 'content-type': 'application/json', 'request-id': 'req_test' },
      }),
    );
    const hold = await holdTickets(event, 'ga', 1);
    const res = await app.request(
      `${BASE}/api/v1/checkout`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({
          holdId: hold.body.holdId,
          buyer: { name: 'Ada Lovelace', email: 'ada@example.com' },
        }),
      },
      withStripe,
    );
    const checkout = await readJsonResponse<{ orderId: string; payment: { provider: string } }>(
      res,
    );
    expect(checkout.body.payment.provider).toBe('stripe');
    const row = await env.DB.prepare('SELECT payment_provider, test_mode FROM orders WHERE id = ?')
      .bind(checkout.body.orderId)
      .first();
    expect(row).toEqual({ payment_provider: 'stripe', test_mode: 1 });
  });
});

describe('the dashboard', () => {
  it('shows test mode unmistakably on the event page, and as a checked box in the editor', async () => {
    const ws = await signUpWithWorkspace();
    const admin = await createRoleKey(ws.organizerId, 'admin');
    const test = await createPublishedEvent(admin, { testMode: true });
    const live = await createPublishedEvent(admin);
    const testPage = await page(`/dashboard/events/${test.id}`, ws.cookie);
    expect(testPage.status).toBe(200);
    expect(testPage.text).toContain('TEST MODE');
    expect((await page(`/dashboard/events/${live.id}`, ws.cookie)).text).not.toContain('TEST MODE');
    const editor = await page(`/dashboard/events/${test.id}/edit`, ws.cookie);
    expect(editor.text).toMatch(
      /<input type="checkbox" id="field-testMode" name="testMode" value="1" checked/,
    );
    const liveEditor = await page(`/dashboard/events/${live.id}/edit`, ws.cookie);
    expect(liveEditor.text).toContain('name="testMode"');
    expect(liveEditor.text).not.toMatch(/name="testMode" value="1" checked/);
  });
});
