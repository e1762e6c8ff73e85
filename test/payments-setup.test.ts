import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import type { NotificationMessage } from '../worker/consumers/messages';
import { randomToken } from '../worker/domain/ids';
import worker from '../worker/index';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
} from './support/api';
import { expectProblem, settledSnapshot } from './support/db-snapshot';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { holdTickets, pendingOrder, sandbox, waitForStatus } from './support/purchase';

/**
 * Issue 8, finding 1: outside development the sandbox (which lets a buyer mark their own
 * order paid) runs only by the operator's opt-in, and then says so on every page and mail.
 * The Worker is called with the test bindings changed (as a deployment would set them).
 */

const withSettings = (settings: Record<string, string>): Env => ({ ...env, ...settings });
/** A production deployment that forgot Stripe (and PUBLIC_ORIGIN). */
const production = withSettings({ ENVIRONMENT: 'production' });
/** A demo deployment: production, with the sandbox allowed on purpose. */
const demo = withSettings({
  ENVIRONMENT: 'production',
  ALLOW_SANDBOX_PAYMENTS: 'true',
  PUBLIC_ORIGIN: BASE,
});

const BANNER = 'TEST PAYMENTS — no real money; this deployment uses the sandbox';

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

let event: CreatedEvent;

beforeAll(async () => {
  const { auth } = await createOrganizer();
  event = await createPublishedEvent(auth);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('outside development, without Stripe and without the opt-in', () => {
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
        missing: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'PUBLIC_ORIGIN'],
      }),
    ]);
  });

  it('checkout answers 503 payments_not_configured, writes nothing and leaves the hold as it was', async () => {
    const hold = await holdTickets(event, 'ga', 2);
    const before = await settledSnapshot([event.id]);
    const res = await checkoutAs(production, hold.body.holdId);
    expectNotConfigured(res);
    expect(await settledSnapshot([event.id])).toEqual(before);
    const after = await call(`GET`, `/api/v1/holds/${hold.body.holdId}`);
    expect(after.body).toMatchObject({ state: 'active', expiresAt: hold.body.expiresAt });
  });

  it('the hosted checkout page and its form answer 503 and write nothing', async () => {
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

  it("the sandbox's pay page, its form and its webhook answer 404 and change nothing", async () => {
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
  });
});

describe('with ALLOW_SANDBOX_PAYMENTS = "true"', () => {
  it('the hosted purchase works, and every page on the way says TEST PAYMENTS', async () => {
    const qty = `qty_${event.ticketTypes.find((t) => t.key === 'ga')?.id}`;
    const eventPage = await fetchAs(demo, 'GET', `/e/${event.slug}`);
    expect(htmlOf(eventPage)).toContain(BANNER);
    // Control: development shows no banner.
    expect(htmlOf(await fetchAs(env, 'GET', `/e/${event.slug}`))).not.toContain(BANNER);

    const held = await fetchAs(demo, 'POST', `/e/${event.slug}/hold`, { form: { [qty]: '1' } });
    const checkoutPath = held.headers.get('location') ?? '';
    const checkoutPage = await fetchAs(demo, 'GET', checkoutPath);
    expect(checkoutPage.status).toBe(200);
    expect(htmlOf(checkoutPage)).toContain(BANNER);
    const key = /name="key" value="([0-9a-z]+)"/.exec(htmlOf(checkoutPage))?.[1] ?? '';
    const submitted = await fetchAs(demo, 'POST', checkoutPath, {
      form: { key, name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    expect(submitted.status).toBe(303);
    const payUrl = submitted.headers.get('location') ?? '';
    expect(payUrl).toContain('/sandbox/pay/pi_sandbox_');
    const payPage = await fetchAs(demo, 'GET', payUrl);
    expect(payPage.status).toBe(200);
    expect(htmlOf(payPage)).toContain(BANNER);

    const paid = await fetchAs(demo, 'POST', payUrl, { form: { outcome: 'succeed' } });
    expect(paid.status).toBe(303);
    const orderUrl = paid.headers.get('location') ?? '';
    const [, orderId, token] = /\/orders\/(ord_\w+)\?token=([^&]+)/.exec(orderUrl) ?? [];
    await waitForStatus(orderId ?? '', decodeURIComponent(token ?? ''), 'paid');
    const orderPage = await fetchAs(demo, 'GET', orderUrl);
    expect(orderPage.status).toBe(200);
    expect(htmlOf(orderPage)).toContain(BANNER);
    const ticketUrl = /href="(https:\/\/tessera\.test\/tickets\/tkt_[^"]+)"/.exec(
      htmlOf(orderPage),
    )?.[1];
    const ticketPage = await fetchAs(demo, 'GET', (ticketUrl ?? '').replaceAll('&amp;', '&'));
    expect(ticketPage.status).toBe(200);
    expect(htmlOf(ticketPage)).toContain(BANNER);
    // Error pages too; the JSON API is not a page.
    expect(htmlOf(await fetchAs(demo, 'GET', '/e/no-such-event'))).toContain(BANNER);
    expect(htmlOf(await fetchAs(demo, 'GET', `/api/v1/events/${event.id}`))).not.toContain(BANNER);
  });

  it('the confirmation email of a sandbox order says TEST PAYMENTS too', async () => {
    const order = await pendingOrder(event, 'ga', 1);
    const paid = await fetchAs(demo, 'POST', `/sandbox/pay/${order.payment.paymentId}`, {
      body: { outcome: 'succeed' },
    });
    expect(paid.status).toBe(202);
    await waitForStatus(order.orderId, order.orderToken, 'paid');
    // The test queue's consumer runs as development; deliver the mail again as the demo would.
    const key = `order_confirmation:${order.orderId}`;
    await waitForRow('SELECT 1 AS found FROM notification_deliveries WHERE message_key = ?', key);
    await env.DB.batch([
      env.DB.prepare('DELETE FROM notification_deliveries WHERE message_key = ?').bind(key),
      env.DB.prepare('DELETE FROM mail_outbox WHERE message_key = ?').bind(key),
    ]);
    const batch = createMessageBatch<NotificationMessage>('tessera-notifications', [
      {
        id: crypto.randomUUID(),
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'order_confirmation', orderId: order.orderId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, demo, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    const mail = await env.DB.prepare('SELECT html, text FROM mail_outbox WHERE message_key = ?')
      .bind(key)
      .first<{ html: string; text: string }>();
    expect(mail?.html).toContain(BANNER);
    expect(mail?.text.split('\n')[0]).toBe(BANNER);
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

async function waitForRow(sql: string, ...params: unknown[]): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(
        await env.DB.prepare(sql)
          .bind(...params)
          .first(),
      ).not.toBeNull();
    },
    { timeout: 10_000, interval: 50 },
  );
}
