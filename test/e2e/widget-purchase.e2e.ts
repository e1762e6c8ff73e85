import type { BrowserContextOptions } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createEvent, screenshot } from './harness';
import {
  expectCount,
  expectQrCodesShown,
  hostEvents,
  openWidgetPage,
  PHONE,
  reachPayment,
  useBrowser,
} from './widget-steps';

const browser = useBrowser();

const viewports: [string, BrowserContextOptions][] = [
  ['desktop', { viewport: { width: 1280, height: 900 } }],
  ['phone', PHONE],
];

describe.each(viewports)('a buyer on %s', (name, options) => {
  it('buys two tickets on the organizer page and sees their QR codes', async () => {
    const event = await createEvent();
    const { page, widget, close } = await openWidgetPage(browser(), event.slug, options);
    const shot = (state: string) => screenshot(page, `${name}-${state}`);

    await expectCount(widget.getByText('General admission'), 1);
    await expectCount(widget.getByText('€39.00'), 1);
    await shot('ticket-list');

    await reachPayment(widget, shot);
    await widget.getByRole('button', { name: 'Pay €78.00' }).click();
    await expectCount(
      widget.getByRole('heading', { name: 'Thank you! Here are your tickets.' }),
      1,
    );
    await expectQrCodesShown(widget, 2);
    const orderLink = widget.getByRole('link', { name: 'View your order' });
    const href = (await orderLink.getAttribute('href')) ?? '';
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/orders\/ord_\w+\?token=/);
    await shot('confirmed');

    // The buyer never left the organizer's page, which is on another origin than Tessera.
    expect(page.url()).toContain('/widget.html');
    expect(new URL(page.url()).origin).not.toBe(new URL(href).origin);

    const events = await hostEvents(page);
    expect(events.map((e) => e.type)).toEqual([
      'tessera:ready',
      'tessera:hold',
      'tessera:order-completed',
    ]);
    expect(events[0]?.detail).toEqual({ eventId: event.id });
    expect(events[1]?.detail).toMatchObject({ items: [{ quantity: 2 }] });
    const completed = events[2]?.detail as { orderId: string; totalMinor: number };
    expect(completed).toMatchObject({ totalMinor: 7800, currency: 'EUR' });

    // The server agrees: the order the page announced is paid, with two tickets.
    const token = new URL(href).searchParams.get('token') ?? '';
    const order = await api<{ status: string; tickets: unknown[] }>(
      'GET',
      `/api/v1/orders/${completed.orderId}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(order.body.status).toBe('paid');
    expect(order.body.tickets).toHaveLength(2);
    await close();
  });
});
