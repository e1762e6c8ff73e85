import { describe, expect, it } from 'vitest';
import { call, createOrganizer, createPublishedEvent, typeId, waitFor } from './support/api';

interface Hold {
  holdId: string;
  expiresAt: string;
}
interface Checkout {
  orderId: string;
  orderToken: string;
  status: string;
  totalMinor: number;
  payment: { provider: string; paymentId: string; redirectUrl: string };
}
interface Order {
  status: string;
  tickets: { id: string; code: string; qrSvgUrl: string }[];
}

describe('the buying spine', () => {
  it('event -> hold -> checkout -> sandbox payment -> paid order -> tickets -> check-in once', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);

    const read = await call<{ ticketTypes: { id: string; status: string; available: number }[] }>(
      'GET',
      `/api/v1/events/${event.slug}`,
    );
    expect(read.status).toBe(200);
    expect(read.body.ticketTypes.map((t) => [t.status, t.available])).toEqual([
      ['available', 500],
      ['available', 50],
    ]);

    const hold = await call<Hold>('POST', `/api/v1/events/${event.id}/holds`, {
      body: { items: [{ ticketTypeId: typeId(event, 'ga'), quantity: 2 }] },
    });
    expect(hold.status).toBe(201);

    const checkout = await call<Checkout>('POST', '/api/v1/checkout', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { holdId: hold.body.holdId, buyer: { name: 'Ada Lovelace', email: 'ada@example.com' } },
    });
    expect(checkout.status).toBe(201);
    expect(checkout.body).toMatchObject({
      status: 'pending_payment',
      totalMinor: 7800,
      currency: 'EUR',
    });
    expect(checkout.body.payment.provider).toBe('sandbox');

    const bearer = { authorization: `Bearer ${checkout.body.orderToken}` };
    const pending = await call<Order>('GET', `/api/v1/orders/${checkout.body.orderId}`, {
      headers: bearer,
    });
    expect(pending.body.status).toBe('pending_payment');
    expect(pending.body.tickets).toEqual([]);

    const paid = await call('POST', `/sandbox/pay/${checkout.body.payment.paymentId}`, {
      body: { outcome: 'succeed' },
    });
    expect(paid.status).toBe(202);

    const order = await waitFor(async () => {
      const res = await call<Order>('GET', `/api/v1/orders/${checkout.body.orderId}`, {
        headers: bearer,
      });
      return res.body.status === 'paid' ? res.body : undefined;
    });
    expect(order.tickets).toHaveLength(2);

    const svg = await call(
      'GET',
      new URL(order.tickets[0]?.qrSvgUrl ?? '').pathname +
        new URL(order.tickets[0]?.qrSvgUrl ?? '').search,
    );
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');

    const stats = await call<{
      ticketTypes: { id: string; sold: number; held: number }[];
      orders: Record<string, number>;
      revenueMinor: number;
    }>('GET', `/api/v1/organizer/events/${event.id}/stats`, { headers: auth });
    expect(stats.body.ticketTypes.find((t) => t.id === typeId(event, 'ga'))).toMatchObject({
      sold: 2,
      held: 0,
    });
    expect(stats.body.orders).toEqual({ paid: 1 });
    expect(stats.body.revenueMinor).toBe(7800);

    const code = order.tickets[0]?.code ?? '';
    const first = await call<{ result: string }>('POST', '/api/v1/checkin', {
      headers: auth,
      body: { eventId: event.id, code },
    });
    expect(first.body.result).toBe('ok');
    const second = await call<{ result: string; firstCheckedInAt: string }>(
      'POST',
      '/api/v1/checkin',
      {
        headers: auth,
        body: { eventId: event.id, code },
      },
    );
    expect(second.body.result).toBe('already_checked_in');
    expect(Date.parse(second.body.firstCheckedInAt)).not.toBeNaN();
  });
});
