import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createEvent, fixtureUrl, launchBrowser, screenshot, typeId } from './harness';
import { expectCount, expectQrCodesShown } from './widget-steps';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Queue {
  queueToken: string;
  state: 'waiting' | 'admitted';
  admissionToken?: string;
}

/** Waits for a state, not a time: admission comes with the room's next tick. */
const WAIT = { timeout: 60_000, interval: 500 };

it('waits in the room in the page, keeps its place on reload, then buys once admitted', async () => {
  // One shopper at a time: whoever is admitted first keeps the only slot.
  const event = await createEvent({
    waitingRoom: { mode: 'always', activeLimit: 1, admitPerMinute: 600 },
  });
  const joined = await api<Queue>('POST', `/api/v1/events/${event.id}/queue`);
  expect(joined.status).toBe(201);
  const bearer = { authorization: `Bearer ${joined.body.queueToken}` };
  let first: Queue = joined.body;
  await expect
    .poll(async () => {
      const status = await api<Queue>('GET', `/api/v1/events/${event.id}/queue/status`, {
        headers: bearer,
      });
      first = status.body;
      return first.state;
    }, WAIT)
    .toBe('admitted');

  const page = await browser.newPage();
  await page.goto(fixtureUrl('widget', { event: event.slug }));
  const widget = page.locator('tessera-tickets');
  // A line of the view (the live region repeats the position for screen readers).
  const line = (text: string) => widget.locator('p', { hasText: text });
  await expectCount(widget.getByRole('heading', { name: 'You are in the waiting room' }), 1);
  await expectCount(line('Your place in line: 1'), 1);
  await expectCount(line('People ahead of you: 0'), 1);
  await expectCount(widget.getByRole('progressbar', { name: 'Progress in the waiting room' }), 1);
  await screenshot(page, 'waiting-room');
  const token = await page.evaluate(
    (id) => sessionStorage.getItem(`tessera:queue:${id}`),
    event.id,
  );
  expect(token).toBeTruthy();

  // A reload keeps the place: the stored token joins as the same buyer.
  await page.reload();
  await expectCount(line('Your place in line: 1'), 1);
  expect(await page.evaluate((id) => sessionStorage.getItem(`tessera:queue:${id}`), event.id)).toBe(
    token,
  );

  // The first shopper holds and lets go: the slot frees, the widget's buyer is admitted.
  const admission = { 'tessera-admission': first.admissionToken ?? '' };
  const items = [{ ticketTypeId: typeId(event, 'ga'), quantity: 1 }];
  const hold = await api<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items },
    headers: admission,
  });
  expect(hold.status).toBe(201);
  expect((await api('DELETE', `/api/v1/holds/${hold.body.holdId}`)).status).toBe(204);

  const add = widget.getByRole('button', { name: 'Add one General admission' });
  await expect.poll(() => add.count(), WAIT).toBe(1);
  await screenshot(page, 'waiting-room-admitted');
  await add.click();
  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  await widget.getByLabel('Name').fill('Ada Lovelace');
  await widget.getByLabel('Email').fill('ada@example.com');
  await widget.getByRole('button', { name: 'Continue to payment' }).click();
  await widget.getByRole('button', { name: 'Pay €39.00' }).click();
  await expectQrCodesShown(widget, 1);
  await page.close();
});
