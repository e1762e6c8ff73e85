import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { sweep } from '../worker/consumers/sweep';
import { call, createOrganizer, createPublishedEvent, typeId } from './support/api';
import {
  countRows,
  getOrder,
  pendingOrder,
  postWebhook,
  sandbox,
  signedSandboxWebhook,
  waitForStatus,
} from './support/purchase';

type Auth = Record<string, string>;

async function paidOrder(auth: Auth) {
  const event = await createPublishedEvent(auth);
  const order = await pendingOrder(event, 'ga', 2);
  await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
  const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
  return { event, order, paid };
}

function checkIn(auth: Auth, eventId: string, code: string) {
  return call<{ result: string; firstCheckedInAt?: string; ticket?: { id: string } }>(
    'POST',
    '/api/v1/checkin',
    {
      headers: auth,
      body: { eventId, code },
    },
  );
}

describe('check-in', () => {
  it('scans once: ok, then already_checked_in with the first time; tampered and foreign codes refused', async () => {
    const { auth } = await createOrganizer();
    const { event, paid } = await paidOrder(auth);
    const code = paid.tickets[0]?.code ?? '';

    const first = await checkIn(auth, event.id, code);
    expect(first.body).toMatchObject({ result: 'ok', ticket: { id: paid.tickets[0]?.id } });
    const again = await Promise.all([checkIn(auth, event.id, code), checkIn(auth, event.id, code)]);
    for (const answer of again) expect(answer.body.result).toBe('already_checked_in');
    expect(new Set(again.map((a) => a.body.firstCheckedInAt)).size).toBe(1);

    const [header, payload, signature] = code.split('.');
    const flipped = `${header}.${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    expect((await checkIn(auth, event.id, flipped)).body.result).toBe('invalid');
    expect((await checkIn(auth, event.id, 'not-a-ticket')).body.result).toBe('invalid');

    const other = await createPublishedEvent(auth);
    expect((await checkIn(auth, other.id, paid.tickets[1]?.code ?? '')).body.result).toBe(
      'wrong_event',
    );

    const stats = await call<{ checkedIn: number }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { headers: auth },
    );
    expect(stats.body.checkedIn).toBe(1);
  });

  it('JWKS publishes only public keys', async () => {
    const jwks = await call<{ keys: Record<string, unknown>[] }>('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(key).not.toHaveProperty('d');
    }
  });
});

describe('refunds', () => {
  it('a full refund returns the money, releases the tickets and refuses them at the door', async () => {
    const { auth } = await createOrganizer();
    const { event, order, paid } = await paidOrder(auth);
    const refund = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
    });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({
      status: 'refunded',
      refundedMinor: 7800,
      ticketsReleased: true,
    });
    expect((await sandbox().find(order.payment.paymentId))?.refundedMinor).toBe(7800);

    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))).toMatchObject({
      sold: 0,
      available: 500,
    });
    expect((await checkIn(auth, event.id, paid.tickets[0]?.code ?? '')).body.result).toBe(
      'refunded',
    );
    expect((await getOrder(order.orderId, order.orderToken)).body.tickets).toEqual([]);

    const twice = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
    });
    expect(twice.status).toBe(409);
    expect((await sandbox().find(order.payment.paymentId))?.refundedMinor).toBe(7800);
  });

  it('partial refunds move money only, and never past what was paid', async () => {
    const { auth } = await createOrganizer();
    const { event, order, paid } = await paidOrder(auth);
    const part = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
      body: { amountMinor: 1000 },
    });
    expect(part.body).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 1000,
      ticketsReleased: false,
    });
    const tooMuch = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
      body: { amountMinor: 6801 },
    });
    expect(tooMuch.status).toBe(422);
    const rest = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
      body: { amountMinor: 6800 },
    });
    expect(rest.body).toMatchObject({
      status: 'refunded',
      refundedMinor: 7800,
      ticketsReleased: true,
    });
    expect((await sandbox().find(order.payment.paymentId))?.refundedMinor).toBe(7800);
    expect((await checkIn(auth, event.id, paid.tickets[1]?.code ?? '')).body.result).toBe(
      'refunded',
    );
  });

  it('concurrent full refunds refund once', async () => {
    const { auth } = await createOrganizer();
    const { order } = await paidOrder(auth);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, { headers: auth }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect((await sandbox().find(order.payment.paymentId))?.refundedMinor).toBe(7800);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM refunds WHERE order_id = ?', order.orderId),
    ).toBe(1);
  });
});

describe('the cron sweep', () => {
  it('expires abandoned orders after the grace period and re-queues stuck payment events', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const abandoned = await pendingOrder(event, 'ga', 1);
    const stuck = await pendingOrder(event, 'ga', 1);
    // A recorded event whose queue message was lost.
    const webhook = await signedSandboxWebhook(stuck.payment.paymentId, 'succeed');
    const providerEvent = JSON.parse(webhook.body) as { id: string };
    await env.DB.prepare(
      "INSERT INTO payment_events (id, provider, provider_event_id, type, kind, payment_id, order_id, amount_minor, currency, payload, created_at) VALUES (?, 'sandbox', ?, 'payment_intent.succeeded', 'payment_succeeded', ?, ?, 3900, 'EUR', ?, ?)",
    )
      .bind(
        'pe_stuck',
        providerEvent.id,
        stuck.payment.paymentId,
        stuck.orderId,
        webhook.body,
        new Date(Date.now() - 10 * 60_000).toISOString(),
      )
      .run();

    const anHourLater = Date.now() + 60 * 60_000;
    const result = await sweep(env, anHourLater);
    expect(result.requeued).toBe(1);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await getOrder(abandoned.orderId, abandoned.orderToken)).body.status).toBe('expired');
    // The re-queued event pays the stuck order (a late payment: re-reserved).
    await waitForStatus(stuck.orderId, stuck.orderToken, 'paid');
  });

  // The scheduled handler and the sweep's boundaries: test/sweep.test.ts.
});
