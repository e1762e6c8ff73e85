import { describe, expect, it } from 'vitest';
import { createPublishedEvent, typeId, waitFor } from './support/api';
import { seedPaidOrders } from './support/cancellation';
import { memberSession, page, postForm, workspaceApiKey } from './support/dashboard';
import { countRows } from './support/purchase';
import { ledger, paidOrder } from './support/refunds';

/** The dashboard's refunds: an order's page, its refund form with a confirm step, cancel event. */

async function workspaceWithOrder() {
  const { organizerId } = await (async () => {
    const { createOrganizer } = await import('./support/api');
    return createOrganizer();
  })();
  const auth = await workspaceApiKey(organizerId);
  const event = await createPublishedEvent(auth);
  const order = await paidOrder(event);
  return { organizerId, event, ...order };
}

const keyOf = (html: string) => /name="key" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('dashboard refunds', () => {
  it('refunds picked tickets after a confirm step; a double submit refunds once', async () => {
    const { organizerId, order, paid, paymentId } = await workspaceWithOrder();
    const { cookie } = await memberSession(organizerId, 'event_manager');
    const detail = await page(`/dashboard/orders/${order.orderId}`, cookie);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Review refund');
    const ticketId = paid.tickets[0]?.id ?? '';
    const review = await postForm(
      `/dashboard/orders/${order.orderId}/refund`,
      { intent: 'review', mode: 'tickets', ticketIds: [ticketId] },
      { cookie },
    );
    expect(review.status).toBe(200);
    expect(review.text).toContain('Confirm the refund');
    expect(review.text).toContain('€39.00');
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 0 });
    const confirm = {
      intent: 'confirm',
      mode: 'tickets',
      ticketIds: [ticketId],
      key: keyOf(review.text),
    };
    const [first, second] = await Promise.all([
      postForm(`/dashboard/orders/${order.orderId}/refund`, confirm, { cookie }),
      postForm(`/dashboard/orders/${order.orderId}/refund`, confirm, { cookie }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 3900,
      providerRefunds: 1,
    });
    const after = await page(`/dashboard/orders/${order.orderId}`, cookie);
    expect(after.text).toContain('Refunded');
  });

  it('an amount too large is shown on the form (422) and nothing is refunded', async () => {
    const { organizerId, order, paymentId } = await workspaceWithOrder();
    const { cookie } = await memberSession(organizerId, 'admin');
    const refused = await postForm(
      `/dashboard/orders/${order.orderId}/refund`,
      { intent: 'review', mode: 'amount', amount: '78.01' },
      { cookie },
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('more than can still be refunded');
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 0 });
  });

  it('roles: finance reads the order but has no refund form, and may not post one', async () => {
    const { organizerId, order, paymentId } = await workspaceWithOrder();
    const { cookie } = await memberSession(organizerId, 'finance');
    const detail = await page(`/dashboard/orders/${order.orderId}`, cookie);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain('Review refund');
    const refused = await postForm(
      `/dashboard/orders/${order.orderId}/refund`,
      { intent: 'confirm', mode: 'full', key: 'k'.repeat(20) },
      { cookie },
    );
    expect(refused.status).toBe(403);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 0 });
  });

  it('cancel event: confirm, then progress polled until every order is refunded', async () => {
    const { organizerId } = await (await import('./support/api')).createOrganizer();
    const auth = await workspaceApiKey(organizerId);
    const event = await createPublishedEvent(auth);
    await seedPaidOrders(
      { id: event.id, organizerId, ticketTypeId: typeId(event, 'ga'), priceMinor: 3900 },
      4,
      'dash',
    );
    const { cookie } = await memberSession(organizerId, 'owner');
    const base = `/dashboard/events/${event.id}/cancellation`;
    const before = await page(base, cookie);
    expect(before.text).toContain('<strong>4</strong> order(s)');
    const unconfirmed = await postForm(base, {}, { cookie });
    expect(unconfirmed.status).toBe(422);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM event_cancellations WHERE event_id = ?', event.id),
    ).toBe(0);
    const started = await postForm(base, { confirm: 'yes' }, { cookie });
    expect([started.status, started.location]).toEqual([303, base]);
    const running = await page(base, cookie);
    expect(running.text).toContain('id="cancellation-live"');
    const fragment = await waitFor(async () => {
      const res = await page(`${base}/progress`, cookie);
      return res.text.includes('All orders are refunded.') ? res : undefined;
    });
    expect(fragment.text).not.toContain('hx-trigger');
  });
});
