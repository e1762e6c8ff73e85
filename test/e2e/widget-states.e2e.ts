import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createEvent, fixtureUrl, launchBrowser, screenshot, typeId } from './harness';
import { expectCount, expectQrCodesShown, reachPayment } from './widget-steps';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An event with few tickets: 2 General admission, 1 VIP. */
const small = {
  ticketTypes: [
    { key: 'ga', name: 'General admission', priceMinor: 3900, capacity: 2 },
    { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 1 },
  ],
  quotas: [{ name: 'Venue', size: 3, ticketTypes: ['ga', 'vip'] }],
};

/** Another buyer holds tickets through the API. */
async function holdElsewhere(eventId: string, items: { ticketTypeId: string; quantity: number }[]) {
  const hold = await api('POST', `/api/v1/events/${eventId}/holds`, { body: { items } });
  expect(hold.status).toBe(201);
}

async function openWidget(event: string, fixture = 'widget') {
  page = await browser.newPage();
  await page.goto(fixtureUrl(fixture, { event }));
  return page.locator('tessera-tickets');
}

it('shows the sold-out state when every ticket is gone', async () => {
  const event = await createEvent(small);
  await holdElsewhere(event.id, [
    { ticketTypeId: typeId(event, 'ga'), quantity: 2 },
    { ticketTypeId: typeId(event, 'vip'), quantity: 1 },
  ]);
  const widget = await openWidget(event.slug);
  await expectCount(widget.getByRole('heading', { name: 'Sold out' }), 1);
  await expectCount(widget.getByText('All tickets for this event are gone.'), 1);
  await screenshot(page, 'sold-out');
  await page.close();
});

it('sold out while choosing: says so and refreshes the list', async () => {
  const event = await createEvent(small);
  const widget = await openWidget(event.slug);
  await widget.getByRole('button', { name: 'Add one General admission' }).click();
  await expectCount(widget.getByText('€39.00'), 2); // the price and the total
  await holdElsewhere(event.id, [{ ticketTypeId: typeId(event, 'ga'), quantity: 2 }]);

  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  const alert = widget.getByRole('alert');
  await expectCount(alert.getByText('Sorry, those tickets sold out while you were choosing.'), 1);
  await screenshot(page, 'sold-out-while-choosing');
  await widget.getByRole('button', { name: 'Refresh the list' }).click();
  // General admission is gone (no stepper, a badge); VIP can still be bought.
  await expectCount(widget.getByText('Sold out'), 1);
  await expectCount(widget.getByRole('button', { name: 'Add one General admission' }), 0);
  await expectCount(widget.getByRole('button', { name: 'Add one VIP' }), 1);
  await expectCount(widget.getByText('Few left'), 1);
  await screenshot(page, 'list-after-refresh');
  await page.close();
});

it('a declined payment can be tried again while the tickets stay reserved', async () => {
  const event = await createEvent();
  const widget = await openWidget(event.slug);
  await expectCount(widget.getByText('General admission'), 1);
  await reachPayment(widget);
  await widget.getByRole('button', { name: 'Decline' }).click();
  const alert = widget.getByRole('alert');
  await expectCount(
    alert.getByText('Your payment did not go through. Your tickets are still reserved.'),
    1,
  );
  await screenshot(page, 'payment-failed');
  await widget.getByRole('button', { name: 'Try again' }).click();
  await widget.getByRole('button', { name: 'Pay €78.00' }).click();
  await expectQrCodesShown(widget, 2);
  await page.close();
});

it('changing tickets releases the hold at once and keeps the choice', async () => {
  const event = await createEvent();
  const held = async () => {
    const stats = await api<{ ticketTypes: { held: number }[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { organizer: true },
    );
    return stats.body.ticketTypes.reduce((sum, t) => sum + t.held, 0);
  };
  const widget = await openWidget(event.slug);
  await widget.getByRole('button', { name: 'Add one VIP' }).click();
  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  await expectCount(widget.getByRole('heading', { name: 'Your details' }), 1);
  expect(await held()).toBe(1);

  await widget.getByRole('button', { name: 'Change tickets' }).click();
  await expectCount(widget.getByText('€99.00', { exact: true }), 2); // price and total: kept
  await expect.poll(held, { timeout: 30_000 }).toBe(0);
  await page.close();
});

it('a reservation that runs out tells the buyer to choose again', async () => {
  const event = await createEvent();
  page = await browser.newPage();
  await page.clock.install();
  await page.goto(fixtureUrl('widget', { event: event.slug }));
  const widget = page.locator('tessera-tickets');
  await widget.getByRole('button', { name: 'Add one General admission' }).click();
  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  await expectCount(widget.getByText('10:00'), 1);
  const live = widget.locator('[aria-live="polite"]');
  expect(await live.textContent()).toBe('10 minutes left to complete your order.');

  await page.clock.runFor('01:01');
  await expectCount(widget.getByText('8:59'), 1);
  expect(await live.textContent()).toBe('9 minutes left to complete your order.');
  await page.clock.runFor('09:00');
  await expectCount(
    widget.getByText('Your reservation has expired and the tickets were released.'),
    1,
  );
  await screenshot(page, 'hold-expired');
  await widget.getByRole('button', { name: 'Choose again' }).click();
  await expectCount(widget.getByRole('button', { name: 'Reserve tickets' }), 1);
  await page.close();
});

it("counts the reservation down on Tessera's clock when the buyer's is ten minutes behind", async () => {
  const event = await createEvent();
  page = await browser.newPage();
  // The buyer's clock is wrong; without the server's Date the 10-minute hold would show 20:00.
  await page.clock.install({ time: Date.now() - 10 * 60_000 });
  await page.goto(fixtureUrl('widget', { event: event.slug }));
  const widget = page.locator('tessera-tickets');
  await widget.getByRole('button', { name: 'Add one General admission' }).click();
  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  const countdown = widget.locator('[part="countdown"]');
  await expectCount(countdown, 1);
  expect(await countdown.textContent()).toMatch(/\b(10:00|9:5\d)\b/);
  const live = widget.locator('[aria-live="polite"]');
  expect(await live.textContent()).toBe('10 minutes left to complete your order.');
  await page.close();
});

it('before sales open it says when they do', async () => {
  const event = await createEvent({ salesStartAt: '2029-06-01T08:00:00Z' });
  const widget = await openWidget(event.slug);
  await expectCount(widget.getByRole('heading', { name: 'Not on sale' }), 1);
  await expectCount(widget.getByText('On sale from June 1, 2029 at 10:00 AM GMT+2.'), 1);
  await screenshot(page, 'not-on-sale');
  await page.close();
});
