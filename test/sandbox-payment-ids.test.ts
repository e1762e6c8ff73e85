import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../worker/domain/crypto';
import { BASE, type CreatedEvent, createOrganizer, createPublishedEvent } from './support/api';
import { checkoutHold, countRows, holdTickets, pendingOrder } from './support/purchase';

/**
 * Issue 8, finding 2: order ids are not secret (URLs, hold reads, check-in answers), so
 * nothing reached with an order id or a payment id may lead to the order token. Sandbox
 * payment ids are random, and the way back from the sandbox page rides in the buyer's own
 * redirect URL.
 */

let event: CreatedEvent;

beforeAll(async () => {
  const { auth } = await createOrganizer();
  event = await createPublishedEvent(auth);
});

/** Every way the old ids were derived: a hash of the order id or of the idempotency key. */
async function derivedIds(orderId: string, key: string): Promise<string[]> {
  const inputs = [orderId, `payment:${orderId}`, key];
  return Promise.all(
    inputs.map(async (input) => `pi_sandbox_${(await sha256Hex(input)).slice(0, 24)}`),
  );
}

/** GET, or POST a form to, `path` (redirects not followed); the whole answer as text. */
async function send(
  method: 'GET' | 'POST',
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; location: string | null; body: string; text: string }> {
  const response = await SELF.fetch(`${BASE}${path}`, {
    method,
    redirect: 'manual',
    ...(form
      ? {
          body: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }
      : {}),
  });
  const body = await response.text();
  const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`);
  return {
    status: response.status,
    location: response.headers.get('location'),
    body,
    text: `${headers.join('\n')}\n\n${body}`,
  };
}

describe('sandbox payment ids', () => {
  it('are random: two checkouts get unrelated ids, none derived from the order or the key', async () => {
    const keys = [crypto.randomUUID(), crypto.randomUUID()];
    const orders = [];
    for (const key of keys) {
      const hold = await holdTickets(event, 'ga', 1);
      const checkout = await checkoutHold(hold.body.holdId, key);
      expect(checkout.status).toBe(201);
      orders.push({
        key,
        orderId: checkout.body.orderId,
        paymentId: checkout.body.payment?.paymentId ?? '',
      });
    }
    const [first, second] = orders;
    if (!first || !second) throw new Error('two orders');
    for (const order of orders) {
      expect(order.paymentId).toMatch(/^pi_sandbox_[0-9a-z]{24,}$/);
      expect(await derivedIds(order.orderId, order.key)).not.toContain(order.paymentId);
    }
    expect(first.paymentId).not.toBe(second.paymentId);
    // Not sharing a prefix beyond `pi_sandbox_` either (a counter or a clock would).
    expect(first.paymentId.slice(11, 19)).not.toBe(second.paymentId.slice(11, 19));
  });

  it('stay idempotent: the same Idempotency-Key answers the same payment, and only one exists', async () => {
    const hold = await holdTickets(event, 'ga', 1);
    const key = crypto.randomUUID();
    const answers = await Promise.all([
      checkoutHold(hold.body.holdId, key),
      checkoutHold(hold.body.holdId, key),
    ]);
    const again = await checkoutHold(hold.body.holdId, key);
    const ids = [...answers, again].map((a) => a.body.payment?.paymentId);
    expect(new Set(ids).size).toBe(1);
    const orderId = again.body.orderId;
    expect(
      await countRows('SELECT COUNT(*) AS n FROM sandbox_payments WHERE order_id = ?', orderId),
    ).toBe(1);
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM orders WHERE id = ? AND payment_id = ?',
        orderId,
        ids[0],
      ),
    ).toBe(1);
  });
});

describe('the order token', () => {
  it('is on no page reached with only the order id or the payment id, paid or not', async () => {
    const order = await pendingOrder(event, 'ga', 1);
    const { paymentId } = order.payment;
    const secrets = [order.orderToken, encodeURIComponent(order.orderToken)];

    const strangerViews = async () => [
      await send('GET', `/sandbox/pay/${paymentId}`),
      await send('GET', `/orders/${order.orderId}`),
      await send('GET', `/api/v1/orders/${order.orderId}`),
    ];
    const before = await strangerViews();
    // Paying with the payment id alone: the form answer must not lead to the order either.
    const paid = await send('POST', `/sandbox/pay/${paymentId}`, { outcome: 'succeed' });
    expect(paid.status).toBe(303);
    const after = await strangerViews();
    expect(before[0]?.status).toBe(200);
    expect(after[0]?.status).toBe(200);
    for (const view of [...before, paid, ...after]) {
      for (const secret of secrets) expect(view.text).not.toContain(secret);
    }
  });

  it("the buyer's own redirect URL still leads back to the order page after paying", async () => {
    const order = await pendingOrder(event, 'ga', 1);
    const payUrl = new URL(order.payment.redirectUrl);
    expect(payUrl.origin).toBe(BASE);
    const page = await send('GET', `${payUrl.pathname}${payUrl.search}`);
    expect(page.status).toBe(200);
    // Never to another site; `same-origin`, not `no-referrer`, so its form posts with an Origin.
    expect(page.text).toContain('referrer-policy: same-origin');
    expect(page.text).toContain('cache-control: private, no-store');
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const paid = await send('POST', action.replaceAll('&amp;', '&'), { outcome: 'succeed' });
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(
      `${BASE}/orders/${order.orderId}?token=${encodeURIComponent(order.orderToken)}`,
    );
  });

  it('a return URL to another site is dropped, never followed', async () => {
    const order = await pendingOrder(event, 'ga', 1);
    const { paymentId } = order.payment;
    const evil = ['https://evil.example/x', '//evil.example/x', 'javascript:alert(1)'];
    for (const target of evil) {
      const page = await send(
        'GET',
        `/sandbox/pay/${paymentId}?return=${encodeURIComponent(target)}`,
      );
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('evil.example');
      expect(page.body).not.toContain('javascript:');
    }
    const query = `?return=${encodeURIComponent(evil[0] ?? '')}`;
    const paid = await send('POST', `/sandbox/pay/${paymentId}${query}`, { outcome: 'succeed' });
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`/sandbox/pay/${paymentId}`);
  });
});
