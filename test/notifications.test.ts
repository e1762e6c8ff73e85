import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../worker/app-env';
import type { NotificationMessage } from '../worker/consumers/messages';
import {
  handleNotificationBatch,
  publicOriginFor,
  retryDelaySeconds,
} from '../worker/consumers/notifications-consumer';
import { createDb } from '../worker/db/client';
import {
  events,
  mailOutbox,
  notificationDeliveries,
  type OrderStatus,
  orderLines,
  orders,
  organizers,
  tickets,
  ticketTypes,
} from '../worker/db/schema';
import { newId, randomToken } from '../worker/domain/ids';
import { handleError } from '../worker/http/problem';
import { requestContext } from '../worker/middleware/request-context';
import {
  type Mail,
  MailApiError,
  mailerFor,
  OutboxMailer,
  RESEND_ENDPOINT,
  ResendMailer,
} from '../worker/notifications/mailer';
import { orderTokenFor } from '../worker/orders/order-token';
import { devRoutes } from '../worker/routes/dev';

const db = createDb(env.DB);
const ORIGIN = 'http://localhost:8787'; // the development fallback: tests run as development

afterEach(() => {
  vi.restoreAllMocks();
});

/** A paid order for 2 × GA (39.00) + 1 × VIP (99.00) with its three tickets, straight into D1. */
async function seedOrder(options: { title?: string; status?: OrderStatus } = {}) {
  const organizerId = newId('org');
  const eventId = newId('evt');
  const orderId = newId('ord');
  const [ga, vip] = [newId('tt'), newId('tt')];
  const ticketIds = [newId('tkt'), newId('tkt'), newId('tkt')];
  const now = new Date().toISOString();
  await db.batch([
    db.insert(organizers).values({ id: organizerId, name: 'Owl Promotions' }),
    db.insert(events).values({
      id: eventId,
      organizerId,
      slug: `night-owls-${randomToken(8)}`,
      title: options.title ?? 'Night Owls Live',
      startsAt: '2026-09-12T18:00:00.000Z',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      venue: { name: 'Hall 7', city: 'Hamburg', country: 'DE' },
      holdMinutes: 10,
      maxPerOrder: 10,
      status: 'on_sale',
      waitingRoom: { mode: 'off' },
      updatedAt: now,
    }),
    db.insert(ticketTypes).values([
      {
        id: ga,
        eventId,
        key: 'ga',
        name: 'General admission',
        priceMinor: 3900,
        capacity: 100,
        position: 0,
      },
      { id: vip, eventId, key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 10, position: 1 },
    ]),
    db.insert(orders).values({
      id: orderId,
      eventId,
      organizerId,
      status: options.status ?? 'paid',
      holdId: `hold_${eventId.slice(4)}${randomToken()}`,
      idempotencyKey: `idem-${orderId}`,
      requestHash: 'test',
      buyerName: 'Ada Lovelace',
      buyerEmail: `ada+${orderId}@example.com`,
      totalMinor: 17700,
      refundedMinor: options.status === 'refunded' ? 17700 : 0,
      currency: 'EUR',
      paymentProvider: 'sandbox',
      paymentId: newId('pay'),
      expiresAt: now,
      updatedAt: now,
      paidAt: now,
    }),
    db.insert(orderLines).values([
      {
        orderId,
        ticketTypeId: ga,
        name: 'General admission',
        quantity: 2,
        unitPriceMinor: 3900,
        lineTotalMinor: 7800,
      },
      {
        orderId,
        ticketTypeId: vip,
        name: 'VIP',
        quantity: 1,
        unitPriceMinor: 9900,
        lineTotalMinor: 9900,
      },
    ]),
    db.insert(tickets).values(
      ticketIds.map((id, position) => ({
        id,
        orderId,
        eventId,
        ticketTypeId: position < 2 ? ga : vip,
        position,
        code: `code-${id}`,
      })),
    ),
  ]);
  return { orderId, ticketIds };
}

let sequence = 0;
function batchOf(messages: { body: NotificationMessage; attempts?: number }[]) {
  return createMessageBatch<NotificationMessage>(
    'tessera-notifications',
    messages.map(({ body, attempts }) => ({
      id: `msg-${++sequence}`,
      timestamp: new Date(),
      attempts: attempts ?? 1,
      body,
    })),
  );
}

async function consume(
  messages: { body: NotificationMessage; attempts?: number }[],
  testEnv: Env = env,
) {
  const batch = batchOf(messages);
  await handleNotificationBatch(batch, testEnv);
  return { batch, result: await getQueueResult(batch, createExecutionContext()) };
}

const mailsFor = (orderId: string) =>
  db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, `ada+${orderId}@example.com`))
    .all();

const confirmation = (orderId: string): NotificationMessage => ({
  kind: 'order_confirmation',
  orderId,
});

/** Settings layered over the test bindings, as wrangler would bind them. */
const withSettings = (settings: Record<string, string>): Env => ({ ...env, ...settings });

describe('NOTIFICATIONS consumer', () => {
  it('sends one confirmation with the order link, the ticket links and the amounts', async () => {
    const { orderId, ticketIds } = await seedOrder();
    const { batch, result } = await consume([{ body: confirmation(orderId) }]);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    expect(result.retryMessages).toEqual([]);

    const mails = await mailsFor(orderId);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    const token = await orderTokenFor(env, orderId);
    expect(mail?.messageKey).toBe(`order_confirmation:${orderId}`);
    expect(mail?.subject).toBe('Your tickets for Night Owls Live');
    for (const body of [mail?.html, mail?.text]) {
      expect(body).toContain(`${ORIGIN}/orders/${orderId}?token=${token}`);
      for (const id of ticketIds) expect(body).toContain(`${ORIGIN}/tickets/${id}?token=${token}`);
      expect(body).toContain('€78.00');
      expect(body).toContain('€99.00');
      expect(body).toContain('€177.00');
      expect(body).toContain('Hall 7, Hamburg, DE');
    }
    expect(mail?.html).not.toContain('<svg');
    const delivered = await db
      .select()
      .from(notificationDeliveries)
      .where(eq(notificationDeliveries.messageKey, `order_confirmation:${orderId}`))
      .all();
    expect(delivered).toHaveLength(1);
  });

  it('sends once when the same message arrives in two batches', async () => {
    const { orderId } = await seedOrder();
    await consume([{ body: confirmation(orderId) }]);
    const { batch, result } = await consume([{ body: confirmation(orderId) }]);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    expect(await mailsFor(orderId)).toHaveLength(1);
  });

  it('sends once when the same message is twice in one batch, and acks both', async () => {
    const { orderId } = await seedOrder();
    const { batch, result } = await consume([
      { body: confirmation(orderId) },
      { body: confirmation(orderId) },
    ]);
    expect([...result.explicitAcks].sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(await mailsFor(orderId)).toHaveLength(1);
  });

  it('processes the messages of a batch independently', async () => {
    const [a, b] = [await seedOrder(), await seedOrder()];
    const { result } = await consume([
      { body: confirmation(a.orderId) },
      { body: confirmation(b.orderId) },
    ]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await mailsFor(a.orderId)).toHaveLength(1);
    expect(await mailsFor(b.orderId)).toHaveLength(1);
  });

  it('acks a message for an unknown order and sends nothing', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const orderId = newId('ord');
    const { batch, result } = await consume([{ body: confirmation(orderId) }]);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    expect(result.retryMessages).toEqual([]);
    expect(await mailsFor(orderId)).toHaveLength(0);
  });

  it('acks a malformed message instead of retrying it forever', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const batch = createMessageBatch<unknown>('tessera-notifications', [
      { id: 'msg-bad', timestamp: new Date(), attempts: 1, body: { kind: 'nope' } },
    ]);
    await handleNotificationBatch(batch as MessageBatch<NotificationMessage>, env);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(['msg-bad']);
  });

  it('retries with backoff when the mailer fails, logs it, and sends on a later attempt', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('{"message":"down"}', { status: 503 }));
    const { orderId } = await seedOrder();
    const failing = withSettings({
      MAIL_API_KEY: 're_test',
      MAIL_FROM: 'Tessera <tickets@example.com>',
    });

    const batch = batchOf([{ body: confirmation(orderId), attempts: 3 }]);
    const message = batch.messages[0];
    if (!message) throw new Error('empty batch');
    // getQueueResult does not report the delay: watch the call itself.
    const retry = vi.spyOn(message, 'retry');
    await handleNotificationBatch(batch, failing);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: message.id }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
    const logged = JSON.parse(String(errors.mock.calls[0]?.[0]));
    expect(logged).toMatchObject({
      level: 'error',
      message: 'notification_failed',
      key: `order_confirmation:${orderId}`,
      attempts: 3,
    });
    expect(logged.error).toContain('503');
    const delivered = await db
      .select()
      .from(notificationDeliveries)
      .where(eq(notificationDeliveries.messageKey, `order_confirmation:${orderId}`))
      .all();
    expect(delivered).toHaveLength(0);

    // The redelivery goes through once the mailer works again.
    const retried = await consume([{ body: confirmation(orderId), attempts: 4 }]);
    expect(retried.result.explicitAcks).toHaveLength(1);
    expect(await mailsFor(orderId)).toHaveLength(1);
  });

  it('sends through the mail API with the business key as Idempotency-Key when configured', async () => {
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(Response.json({ id: 'email_1' }));
    const { orderId } = await seedOrder();
    const configured = withSettings({
      MAIL_API_KEY: 're_test',
      MAIL_FROM: 'Tessera <tickets@example.com>',
    });
    const { result } = await consume([{ body: confirmation(orderId) }], configured);
    expect(result.explicitAcks).toHaveLength(1);
    const init = fetchSpy.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get('idempotency-key')).toBe(`order_confirmation:${orderId}`);
    expect(await mailsFor(orderId)).toHaveLength(0); // not the outbox
  });

  it('escapes an event title with markup in the HTML mail', async () => {
    const { orderId } = await seedOrder({ title: '<b>Loud</b> Night' });
    await consume([{ body: confirmation(orderId) }]);
    const [mail] = await mailsFor(orderId);
    expect(mail?.html).toContain('&lt;b&gt;Loud&lt;/b&gt; Night');
    expect(mail?.html).not.toContain('<b>Loud</b>');
    expect(mail?.subject).toBe('Your tickets for <b>Loud</b> Night'); // a header, not HTML
  });

  it('sends the late-payment apology for a refunded order', async () => {
    const { orderId } = await seedOrder({ status: 'refunded' });
    await consume([{ body: { kind: 'late_payment_refunded', orderId } }]);
    const [mail] = await mailsFor(orderId);
    expect(mail?.messageKey).toBe(`late_payment_refunded:${orderId}`);
    expect(mail?.subject).toBe('Your payment for Night Owls Live has been refunded');
    expect(mail?.text).toContain('full amount of €177.00');
    expect(mail?.html).not.toContain('/tickets/');
  });

  it('sends no confirmation for an order that is no longer paid', async () => {
    const { orderId } = await seedOrder({ status: 'refunded' });
    const { result } = await consume([{ body: confirmation(orderId) }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await mailsFor(orderId)).toHaveLength(0);
  });
});

describe('publicOriginFor and retryDelaySeconds', () => {
  it('uses PUBLIC_ORIGIN, falls back only in development', () => {
    expect(publicOriginFor(env)).toBe(ORIGIN);
    expect(publicOriginFor(withSettings({ PUBLIC_ORIGIN: 'https://tickets.example.com/' }))).toBe(
      'https://tickets.example.com',
    );
    expect(() => publicOriginFor({ ...env, ENVIRONMENT: 'production' })).toThrow(/PUBLIC_ORIGIN/);
  });

  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20)).toBe(3600);
  });
});

describe('mailers', () => {
  const mail: Mail = {
    messageKey: 'order_confirmation:ord_x',
    to: 'ada@example.com',
    subject: 'Your tickets',
    html: '<p>Hi</p>',
    text: 'Hi',
  };

  it('ResendMailer posts the mail with the key and the idempotency key', async () => {
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(Response.json({ id: 'email_1' }));
    await new ResendMailer({ apiKey: 're_secret', from: 'Tessera <tickets@example.com>' }).send(
      mail,
    );
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(url).toBe(RESEND_ENDPOINT);
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    expect(headers.get('authorization')).toBe('Bearer re_secret');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('idempotency-key')).toBe(mail.messageKey);
    expect(JSON.parse(String(init?.body))).toEqual({
      from: 'Tessera <tickets@example.com>',
      to: ['ada@example.com'],
      subject: 'Your tickets',
      html: '<p>Hi</p>',
      text: 'Hi',
    });
  });

  it.each([422, 429, 500])('ResendMailer throws on a %i answer', async (status) => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ message: 'nope' }, { status }));
    const sending = new ResendMailer({ apiKey: 're_secret', from: 'tickets@example.com' }).send(
      mail,
    );
    await expect(sending).rejects.toBeInstanceOf(MailApiError);
    await expect(sending).rejects.toMatchObject({ status });
  });

  it('OutboxMailer keeps one mail per message key', async () => {
    const messageKey = `test:${newId('ord')}`;
    const outbox = new OutboxMailer(db);
    await outbox.send({ ...mail, messageKey });
    await outbox.send({ ...mail, messageKey, subject: 'Again' });
    const rows = await db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.messageKey, messageKey))
      .all();
    expect(rows.map((r) => r.subject)).toEqual(['Your tickets']);
  });

  it('mailerFor picks the API only when MAIL_API_KEY is set, and then needs MAIL_FROM', () => {
    expect(mailerFor(env, db)).toBeInstanceOf(OutboxMailer);
    expect(
      mailerFor(withSettings({ MAIL_API_KEY: 'k', MAIL_FROM: 'a@example.com' }), db),
    ).toBeInstanceOf(ResendMailer);
    expect(() => mailerFor(withSettings({ MAIL_API_KEY: 'k' }), db)).toThrow(/MAIL_FROM/);
  });
});

describe('/dev/outbox', () => {
  const app = new Hono<AppEnv>().use('*', requestContext).route('/dev', devRoutes);
  app.onError(handleError);

  it('lists mails and shows one in a sandboxed frame, in development', async () => {
    const { orderId } = await seedOrder({ title: 'Outbox <i>Test</i>' });
    await consume([{ body: confirmation(orderId) }]);
    const [mail] = await mailsFor(orderId);

    const list = await app.request('/dev/outbox', {}, env);
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(`ada+${orderId}@example.com`);
    expect(listHtml).toContain('Your tickets for Outbox &lt;i&gt;Test&lt;/i&gt;');
    expect(listHtml).toContain(`href="/dev/outbox/${mail?.id}"`);

    const page = await app.request(`/dev/outbox/${mail?.id}`, {}, env);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toMatch(/<iframe[^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(pageHtml).toContain(`src="/dev/outbox/${mail?.id}/html"`);
    expect(pageHtml).not.toContain('<i>Test</i>');
    expect(pageHtml).toContain(`/orders/${orderId}?token=`); // the text version

    // The mail's own HTML: rendered nowhere but in that frame, and nothing in it runs.
    const frame = await app.request(`/dev/outbox/${mail?.id}/html`, {}, env);
    expect(frame.status).toBe(200);
    expect(await frame.text()).toMatch(/^<!DOCTYPE html>/i);
    const csp = frame.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/\bsandbox allow-popups\b/);
    expect(csp).not.toContain('script-src');
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('answers 404 for an unknown mail', async () => {
    const response = await app.request('/dev/outbox/mail_nothing', {}, env);
    expect(response.status).toBe(404);
  });

  it('does not exist outside development', async () => {
    for (const path of ['/dev/outbox', '/dev/outbox/mail_x', '/dev/outbox/mail_x/html']) {
      const response = await app.request(path, {}, { ...env, ENVIRONMENT: 'production' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    }
  });
});
