import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dashboardUrl, type FocusStop, linkFromOutbox, newEmail, tabTo } from './dashboard-steps';
import { launchBrowser, screenshot } from './harness';
import { expectCount } from './widget-steps';

/**
 * The dashboard without a mouse: sign-up by magic link and the event editor with Tab, typing,
 * Enter and Space only, and a visible focus ring on every control the keyboard reaches.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const value = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? '');

/** Types into the focused datetime-local field, segment by segment (en-US: mm/dd/yyyy hh:mm). */
async function typeDateTime(page: Page, date: [string, string, string], time: [string, string]) {
  for (const part of date) await page.keyboard.type(part);
  await page.keyboard.press('Tab'); // from the year to the hour
  for (const part of time) await page.keyboard.type(part);
  await page.keyboard.type('P');
}

it('signs up and creates an event with the keyboard alone, the focus always visible', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const stops: FocusStop[] = [];
  const email = newEmail('keyboard');

  // Sign-in: the address, then the button.
  await page.goto(dashboardUrl('/sign-in'));
  await tabTo(page, 'Email address', stops);
  await page.keyboard.type(email);
  await tabTo(page, 'Email me a link', stops);
  await page.keyboard.press('Enter');
  await expectCount(page.getByRole('heading', { name: 'Check your email' }), 1);

  // The link from the outbox, opened in the address bar; its page's button with Space.
  await page.goto(await linkFromOutbox(page, email, { keyboard: true }));
  await tabTo(page, 'Continue', stops);
  await page.keyboard.press('Space');
  await expectCount(page.getByRole('heading', { name: 'Create your workspace' }), 1);

  for (const [label, text] of [
    ['Organizer name', 'Keyboard Club'],
    ['Short name for addresses', `keyboard-${Date.now().toString(36)}`],
    ['Country', 'PT'],
    ['Currency', 'EUR'],
    ['Time zone', 'Europe/Lisbon'],
  ] as const) {
    await tabTo(page, label, stops);
    await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter');
  await expectCount(page.getByRole('heading', { name: 'Keyboard Club', level: 1 }), 1);

  // The editor: fill in, leave the venue out, and press Enter in a field.
  await tabTo(page, 'New event', stops);
  await page.keyboard.press('Enter');
  await expectCount(page.getByRole('heading', { name: 'New event', level: 1 }), 1);
  await tabTo(page, 'Title', stops);
  await page.keyboard.type('Keyboard Night');
  await tabTo(page, 'Time zone', stops);
  await page.keyboard.type('Europe/Madrid'); // a closed select picks by typing
  expect(await value(page)).toBe('Europe/Madrid');
  await tabTo(page, 'Starts', stops);
  await typeDateTime(page, ['03', '01', '2030'], ['07', '30']);
  expect(await value(page)).toBe('2030-03-01T19:30');
  for (const [label, text] of [
    ['Name', 'Standing'],
    ['Price', '15.00'],
    ['Capacity', '50'],
  ] as const) {
    await tabTo(page, label, stops);
    await page.keyboard.type(text);
  }
  await tabTo(page, 'Waiting room', stops);
  await page.keyboard.type('Automatic');
  expect(await value(page)).toBe('auto');
  await tabTo(page, 'Automatic above', stops);
  await page.keyboard.type('500');
  await page.keyboard.press('Enter'); // saves: the form's default button is "save"

  await expectCount(page.getByRole('heading', { name: 'There is a problem' }), 1);
  await expectCount(page.getByRole('link', { name: /^Venue: / }), 1);
  expect(
    await page.getByRole('textbox', { name: 'Venue', exact: true }).getAttribute('aria-invalid'),
  ).toBe('true');
  await screenshot(page, 'keyboard-new-event-errors', 'dashboard');

  // Drawn again as typed: add the venue and a quota, tick the type with Space, save with Space.
  await tabTo(page, 'Venue', stops);
  await page.keyboard.type('The Keyboard Club');
  await tabTo(page, 'Add another quota', stops);
  await page.keyboard.press('Space');
  await expectCount(page.getByRole('group', { name: 'Quota 1' }), 1);
  await tabTo(page, 'Quota name', stops);
  await page.keyboard.type('Floor');
  await tabTo(page, 'Size', stops);
  await page.keyboard.type('45');
  await tabTo(page, 'Standing', stops);
  await page.keyboard.press('Space');
  expect(await page.getByRole('checkbox', { name: 'Standing' }).isChecked()).toBe(true);
  await tabTo(page, 'Create draft', stops);
  await page.keyboard.press('Space');
  await expectCount(page.getByText('Draft created. Publish it when it is ready to sell.'), 1);
  await expectCount(page.getByRole('cell', { name: 'Standing' }), 1);

  // Every control the keyboard reached showed where the focus was.
  const unseen = stops.filter((stop) => stop.outline.startsWith('none'));
  expect(unseen).toEqual([]);
  expect(stops.length).toBeGreaterThan(30);
  await context.close();
});
