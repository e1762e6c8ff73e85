import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import accountRestricted from './fixtures/stripe/account-restricted.json';
import payoutPaid from './fixtures/stripe/payout-paid.json';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  eventBody,
  typeId,
  waitFor,
} from './support/api';
import { callWith } from './support/bad-input';
import { seedAccount } from './support/connect';
import { expectProblem, settledSnapshot } from './support/db-snapshot';
import { ConnectFake, LIVE_PRODUCTION, signedConnectEvent } from './support/stripe-connect-fake';
import { STRIPE_SETTINGS, signedStripeEvent } from './support/stripe-fake';

/**
 * Issue 10, "Organizers get paid": live publishing needs the workspace's Connect account able
 * to take charges (409 `payments_not_configured` naming what is missing); a live order is a
 * destination charge (`transfer_data.destination`, `on_behalf_of`, `application_fee_amount`
 * from the platform fee) recorded on the payment row; its refunds reverse the transfer. The
 * deployment runs as production with live keys (test/support/stripe-connect-fake.ts).
 */

const LIVE = LIVE_PRODUCTION;
let stripe: ConnectFake;

beforeEach(() => {
  stripe = new ConnectFake().install();
});

afterEach(() => {
  vi.restoreAllMocks();
});

type Auth = Record<string, string>;
const api = (
  settings: Record<string, string>,
  method: string,
  path: string,
  auth: Auth,
  body?: unknown,
) => callWith(settings, method, path, { headers: auth, ...(body !== undefined ? { body } : {}) });

async function draft(auth: Auth, overrides: Record<string, unknown> = {}): Promise<CreatedEvent> {
  const res = await call<CreatedEvent>('POST', '/api/v1/organizer/events', {
    body: eventBody(overrides),
    headers: auth,
  });
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const publish = (settings: Record<string, string>, auth: Auth, event: CreatedEvent) =>
  api(settings, 'POST', `/api/v1/organizer/events/${event.id}/publish`, auth);

async function liveWorkspace(): Promise<{ organizerId: string; auth: Auth; accountId: string }> {
  const { organizerId, auth } = await createOrganizer('Live Ltd');
  const accountId = await seedAccount(organizerId, { livemode: true, chargesEnabled: true });
  return { organizerId, auth, accountId };
}

describe('publishing a live event (production, live Stripe keys)', () => {
  it('without a Connect account: 409 naming it, nothing changed', async () => {
    const { auth } = await createOrganizer('No Connect');
    const event = await draft(auth);
    const before = await settledSnapshot([event.id]);
    const res = await publish(LIVE, auth, event);
    expectProblem(res, { status: 409, code: 'payments_not_configured' });
    expect(res.body).toMatchObject({
      missing: ['a Stripe account for payouts (the workspace owner connects one under Payouts)'],
      detail: expect.stringContaining('a Stripe account for payouts'),
    });
    expect(await settledSnapshot([event.id])).toEqual(before);
  });

  it('with an account that can not take charges yet: 409 saying what Stripe still needs', async () => {
    const { organizerId, auth } = await createOrganizer('Half Onboarded');
    await seedAccount(organizerId, {
      livemode: true,
      chargesEnabled: false,
      currentlyDue: ['external_account', 'individual.verification.document'],
    });
    const res = await publish(LIVE, auth, await draft(auth));
    expectProblem(res, { status: 409, code: 'payments_not_configured' });
    expect(res.body).toMatchObject({
      missing: [
        'a Stripe account able to take charges (Stripe still needs a bank account for payouts, an identity document)',
      ],
    });
  });

  it('an account made with a test key does not count for live money', async () => {
    const { organizerId, auth } = await createOrganizer('Test Account');
    await seedAccount(organizerId, { livemode: false, chargesEnabled: true });
    const res = await publish(LIVE, auth, await draft(auth));
    expectProblem(res, { status: 409, code: 'payments_not_configured' });
  });

  it('a test-mode event needs no Connect account; switching it to live does', async () => {
    const { auth } = await createOrganizer('Test Only');
    const event = await draft(auth, { testMode: true });
    expect((await publish(LIVE, auth, event)).status).toBe(200);
    const toLive = await api(LIVE, 'PATCH', `/api/v1/organizer/events/${event.id}`, auth, {
      testMode: false,
    });
    expectProblem(toLive, { status: 409, code: 'payments_not_configured' });
  });

  it('with an account that takes charges: published', async () => {
    const { auth } = await liveWorkspace();
    const res = await publish(LIVE, auth, await draft(auth));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'on_sale', testMode: false });
  });
});

async function hold(event: CreatedEvent, quantity: number, key = 'ga'): Promise<string> {
  const res = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items: [{ ticketTypeId: typeId(event, key), quantity }] },
  });
  if (res.status !== 201) throw new Error(`hold: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.holdId;
}

interface Checkout {
  orderId: string;
  payment: { paymentId: string } | null;
}

const checkout = (settings: Record<string, string>, holdId: string, key = crypto.randomUUID()) =>
  callWith(settings, 'POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': key },
    body: { holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  }) as Promise<{ status: number; body: Checkout }>;

function paymentRow(paymentId: string) {
  return env.DB.prepare(
    'SELECT destination_account_id, application_fee_minor, amount_minor FROM payments WHERE id = ?',
  )
    .bind(paymentId)
    .first();
}

const lastCreate = () => stripe.payments.callsTo('POST', /^\/v1\/payment_intents$/).at(-1)?.form;

describe('a live order is a destination charge', () => {
  let ws: Awaited<ReturnType<typeof liveWorkspace>>;
  let event: CreatedEvent;

  beforeAll(async () => {
    ws = await liveWorkspace();
    event = await draft(ws.auth);
    // Published with the live settings (fetch is not needed: Connect state is in D1).
    const res = await publish(LIVE, ws.auth, event);
    if (res.status !== 200) throw new Error(`publish: ${res.status}`);
  });

  it('sends the destination, on_behalf_of and the default fee (2.5 %), and records them', async () => {
    const res = await checkout(LIVE, await hold(event, 2));
    expect(res.status).toBe(201);
    expect(lastCreate()).toMatchObject({
      amount: '7800',
      currency: 'eur',
      'transfer_data[destination]': ws.accountId,
      on_behalf_of: ws.accountId,
      application_fee_amount: '195',
    });
    expect(await paymentRow(res.body.payment?.paymentId ?? '')).toEqual({
      destination_account_id: ws.accountId,
      application_fee_minor: 195,
      amount_minor: 7800,
    });
  });

  it('a replayed checkout asks Stripe with exactly the same parameters', async () => {
    const holdId = await hold(event, 1);
    const key = crypto.randomUUID();
    await checkout(LIVE, holdId, key);
    await checkout(LIVE, holdId, key);
    const [first, second] = stripe.payments.callsTo('POST', /^\/v1\/payment_intents$/);
    expect(second?.form).toEqual(first?.form);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
  });

  it('uses the fee the operator set for the workspace: percent + fixed, cut to the maximum', async () => {
    const operator = { ...LIVE, OPERATOR_API_KEY: 'op_'.padEnd(40, 'k') };
    const set = await callWith(
      operator,
      'PUT',
      `/api/v1/operator/workspaces/${ws.organizerId}/platform-fee`,
      {
        headers: { authorization: `Bearer ${operator.OPERATOR_API_KEY}` },
        body: { percentBps: 300, fixedMinor: 50, minMinor: 100, maxMinor: 250 },
      },
    );
    expect(set.status).toBe(200);
    await checkout(LIVE, await hold(event, 1));
    // 3 % of 3,900 = 117, + 50.
    expect(lastCreate()?.application_fee_amount).toBe('167');
    await checkout(LIVE, await hold(event, 2));
    // 3 % of 7,800 = 234, + 50 = 284: cut to 250.
    expect(lastCreate()?.application_fee_amount).toBe('250');
  });

  it('zero-decimal JPY and ISK: the fee in the order’s units, sent in Stripe’s', async () => {
    const one = (currency: string, priceMinor: number) =>
      eventBody({
        currency,
        ticketTypes: [{ key: 'ga', name: 'GA', priceMinor, capacity: 100 }],
        quotas: [],
      });
    for (const [currency, price, amount, fee] of [
      // ¥1,500 at 2.5 % = 37.5 -> ¥38; Stripe takes yen as they are.
      ['JPY', 1500, '1500', '38'],
      // 5,000 ISK at 2.5 % = 125 ISK; Stripe takes ISK two-decimal: 12500.
      ['ISK', 5000, '500000', '12500'],
    ] as const) {
      const other = await liveWorkspace();
      const created = await call<CreatedEvent>('POST', '/api/v1/organizer/events', {
        body: one(currency, price),
        headers: other.auth,
      });
      expect((await publish(LIVE, other.auth, created.body)).status).toBe(200);
      await checkout(LIVE, await hold(created.body, 1));
      expect(lastCreate()).toMatchObject({
        currency: currency.toLowerCase(),
        amount,
        application_fee_amount: fee,
        'transfer_data[destination]': other.accountId,
      });
    }
  });

  it('stops when the account loses charges (account.updated): checkout 503, nothing written', async () => {
    const other = await liveWorkspace();
    const live = await draft(other.auth);
    expect((await publish(LIVE, other.auth, live)).status).toBe(200);
    const signed = await signedConnectEvent(
      'account.updated',
      { ...accountRestricted, id: other.accountId },
      { account: other.accountId },
    );
    const hook = await callWith(LIVE, 'POST', '/api/v1/webhooks/stripe/connect', {
      raw: signed.body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    expect(hook.status).toBe(200);
    const holdId = await hold(live, 1);
    const before = await settledSnapshot([live.id]);
    const res = await checkout(LIVE, holdId);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'payments_not_configured' });
    expect(stripe.payments.callsTo('POST', /^\/v1\/payment_intents$/)).toEqual([]);
    expect(await settledSnapshot([live.id])).toEqual(before);
  });
});

describe('orders that are not paid out stay with the platform', () => {
  it('a test-mode order with Stripe test keys: no transfer, no fee (test orders are not paid out)', async () => {
    const { organizerId, auth } = await createOrganizer('Test Keys');
    await seedAccount(organizerId, { livemode: false, chargesEnabled: true });
    const testEvent = await draft(auth, { testMode: true });
    expect((await publish(STRIPE_SETTINGS, auth, testEvent)).status).toBe(200);
    const res = await checkout(STRIPE_SETTINGS, await hold(testEvent, 1));
    expect(res.status).toBe(201);
    const form = lastCreate() ?? {};
    expect(Object.keys(form).filter((k) => /transfer|on_behalf|application_fee/.test(k))).toEqual(
      [],
    );
    expect(await paymentRow(res.body.payment?.paymentId ?? '')).toMatchObject({
      destination_account_id: null,
      application_fee_minor: null,
    });
  });
});

describe('refunds of a destination charge', () => {
  async function paidLiveOrder(settings: Record<string, string>) {
    const ws = await liveWorkspace();
    const event = await draft(ws.auth);
    expect((await publish(settings, ws.auth, event)).status).toBe(200);
    const res = await checkout(settings, await hold(event, 2));
    const paymentId = res.body.payment?.paymentId ?? '';
    const pi = stripe.payments.set(paymentId, {
      status: 'succeeded',
      amount_received: 7800,
    } as never);
    const signed = await signedStripeEvent(
      'payment_intent.succeeded',
      pi,
      settings.STRIPE_WEBHOOK_SECRET,
    );
    const hook = await callWith(settings, 'POST', '/api/v1/webhooks/stripe', {
      raw: signed.body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    expect(hook.status).toBe(200);
    await waitFor(async () => {
      const row = await env.DB.prepare('SELECT status FROM orders WHERE id = ?')
        .bind(res.body.orderId)
        .first<{ status: string }>();
      return row?.status === 'paid' ? true : undefined;
    });
    return { ...ws, orderId: res.body.orderId, paymentId };
  }

  it('reverse the transfer and give the fee back (the default)', async () => {
    const paid = await paidLiveOrder(LIVE);
    const res = await api(
      LIVE,
      'POST',
      `/api/v1/organizer/orders/${paid.orderId}/refund`,
      paid.auth,
      {
        amountMinor: 3900,
      },
    );
    expect(res.status).toBe(200);
    expect(stripe.callsTo('POST', /^\/v1\/refunds$/).map((c) => c.form)).toEqual([
      {
        payment_intent: paid.paymentId,
        amount: '3900',
        'metadata[orderId]': paid.orderId,
        // The claim's id: the refund webhooks find the claim by it.
        'metadata[refundId]': expect.any(String),
        reverse_transfer: 'true',
        refund_application_fee: 'true',
      },
    ]);
  });

  it('after the organizer was paid out: the refund still reverses the transfer, once', async () => {
    const paid = await paidLiveOrder(LIVE);
    // Stripe pays the connected account out (its balance can go negative on a later refund:
    // Stripe then debits the organizer's bank, the platform does not carry it).
    const payoutId = `po_1After${paid.orderId.replace(/[^0-9A-Za-z]/g, '')}`;
    const payout = await signedConnectEvent(
      'payout.paid',
      { ...payoutPaid, id: payoutId },
      { account: paid.accountId },
    );
    const hook = await callWith(LIVE, 'POST', '/api/v1/webhooks/stripe/connect', {
      raw: payout.body,
      headers: { 'content-type': 'application/json', 'stripe-signature': payout.signature },
    });
    expect(hook.status).toBe(200);
    const paidOut = await env.DB.prepare('SELECT status FROM connect_payouts WHERE id = ?')
      .bind(payoutId)
      .first<{ status: string }>();
    expect(paidOut?.status).toBe('paid');
    const refundPath = `/api/v1/organizer/orders/${paid.orderId}/refund`;
    const [first, second] = await Promise.all([
      api(LIVE, 'POST', refundPath, paid.auth),
      api(LIVE, 'POST', refundPath, paid.auth),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const refunds = stripe.callsTo('POST', /^\/v1\/refunds$/);
    expect(refunds.map((c) => c.form)).toEqual([
      expect.objectContaining({ amount: '7800', reverse_transfer: 'true' }),
    ]);
    const order = await env.DB.prepare('SELECT status FROM orders WHERE id = ?')
      .bind(paid.orderId)
      .first<{ status: string }>();
    expect(order?.status).toBe('refunded');
  });

  it('keep the fee when STRIPE_REFUND_APPLICATION_FEE is false', async () => {
    const keep = { ...LIVE, STRIPE_REFUND_APPLICATION_FEE: 'false' };
    const paid = await paidLiveOrder(keep);
    const res = await api(
      keep,
      'POST',
      `/api/v1/organizer/orders/${paid.orderId}/refund`,
      paid.auth,
    );
    expect(res.status).toBe(200);
    expect(stripe.callsTo('POST', /^\/v1\/refunds$/)[0]?.form).toMatchObject({
      amount: '7800',
      reverse_transfer: 'true',
      refund_application_fee: 'false',
    });
  });

  it('a charge that stayed with the platform is refunded without Connect parameters', async () => {
    const { auth } = await createOrganizer('Platform Charge');
    const testEvent = await draft(auth, { testMode: true });
    expect((await publish(STRIPE_SETTINGS, auth, testEvent)).status).toBe(200);
    const res = await checkout(STRIPE_SETTINGS, await hold(testEvent, 1));
    const pi = stripe.payments.set(res.body.payment?.paymentId ?? '', {
      status: 'succeeded',
      amount_received: 3900,
    } as never);
    const signed = await signedStripeEvent('payment_intent.succeeded', pi);
    await callWith(STRIPE_SETTINGS, 'POST', '/api/v1/webhooks/stripe', {
      raw: signed.body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
    });
    await waitFor(async () => {
      const row = await env.DB.prepare('SELECT status FROM orders WHERE id = ?')
        .bind(res.body.orderId)
        .first<{ status: string }>();
      return row?.status === 'paid' ? true : undefined;
    });
    const refund = await api(
      STRIPE_SETTINGS,
      'POST',
      `/api/v1/organizer/orders/${res.body.orderId}/refund`,
      auth,
    );
    expect(refund.status).toBe(200);
    const form = stripe.callsTo('POST', /^\/v1\/refunds$/)[0]?.form ?? {};
    expect(form).toMatchObject({ amount: '3900' });
    expect(Object.keys(form)).not.toContain('reverse_transfer');
    expect(Object.keys(form)).not.toContain('refund_application_fee');
  });
});

describe('the operator API (platform fee per workspace)', () => {
  const KEY = 'op_'.padEnd(48, 'x');
  const OPERATOR = { OPERATOR_API_KEY: KEY };
  const path = (id: string) => `/api/v1/operator/workspaces/${id}/platform-fee`;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it('is off without OPERATOR_API_KEY (or with a short one): 503', async () => {
    const { organizerId } = await createOrganizer();
    const settingsList: Record<string, string>[] = [{}, { OPERATOR_API_KEY: 'short-key' }];
    for (const settings of settingsList) {
      const res = await callWith(settings, 'GET', path(organizerId), {
        headers: bearer('short-key'),
      });
      // A 5xx problem: `expectProblem` is for 4xx refusals.
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'operator_api_not_configured' });
    }
  });

  it('refuses a missing key, a wrong key and an organizer’s own API key: 401', async () => {
    const { organizerId, auth } = await createOrganizer();
    for (const headers of [{}, bearer(`${KEY}y`), bearer(KEY.slice(0, -1)), auth]) {
      const res = await callWith(OPERATOR, 'PUT', path(organizerId), {
        headers,
        body: { percentBps: 0, fixedMinor: 0 },
      });
      expectProblem(res, { status: 401, code: 'unauthorized' });
    }
    const row = await env.DB.prepare('SELECT * FROM platform_fees WHERE organizer_id = ?')
      .bind(organizerId)
      .first();
    expect(row).toBeNull();
  });

  it('reads the default, sets a workspace fee (audited), and resets it', async () => {
    const { organizerId } = await createOrganizer();
    const read = await callWith(OPERATOR, 'GET', path(organizerId), { headers: bearer(KEY) });
    expect(read.body).toEqual({
      organizerId,
      source: 'default',
      percentBps: 250,
      fixedMinor: 0,
      minMinor: 0,
      maxMinor: null,
    });
    const set = await callWith(OPERATOR, 'PUT', path(organizerId), {
      headers: bearer(KEY),
      body: { percentBps: 120, fixedMinor: 25 },
    });
    expect(set.body).toEqual({
      organizerId,
      source: 'workspace',
      percentBps: 120,
      fixedMinor: 25,
      minMinor: 0,
      maxMinor: null,
    });
    const audit = await env.DB.prepare(
      "SELECT actor, action FROM audit_log WHERE subject_id = ? AND action LIKE 'platform_fee.%'",
    )
      .bind(organizerId)
      .all();
    expect(audit.results).toEqual([{ actor: 'operator', action: 'platform_fee.set' }]);
    const reset = await callWith(OPERATOR, 'DELETE', path(organizerId), { headers: bearer(KEY) });
    expect(reset.body).toMatchObject({ source: 'default', percentBps: 250 });
  });
});
