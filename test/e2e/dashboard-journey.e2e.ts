import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorkspace, dashboardUrl, newEmail, signUp } from './dashboard-steps';
import { e2e, fixtureUrl, launchBrowser, screenshot } from './harness';
import { expectCount, expectQrCodesShown, reachPayment } from './widget-steps';

/**
 * A new organizer, from nothing to a ticket sold on their own site, through the dashboard
 * only: every step is a label typed into or a button pressed, as a person would (no test ids,
 * no API calls), so the test also proves the screens can be used.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The "Sold / capacity" cell of a ticket type on the dashboard's event page. */
async function soldOf(page: Page, typeName: string): Promise<string> {
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: typeName }) });
  return ((await row.getByRole('cell').last().textContent()) ?? '').trim();
}

it('signs up, creates and publishes an event, sells a ticket on their site, sees it sold', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const shot = (name: string) => screenshot(page, `journey-${name}`, 'dashboard');

  // Sign up from the link in the dev outbox, then the workspace.
  await signUp(page, newEmail('journey'));
  await createWorkspace(page, 'Club Nachtfalter');
  await expectCount(page.getByText('4 of 4 steps left.'), 1);

  // The editor: two ticket types sharing one quota, the waiting room, the organizer's site.
  await page.getByRole('link', { name: 'New event' }).click();
  await expectCount(page.getByRole('heading', { name: 'New event', level: 1 }), 1);
  await page.getByLabel('Title').fill('Night Owls Live');
  await page.getByLabel('Starts').fill('2030-03-01T19:00');
  await page.getByLabel('Venue', { exact: true }).fill('Club Nachtfalter');
  const type = (n: number) => page.getByRole('group', { name: `Ticket type ${n}` });
  await type(1).getByLabel('Name').fill('General admission');
  await type(1).getByLabel('Price').fill('39.00');
  await type(1).getByLabel('Capacity').fill('100');
  await page.getByRole('button', { name: 'Add another ticket type' }).click();
  await type(2).getByLabel('Name').fill('Balcony');
  await type(2).getByLabel('Price').fill('25.00');
  await type(2).getByLabel('Capacity').fill('40');
  // The form is drawn again with a quota row listing the two types by name.
  await page.getByRole('button', { name: 'Add another quota' }).click();
  const quota = page.getByRole('group', { name: 'Quota 1' });
  await quota.getByLabel('Quota name').fill('Venue capacity');
  await quota.getByLabel('Size').fill('120');
  await quota.getByRole('checkbox', { name: 'General admission' }).check();
  await quota.getByRole('checkbox', { name: 'Balcony' }).check();
  await page
    .getByRole('combobox', { name: 'Waiting room' })
    .selectOption({ label: 'Automatic: only while more buyers shop than the threshold' });
  // Far above this test's one buyer: the room stays open and the buyer goes straight in.
  await page.getByLabel('Automatic above').fill('1000');
  const site = e2e().allowedSiteOrigin;
  await page.getByLabel('Allowed sites').fill(site);
  await shot('new-event-filled');
  await page.getByRole('button', { name: 'Create draft' }).click();

  await expectCount(page.getByText('Draft created. Publish it when it is ready to sell.'), 1);
  expect(await soldOf(page, 'General admission')).toBe('0 / 100');
  expect(await soldOf(page, 'Balcony')).toBe('0 / 40');
  const eventPage = page.url().split('?')[0] ?? '';
  const slug = ((await page.getByText(/^\/e\//).textContent()) ?? '').replace('/e/', '');
  expect(slug).toBe('night-owls-live');

  // What was saved, as the organizer sees it again in the editor.
  await page.getByRole('link', { name: 'Edit event' }).click();
  const matrix = page.getByRole('table', { name: 'Ticket types and the quotas they draw from' });
  await expectCount(matrix.getByRole('row', { name: 'General admission ● draws' }), 1);
  await expectCount(matrix.getByRole('row', { name: 'Balcony ● draws' }), 1);
  expect(await page.getByRole('combobox', { name: 'Waiting room' }).inputValue()).toBe('auto');
  expect(await page.getByLabel('Allowed sites').inputValue()).toBe(site);
  await page.getByRole('link', { name: 'Back to the event' }).click();

  await page.getByRole('button', { name: 'Publish' }).click();
  await expectCount(page.getByText('Published: tickets are on sale.'), 1);
  await shot('event-published');

  // A buyer on the organizer's own site (another origin), through the widget.
  const buyer = await context.newPage();
  await buyer.goto(fixtureUrl('widget', { event: slug }));
  const widget = buyer.locator('tessera-tickets');
  await expectCount(widget.getByText('Balcony'), 1);
  await reachPayment(widget);
  await widget.getByRole('button', { name: 'Pay €78.00' }).click();
  await expectCount(widget.getByRole('heading', { name: 'Thank you! Here are your tickets.' }), 1);
  await expectQrCodesShown(widget, 2);
  expect(new URL(buyer.url()).origin).toBe(site);
  await buyer.close();

  // Back in the dashboard: the sale shows.
  await page.goto(eventPage);
  await expect
    .poll(async () => {
      await page.reload();
      return soldOf(page, 'General admission');
    })
    .toBe('2 / 100');
  expect(await soldOf(page, 'Balcony')).toBe('0 / 40');
  await shot('event-sold');
  await page.goto(dashboardUrl());
  await shot('home-selling');
  await expectCount(page.getByText('All done: you are selling.'), 1);
  await context.close();
});
