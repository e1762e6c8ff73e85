import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import { randomToken } from '../worker/domain/ids';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
} from './support/api';
import { expectProblem, settledSnapshot } from './support/db-snapshot';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { holdTickets, pendingOrder, sandbox, waitForStatus } from './support/purchase';

/**
 * Issue 10, "Test mode, and fail closed": outside development the sandbox (which lets a buyer
 * mark their own order paid) serves only test-mode events; live events need Stripe to go on
 * sale and to sell. This replaces the operator's opt-in (ALLOW_SANDBOX_PAYMENTS) of issue 8.
 * The Worker is called with the test bindings changed, as a deployment would set them.
 */

const withSettings = (settings: Record<string, string>): Env => ({ ...env, ...settings });
/** A production deployment without Stripe (and without PUBLIC_ORIGIN). */
const production = withSettings({ ENVIRONMENT: 'production' });
/** The same with its origin: links in pages and mails can be built. */
const productionWithOrigin = withSettings({ ENVIRONMENT: 'production', PUBLIC_ORIGIN: BASE });

const BANNER = 'TEST — no real money; these tickets are not valid at the door';

async function fetchAs(
  bindings: Env,
  method: string,
  path: string,
  options: { body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<JsonResponse<unknown>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | URLSearchParams | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  const response = await app.request(url, { method, headers, body, redirect: 'manual' }, bindings);
  return readJsonResponse(response);
}

const checkoutAs = (bindings: Env, holdId: string, key: string = crypto.randomUUID()) =>
  fetchAs(bindings, 'POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': key },
    body: { holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
  });

const htmlOf = (res: JsonResponse<unknown>): string =>
  typeof res.body === 'string' ? res.body : JSON.stringify(res.body);

let auth: Record<string, string>;
/** A live event, published in development (where no Stripe is needed). */
let event: CreatedEvent;
/** A test-mode event. */
let testEvent: CreatedEvent;

beforeAll(async () => {
  ({ auth } = await createOrganizer());
  event = await createPublishedEvent(auth);
  testEvent = await createPublishedEvent(auth, { testMode: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('outside development, without Stripe', () => {
  // First in the file: the report is logged once per isolate and distinct settings.
  it('the first request logs one error line naming the missing settings, and only once', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const staging = withSettings({ ENVIRONMENT: 'staging' });
    await fetchAs(staging, 'GET', `/api/v1/events/${event.id}`);
    await fetchAs(staging, 'GET', `/api/v1/events/${event.id}`);
    const lines = errors.mock.calls.map(([line]) => JSON.parse(String(line)) as unknown);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        environment: 'staging',
        message: expect.stringContaining('STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET'),
        missing: expect.arrayContaining(['STRIPE_SECRET_KEY', 'PUBLIC_ORIGIN']),
      }),
    ]);
  });

  it('publishing a live event answers 409 payments_not_configured naming what is missing, and changes nothing', async () => {
    const draft = await call<{ id: string }>('POST', '/api/v1/organizer/events', {
      body: eventBody(),
      headers: auth,
    });
    const before = await settledSnapshot([draft.body.id]);
    const res = await fetchAs(
      production,
      'POST',
      `/api/v1/organizer/events/${draft.body.id}/publish`,
      {
        headers: auth,
      },
    );
    expectProblem(res, { status: 409, code: 'payments_not_configured' });
    expect(res.body).toMatchObject({
      title: 'Payments not configured',
      detail: expect.stringContaining('STRIPE_SECRET_KEY'),
      missing: [
        'STRIPE_SECRET_KEY',
        'STRIPE_WEBHOOK_SECRET',
        'STRIPE_PUBLISHABLE_KEY',
        'a Stripe account for payouts (the workspace owner connects one under Payouts)',
      ],
    });
    expect(await settledSnapshot([draft.body.id])).toEqual(before);
  });

  it('a test-mode event publishes; switching it to live is refused the same way', async () => {
    const draft = await call<{ id: string }>('POST', '/api/v1/organizer/events', {
      body: eventBody({ testMode: true }),
      headers: auth,
    });
    const published = await fetchAs(
      production,
      'POST',
      `/api/v1/organizer/events/${draft.body.id}/publish`,
      { headers: auth },
    );
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'on_sale', testMode: true });
    const toLive = await fetchAs(production, 'PATCH', `/api/v1/organizer/events/${draft.body.id}`, {
      headers: auth,
      body: { testMode: false },
    });
    expectProblem(toLive, { status: 409, code: 'payments_not_configured' });
  });

  it('with a test Stripe key, a live event still can not be published (real money needs sk_live_)', async () => {
    const draft = await call<{ id: string }>('POST', '/api/v1/organizer/events', {
      body: eventBody(),
      headers: auth,
    });
    const testKeys = withSettings({
      ENVIRONMENT: 'production',
      STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
      STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefgh',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_0123456789abcdef',
    });
    const res = await fetchAs(
      testKeys,
      'POST',
      `/api/v1/organizer/events/${draft.body.id}/publish`,
      {
        headers: auth,
      },
    );
    expectProblem(res, { status: 409, code: 'payments_not_configured' });
    expect(res.body).toMatchObject({
      missing: [
        'STRIPE_SECRET_KEY (a test key: sk_live_…)',
        'a Stripe account for payouts (the workspace owner connects one under Payouts)',
      ],
    });
  });

  it("a live event's checkout answers 503 payments_not_configured, writes nothing and leaves the hold as it was", async () => {
    const hold = await holdTickets(event, 'ga', 2);
    const before = await settledSnapshot([event.id]);
    const res = await checkoutAs(production, hold.body.holdId);
    expectNotConfigured(res);
    expect(await settledSnapshot([event.id])).toEqual(before);
    const after = await call(`GET`, `/api/v1/holds/${hold.body.holdId}`);
    expect(after.body).toMatchObject({ state: 'active', expiresAt: hold.body.expiresAt });
  });

  it("a live event's hosted checkout page and its form answer 503 and write nothing", async () => {
    const hold = await holdTickets(event, 'ga', 1);
    const path = `/e/${event.slug}/checkout/${hold.body.holdId}`;
    const before = await settledSnapshot([event.id]);
    const page = await fetchAs(production, 'GET', path);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const form = { key: randomToken(20), name: 'Ada Lovelace', email: 'ada@example.com' };
    const submitted = await fetchAs(production, 'POST', path, { form });
    expect(submitted.status).toBe(503);
    expect(htmlOf(submitted)).not.toContain('/sandbox/pay/');
    expect(await settledSnapshot([event.id])).toEqual(before);
  });

  it("the sandbox's pay page, its form and its webhook answer 404 for a live event's order and change nothing", async () => {
    // Placed in development (where the sandbox serves live events), then seen by production.
    const order = await pendingOrder(event, 'ga', 1);
    const { paymentId } = order.payment;
    const webhook = await sandbox().settle(
      { ...(await paymentRow(paymentId)), status: 'requires_payment' },
      'succeed',
    );
    const before = await settledSnapshot([event.id]);
    expectProblem(await fetchAs(production, 'GET', `/sandbox/pay/${paymentId}`), {
      status: 404,
      code: 'not_found',
    });
    expectProblem(
      await fetchAs(production, 'POST', `/sandbox/pay/${paymentId}`, {
        body: { outcome: 'succeed' },
      }),
      { status: 404, code: 'not_found' },
    );
    const posted = await app.request(
      `${BASE}/api/v1/webhooks/sandbox`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': webhook.signature },
        body: webhook.body,
      },
      production,
    );
    expectProblem(await readJsonResponse(posted), { status: 404, code: 'not_found' });
    expect(await settledSnapshot([event.id])).toEqual(before);
    // Control: development serves the same payment.
    expect((await fetchAs(env, 'GET', `/sandbox/pay/${paymentId}`)).status).toBe(200);
  });
});

describe('outside development, a test-mode event sells through the sandbox', () => {
  it('end to end on the hosted pages, and every page on the way says TEST', async () => {
    const qty = `qty_${testEvent.ticketTypes.find((t) => t.key === 'ga')?.id}`;
    const eventPage = await fetchAs(productionWithOrigin, 'GET', `/e/${testEvent.slug}`);
    expect(htmlOf(eventPage)).toContain(BANNER);
    // Control: a live event's page shows no banner.
    expect(htmlOf(await fetchAs(productionWithOrigin, 'GET', `/e/${event.slug}`))).not.toContain(
      BANNER,
    );

    const held = await fetchAs(productionWithOrigin, 'POST', `/e/${testEvent.slug}/hold`, {
      form: { [qty]: '1' },
    });
    const checkoutPath = held.headers.get('location') ?? '';
    const checkoutPage = await fetchAs(productionWithOrigin, 'GET', checkoutPath);
    expect(checkoutPage.status).toBe(200);
    expect(htmlOf(checkoutPage)).toContain(BANNER);
    const key = /name="key" value="([0-9a-z]+)"/.exec(htmlOf(checkoutPage))?.[1] ?? '';
    const submitted = await fetchAs(productionWithOrigin, 'POST', checkoutPath, {
      form: { key, name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    expect(submitted.status).toBe(303);
    const payUrl = submitted.headers.get('location') ?? '';
    expect(payUrl).toContain('/sandbox/pay/pi_sandbox_');
    const payPage = await fetchAs(productionWithOrigin, 'GET', payUrl);
    expect(payPage.status).toBe(200);
    expect(htmlOf(payPage)).toContain(BANNER);

    const paid = await fetchAs(productionWithOrigin, 'POST', payUrl, {
      form: { outcome: 'succeed' },
    });
    expect(paid.status).toBe(303);
    const orderUrl = paid.headers.get('location') ?? '';
    const [, orderId, token] = /\/orders\/(ord_\w+)\?token=([^&]+)/.exec(orderUrl) ?? [];
    const order = await waitForStatus(orderId ?? '', decodeURIComponent(token ?? ''), 'paid');
    expect(order).toMatchObject({ testMode: true });
    const orderPage = await fetchAs(productionWithOrigin, 'GET', orderUrl);
    expect(orderPage.status).toBe(200);
    expect(htmlOf(orderPage)).toContain(BANNER);
    const ticketUrl = /href="(https:\/\/tessera\.test\/tickets\/tkt_[^"]+)"/.exec(
      htmlOf(orderPage),
    )?.[1];
    const ticketPage = await fetchAs(
      productionWithOrigin,
      'GET',
      (ticketUrl ?? '').replaceAll('&amp;', '&'),
    );
    expect(ticketPage.status).toBe(200);
    expect(htmlOf(ticketPage)).toContain(BANNER);
    // Error pages of the event too; the JSON API is not a page.
    expect(
      htmlOf(await fetchAs(productionWithOrigin, 'GET', `/e/${testEvent.slug}/checkout/hld_nope`)),
    ).toContain(BANNER);
    expect(
      htmlOf(await fetchAs(productionWithOrigin, 'GET', `/api/v1/events/${testEvent.id}`)),
    ).not.toContain(BANNER);

    // The confirmation email says TEST, in its subject and at the top of both parts.
    const mail = await waitForMail(`order_confirmation:${orderId}`);
    expect(mail.subject.startsWith('[TEST] ')).toBe(true);
    expect(mail.html).toContain(BANNER);
    expect(mail.text.split('\n')[0]).toBe(BANNER);
  });

  it('over the API: the order and its tickets say testMode, and the sandbox webhook settles it', async () => {
    const hold = await holdTickets(testEvent, 'ga', 1);
    const checkout = await checkoutAs(productionWithOrigin, hold.body.holdId);
    expect(checkout.status).toBe(201);
    const body = checkout.body as {
      orderId: string;
      orderToken: string;
      payment: { provider: string; paymentId: string };
    };
    expect(body.payment.provider).toBe('sandbox');
    const webhook = await sandbox().settle(await paymentRow(body.payment.paymentId), 'succeed');
    const posted = await app.request(
      `${BASE}/api/v1/webhooks/sandbox`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': webhook.signature },
        body: webhook.body,
      },
      productionWithOrigin,
    );
    expect(posted.status).toBe(200);
    const order = await waitForStatus(body.orderId, body.orderToken, 'paid');
    expect(order).toMatchObject({ testMode: true });
    expect(order.tickets.map((t) => (t as { testMode?: boolean }).testMode)).toEqual([true]);
  });
});

/** A 5xx problem: the API's problem shape, but `expectProblem` is for 4xx refusals. */
function expectNotConfigured(res: JsonResponse<unknown>): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status: 503,
    code: 'payments_not_configured',
    title: 'Payments not configured',
    detail: expect.any(String),
  });
}

async function paymentRow(paymentId: string) {
  const payment = await sandbox().find(paymentId);
  if (!payment) throw new Error(`no sandbox payment ${paymentId}`);
  return payment;
}

async function waitForMail(
  messageKey: string,
): Promise<{ subject: string; html: string; text: string }> {
  return vi.waitFor(
    async () => {
      const mail = await env.DB.prepare(
        'SELECT subject, html, text FROM mail_outbox WHERE message_key = ?',
      )
        .bind(messageKey)
        .first<{ subject: string; html: string; text: string }>();
      if (!mail) throw new Error(`no mail ${messageKey} yet`);
      return mail;
    },
    { timeout: 10_000, interval: 50 },
  );
}
