import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualClock, storedAlarm } from '../durable-objects/inventory/test-support';
import { inventoryFor } from '../worker/catalog/inventory';
import { newHoldId } from '../worker/domain/ids';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  type JsonResponse,
  typeId,
} from './support/api';
import {
  type CheckoutBody,
  holdTickets,
  postWebhook,
  signedSandboxWebhook,
  waitForStatus,
} from './support/purchase';
import { clearOfWindowEdge } from './support/rate-window';

/**
 * Denial of inventory (docs/DESIGN.md "Limits"): holds and checkouts are rate limited per
 * client (an IPv4 address, an IPv6 /64) and event; one client holds at most so many tickets
 * at once; checking a hold out can not keep its tickets off sale past a short window.
 */

const { auth } = await createOrganizer('Limits organizer');
const MINUTE = 60_000;
const ip = (address: string) => ({ 'cf-connecting-ip': address });

afterEach(() => {
  vi.useRealTimers();
});

function gaEvent(overrides: Record<string, unknown>): Promise<CreatedEvent> {
  const { capacity = 1000, ...rest } = overrides;
  return createPublishedEvent(auth, {
    ticketTypes: [{ key: 'ga', name: 'General admission', priceMinor: 2500, capacity }],
    quotas: [],
    ...rest,
  });
}

function expectRateLimited(res: JsonResponse<unknown>, retryAfter: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.headers.get('retry-after')).toBe(String(retryAfter));
  expect(res.body).toMatchObject({ code: 'rate_limited', retryAfterSeconds: retryAfter });
}

async function held(event: CreatedEvent): Promise<{ held: number; available: number }> {
  const snapshot = await inventoryFor(env, event.id).availability();
  const ga = snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'));
  return { held: ga?.held ?? -1, available: ga?.available ?? -1 };
}

function checkout(holdId: string, headers: Record<string, string>, key = crypto.randomUUID()) {
  return call<CheckoutBody>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': key, ...headers },
    body: { holdId, buyer: { name: 'Throwaway', email: 'x@example.com' } },
  });
}

describe('rate limits', () => {
  it('holds: 30 a minute per client and event, an IPv6 client being its /64; then 429 with Retry-After', async () => {
    const event = await gaEvent({ maxPerOrder: 1, maxHeldPerClient: 1000 });
    const other = await gaEvent({ maxPerOrder: 1, maxHeldPerClient: 1000 });
    await clearOfWindowEdge();
    // Two addresses of one /64, written every which way, share one limit.
    const sameNetwork = ['2001:db8:1:2::1', '2001:0DB8:0001:0002:ffff:0:0:7'];
    for (let i = 0; i < 30; i++) {
      const res = await holdTickets(event, 'ga', 1, ip(sameNetwork[i % 2] ?? ''));
      expect(res.status, `hold ${i}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    expectRateLimited(await holdTickets(event, 'ga', 1, ip('2001:db8:1:2:abcd::99')), 60);
    expect(await held(event)).toMatchObject({ held: 30 });
    // Another /64, an IPv4 client, and the same /64 at another event are not limited.
    expect((await holdTickets(event, 'ga', 1, ip('2001:db8:1:3::1'))).status).toBe(201);
    expect((await holdTickets(event, 'ga', 1, ip('203.0.113.30'))).status).toBe(201);
    expect((await holdTickets(other, 'ga', 1, ip('2001:db8:1:2::1'))).status).toBe(201);
    expect(await held(event)).toMatchObject({ held: 32 });
  });

  it('checkouts: 20 a minute per client and event, counted before any lookup; then 429', async () => {
    const event = await gaEvent({});
    await clearOfWindowEdge();
    // Holds nobody placed: each attempt still costs the client one of its 20.
    for (let i = 0; i < 20; i++) {
      const res = await checkout(newHoldId(event.id), ip('198.51.100.40'));
      expect(res.status, JSON.stringify(res.body)).toBe(404);
    }
    expectRateLimited(await checkout(newHoldId(event.id), ip('198.51.100.40')), 60);
    expectRateLimited(await checkout(newHoldId(event.id), ip('::ffff:198.51.100.40')), 60);
    expect((await checkout(newHoldId(event.id), ip('198.51.100.41'))).status).toBe(404);
  });

  it("the hosted page's hold form shares the hold limit and answers 429 as a page, with Retry-After", async () => {
    const event = await gaEvent({ maxPerOrder: 1, maxHeldPerClient: 1000 });
    const form = (address: string) =>
      SELF.fetch(`${BASE}/e/${event.slug}/hold`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'sec-fetch-site': 'same-origin', ...ip(address) },
        body: new URLSearchParams({ [`qty_${typeId(event, 'ga')}`]: '1' }),
      });
    await clearOfWindowEdge();
    for (let i = 0; i < 15; i++) expect((await form('192.0.2.50')).status).toBe(303);
    for (let i = 0; i < 15; i++) {
      expect((await holdTickets(event, 'ga', 1, ip('192.0.2.50'))).status).toBe(201);
    }
    const refused = await form('192.0.2.50');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await refused.text()).toContain('Too many reservations were tried from your connection');
    expect((await form('192.0.2.51')).status).toBe(303);
  });
});

describe('tickets held per client', () => {
  it('ten maxPerOrder holds from one client can not sell out a 100-ticket event; others still buy', async () => {
    const event = await gaEvent({ maxPerOrder: 10, capacity: 100 });
    // Ten different addresses of one /64: one client. The default cap is 2 x maxPerOrder.
    const answers: JsonResponse<{ holdId: string; code?: string }>[] = [];
    for (let i = 1; i <= 10; i++) {
      answers.push(await holdTickets(event, 'ga', 10, ip(`2001:db8:aa:1::${i}`)));
    }
    expect(answers.map((a) => a.status)).toEqual([
      201, 201, 409, 409, 409, 409, 409, 409, 409, 409,
    ]);
    expect(answers[2]?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answers[2]?.body).toMatchObject({ code: 'hold_limit_reached', limit: 20, held: 20 });
    expect(await held(event)).toEqual({ held: 20, available: 80 });
    expect((await holdTickets(event, 'ga', 10, ip('2001:db8:aa:2::1'))).status).toBe(201);
    expect((await holdTickets(event, 'ga', 10, ip('203.0.113.77'))).status).toBe(201);

    // A hold in checkout still counts; a released one no longer does.
    const [first, second] = answers.map((a) => a.body.holdId);
    expect((await checkout(first ?? '', ip('2001:db8:aa:1::1'))).status).toBe(201);
    expect((await holdTickets(event, 'ga', 1, ip('2001:db8:aa:1::1'))).status).toBe(409);
    const released = await call('DELETE', `/api/v1/holds/${second}`, {
      headers: ip('2001:db8:aa:1::2'),
    });
    expect(released.status).toBe(204);
    expect((await holdTickets(event, 'ga', 10, ip('2001:db8:aa:1::3'))).status).toBe(201);

    // The organizer tunes the cap per event.
    const patched = await call<{ maxHeldPerClient: number }>(
      'PATCH',
      `/api/v1/organizer/events/${event.id}`,
      {
        headers: auth,
        body: { maxHeldPerClient: 30 },
      },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.maxHeldPerClient).toBe(30);
    expect((await holdTickets(event, 'ga', 10, ip('2001:db8:aa:1::4'))).status).toBe(201);
    const over = await holdTickets(event, 'ga', 1, ip('2001:db8:aa:1::5'));
    expect(over.body).toMatchObject({ code: 'hold_limit_reached', limit: 30, held: 30 });
  });
});

describe('checkout parking', () => {
  it('hold + checkout with a throwaway buyer keeps no ticket off sale past the window; a late payment is refunded', async () => {
    const event = await gaEvent({ maxPerOrder: 4, capacity: 4, holdMinutes: 10 });
    const stub = inventoryFor(env, event.id);
    const attacker = ip('198.51.100.66');
    const buyer = ip('198.51.100.7');
    const clock = manualClock();

    const hold = await holdTickets(event, 'ga', 4, attacker);
    expect(hold.status).toBe(201);
    const placedExpiry = Date.parse(hold.body.expiresAt);
    // Checked out just before it lapses, for the longest park there is.
    clock.set(placedExpiry - 10_000);
    const parked = await checkout(hold.body.holdId, attacker, 'park-1');
    expect(parked.status, JSON.stringify(parked.body)).toBe(201);
    const windowEnd = Date.parse((await stub.getHold(hold.body.holdId))?.expiresAt ?? '');
    expect(windowEnd).toBeLessThanOrEqual(placedExpiry + 5 * MINUTE);
    expect(await storedAlarm(stub)).toBe(windowEnd);

    // No way to stretch it: checking out again (same key or another) moves nothing.
    expect((await checkout(hold.body.holdId, attacker, 'park-1')).status).toBe(200);
    expect((await checkout(hold.body.holdId, attacker, 'park-2')).body).toMatchObject({
      code: 'hold_in_checkout',
    });
    expect((await stub.getHold(hold.body.holdId))?.expiresAt).toBe(
      new Date(windowEnd).toISOString(),
    );
    expect((await holdTickets(event, 'ga', 1, buyer)).body).toMatchObject({ code: 'sold_out' });

    // The window ends: the object's own alarm gives the tickets back, and a buyer gets them.
    clock.set(windowEnd);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.getHold(hold.body.holdId))?.state).toBe('expired');
    expect(await held(event)).toEqual({ held: 0, available: 4 });
    expect((await holdTickets(event, 'ga', 4, buyer)).status).toBe(201);

    // The parked order paid now (late): nothing left to sell, so the money goes back.
    vi.useRealTimers();
    const payment = parked.body.payment;
    if (!payment) throw new Error('no payment');
    await postWebhook(await signedSandboxWebhook(payment.paymentId, 'succeed'));
    await waitForStatus(parked.body.orderId, parked.body.orderToken, 'refunded');
    expect(await held(event)).toEqual({ held: 4, available: 0 });
  });
});
