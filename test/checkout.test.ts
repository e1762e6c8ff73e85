import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { call, createOrganizer, createPublishedEvent, typeId } from './support/api';
import {
  checkoutHold,
  countRows,
  expireAllHolds,
  holdTickets,
  pendingOrder,
  postWebhook,
  signedSandboxWebhook,
  waitForStatus,
} from './support/purchase';

describe('checkout', () => {
  it('the same Idempotency-Key twice answers the same order, token and payment', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 2);
    const key = crypto.randomUUID();
    const first = await checkoutHold(hold.body.holdId, key);
    const second = await checkoutHold(hold.body.holdId, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM orders WHERE hold_id = ?', hold.body.holdId),
    ).toBe(1);
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM sandbox_payments WHERE order_id = ?',
        first.body.orderId,
      ),
    ).toBe(1);
  });

  it('ten concurrent checkouts with one key create one order', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 1);
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => checkoutHold(hold.body.holdId, key)),
    );
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.orderToken)).size).toBe(1);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM orders WHERE hold_id = ?', hold.body.holdId),
    ).toBe(1);
  });

  it('concurrent checkouts of one hold with different keys: one order, the rest 409', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 1);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => checkoutHold(hold.body.holdId)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(
      answers
        .filter((a) => a.status === 409)
        .map((a) => (a.body as unknown as { code: string }).code),
    ).toEqual(Array(4).fill('hold_in_checkout'));
  });

  it('the same key with another body is refused', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 1);
    const key = crypto.randomUUID();
    await checkoutHold(hold.body.holdId, key);
    const reused = await checkoutHold(hold.body.holdId, key, {
      name: 'Someone Else',
      email: 'else@example.com',
    });
    expect(reused.status).toBe(422);
    expect((reused.body as unknown as { code: string }).code).toBe('idempotency_key_reused');
  });

  it('an expired hold can not be checked out', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 1);
    await expireAllHolds(event.id);
    const answer = await checkoutHold(hold.body.holdId);
    expect(answer.status).toBe(409);
    expect((answer.body as unknown as { code: string }).code).toBe('hold_expired');
    expect(
      await countRows('SELECT COUNT(*) AS n FROM orders WHERE hold_id = ?', hold.body.holdId),
    ).toBe(0);
  });

  it('a free order is paid at once, without a payment', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, {
      ticketTypes: [{ key: 'guest', name: 'Guest list', priceMinor: 0, capacity: 10 }],
      quotas: [],
    });
    const hold = await holdTickets(event, 'guest', 2);
    const answer = await checkoutHold(hold.body.holdId);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 'paid', totalMinor: 0, payment: null });
    const order = await waitForStatus(answer.body.orderId, answer.body.orderToken, 'paid');
    expect(order.tickets).toHaveLength(2);
  });

  it('checkout keeps the hold alive for a short payment window, never past its expiry plus 5 minutes', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, { holdMinutes: 1 });
    const hold = await holdTickets(event, 'ga', 1);
    const placedExpiry = Date.parse(hold.body.expiresAt);
    const answer = await checkoutHold(hold.body.holdId);
    const view = await inventoryFor(env, event.id).getHold(hold.body.holdId);
    expect(view?.orderId).toBe(answer.body.orderId);
    const expiry = Date.parse(view?.expiresAt ?? '');
    // At least the payment window from the checkout (5 minutes), at most 5 past the hold's own.
    expect(expiry - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(expiry).toBeLessThanOrEqual(placedExpiry + 5 * 60_000);
  });
});

describe('holds over HTTP', () => {
  it('300 concurrent buyers against a quota of 100: exactly 100 holds, the rest sold_out', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, {
      ticketTypes: [
        { key: 'ga', name: 'General admission', priceMinor: 3900, capacity: 300 },
        { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 300 },
      ],
      quotas: [{ name: 'Venue', size: 100, ticketTypes: ['ga', 'vip'] }],
    });
    // 300 buyers, each from an address of their own (holds are limited per client).
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        holdTickets(event, i % 3 ? 'ga' : 'vip', 1, {
          'cf-connecting-ip': `10.1.${i >> 8}.${i & 255}`,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(100);
    expect(
      answers.filter(
        (a) => a.status === 409 && (a.body as unknown as { code: string }).code === 'sold_out',
      ),
    ).toHaveLength(200);
    const read = await call<{ ticketTypes: { status: string; available: number }[] }>(
      'GET',
      `/api/v1/events/${event.id}`,
    );
    expect(read.body.ticketTypes.map((t) => t.status)).toEqual(['sold_out', 'sold_out']);
  });

  it('a released hold frees its tickets at once', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, {
      ticketTypes: [{ key: 'ga', name: 'General admission', priceMinor: 3900, capacity: 2 }],
      quotas: [],
    });
    const hold = await holdTickets(event, 'ga', 2);
    expect((await holdTickets(event, 'ga', 1)).status).toBe(409);
    expect((await call('DELETE', `/api/v1/holds/${hold.body.holdId}`)).status).toBe(204);
    expect(
      (await call<{ state: string }>('GET', `/api/v1/holds/${hold.body.holdId}`)).body.state,
    ).toBe('released');
    expect((await holdTickets(event, 'ga', 2)).status).toBe(201);
  });

  it('a paid order frees no held tickets twice and converts the hold', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 2);
    await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
    await waitForStatus(order.orderId, order.orderToken, 'paid');
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))).toMatchObject({
      sold: 2,
      held: 0,
      available: 498,
    });
    expect(snapshot?.quotas[0]).toMatchObject({ size: 520, sold: 2, held: 0 });
  });
});
