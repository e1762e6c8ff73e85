import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEvent, fixtureUrl, launchBrowser, screenshot } from './harness';
import { expectCount, expectQrCodesShown, focusedLabel, tabTo } from './widget-steps';

/** Waiting for a state (the payment is confirmed through the real queue), not timing it. */
const WAIT = { timeout: 30_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

it('a buyer buys two tickets with the keyboard alone', async () => {
  const event = await createEvent();
  const page = await browser.newPage();
  await page.goto(fixtureUrl('widget', { event: event.slug }));
  const widget = page.locator('tessera-tickets');
  await expectCount(widget.getByText('General admission'), 1);
  // Loading the list does not steal the host page's focus.
  expect(await focusedLabel(page)).toBe('');

  await tabTo(page, 'Add one General admission');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await expectCount(widget.getByText('€78.00'), 1);
  // The stepper keeps focus while its count changes.
  expect(await focusedLabel(page)).toBe('Add one General admission');
  await tabTo(page, 'Reserve tickets');
  await page.keyboard.press('Enter');

  // Focus follows the flow to the next step's heading; the form is next in Tab order.
  await expect.poll(() => focusedLabel(page), WAIT).toBe('Your details');
  await tabTo(page, 'name');
  await page.keyboard.type('Grace Hopper');
  await page.keyboard.press('Tab');
  expect(await focusedLabel(page)).toBe('email');
  await page.keyboard.type('grace@example.com');
  await page.keyboard.press('Enter');

  await expect.poll(() => focusedLabel(page), WAIT).toBe('Payment');
  await tabTo(page, 'Pay €78.00');
  await screenshot(page, 'keyboard-focus-on-pay');
  await page.keyboard.press('Enter');

  await expect.poll(() => focusedLabel(page), WAIT).toBe('Thank you! Here are your tickets.');
  await expectQrCodesShown(widget, 2);
  await tabTo(page, 'View your order');
  await screenshot(page, 'keyboard-confirmed');
});

it('overlay mode: a dialog that keeps focus inside, closes on Escape and returns focus', async () => {
  const event = await createEvent();
  const page = await browser.newPage();
  await page.goto(fixtureUrl('widget-overlay', { event: event.slug }));
  const widget = page.locator('tessera-tickets');
  const opener = widget.getByRole('button', { name: 'Tickets kaufen' });
  await expectCount(opener, 1);

  await tabTo(page, 'Tickets kaufen');
  await page.keyboard.press('Enter');
  const dialog = widget.getByRole('dialog');
  await expectCount(dialog, 1);
  await expectCount(
    dialog.getByRole('button', { name: 'Ein Ticket „General admission“ hinzufügen' }),
    1,
  );
  await screenshot(page, 'overlay-open');

  // Tab and Shift+Tab cycle within the dialog: 30 presses never reach the host page's link.
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    seen.add(await focusedLabel(page));
  }
  expect(seen.has('Programm')).toBe(false);
  expect(seen.has('Schließen')).toBe(true);
  expect(seen.has('Tickets reservieren')).toBe(true);

  await page.keyboard.press('Escape');
  await expectCount(dialog, 0);
  expect(await focusedLabel(page)).toBe('Tickets kaufen');

  // Reopened, the choice is still there; the close button also returns focus.
  await page.keyboard.press('Enter');
  await tabTo(page, 'Ein Ticket „General admission“ hinzufügen');
  await page.keyboard.press('Enter');
  await expectCount(dialog.getByText('39,00 €'), 2);
  await tabTo(page, 'Schließen');
  await page.keyboard.press('Enter');
  await expectCount(dialog, 0);
  expect(await focusedLabel(page)).toBe('Tickets kaufen');
});
