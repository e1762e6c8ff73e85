import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEvent, fixtureUrl, launchBrowser, screenshot } from './harness';
import { expectCount, expectQrCodesShown, hostEvents, recordHostEvents } from './widget-steps';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('several widgets on one page work independently, each in its own language and theme', async () => {
  const [friday, saturday] = await Promise.all([createEvent(), createEvent()]);
  if (!friday || !saturday) throw new Error('events not created');
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await recordHostEvents(page);
  await page.goto(fixtureUrl('widget-two', { event: friday.slug, event2: saturday.slug }));
  const first = page.locator('#first');
  const second = page.locator('#second');
  await expectCount(first.getByRole('button', { name: 'Add one General admission' }), 1);
  await expectCount(
    second.getByRole('button', { name: 'Ein Ticket „General admission“ hinzufügen' }),
    1,
  );
  // The loader was included twice; the bundle loaded once.
  expect(await page.locator('script[data-tessera-bundle]').count()).toBe(1);

  // The host page themes the second widget through its custom properties.
  const accent = await second
    .getByRole('button', { name: 'Tickets reservieren' })
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(accent).toBe('rgb(124, 45, 18)');

  await first.getByRole('button', { name: 'Add one General admission' }).click();
  await first.getByRole('button', { name: 'Add one General admission' }).click();
  await second.getByRole('button', { name: 'Ein Ticket „VIP“ hinzufügen' }).click();
  await second.getByRole('button', { name: 'Tickets reservieren' }).click();
  await expectCount(second.getByRole('heading', { name: 'Ihre Angaben' }), 1);
  // The first widget still shows its own choice.
  await expectCount(first.getByText('€78.00'), 1);
  await screenshot(page, 'two-widgets');

  await first.getByRole('button', { name: 'Reserve tickets' }).click();
  await first.getByLabel('Name').fill('Ada Lovelace');
  await first.getByLabel('Email').fill('ada@example.com');
  await first.getByRole('button', { name: 'Continue to payment' }).click();
  await first.getByRole('button', { name: 'Pay €78.00' }).click();
  await expectQrCodesShown(first, 2);
  // The second widget's reservation and form are untouched.
  await expectCount(second.getByRole('heading', { name: 'Ihre Angaben' }), 1);
  await expectCount(second.getByText('99,00 €'), 2);

  const events = await hostEvents(page);
  const fromFirst = events.filter((e) => e.from === 'first').map((e) => e.type);
  const fromSecond = events.filter((e) => e.from === 'second').map((e) => e.type);
  expect(fromFirst).toEqual(['tessera:ready', 'tessera:hold', 'tessera:order-completed']);
  expect(fromSecond).toEqual(['tessera:ready', 'tessera:hold']);
  expect(events.find((e) => e.from === 'second')?.detail).toEqual({ eventId: saturday.id });
  await page.close();
});
