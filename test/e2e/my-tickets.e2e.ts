import { readFile } from 'node:fs/promises';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../support/pdf-content';
import { seriousViolations } from './dashboard-steps';
import {
  createEvent,
  type E2eEvent,
  e2e,
  eventBody,
  launchBrowser,
  purchaseViaApi,
  screenshot,
  typeId,
} from './harness';
import { expectCount } from './widget-steps';

/**
 * The buyer's path of issue 11 on a phone: ask for a link by email, open it from the dev
 * outbox, see the orders of two organizers, download a PDF and a calendar file and read them
 * back, show a QR code, sign out. axe-core finds nothing serious on any page of the way.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An event of the second seeded organizer, created and published with its API key. */
async function createSecondOrganizerEvent(title: string): Promise<E2eEvent> {
  const { tesseraOrigin, secondApiKey } = e2e();
  const headers = { authorization: `Bearer ${secondApiKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${tesseraOrigin}/api/v1/organizer/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(eventBody({ title })),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const event = (await created.json()) as E2eEvent;
  const published = await fetch(`${tesseraOrigin}/api/v1/organizer/events/${event.id}/publish`, {
    method: 'POST',
    headers,
  });
  if (published.status !== 200) throw new Error(`publish: ${published.status}`);
  return event;
}

/** The newest "My tickets" link mailed to `email`, read from the dev outbox as a person would. */
async function buyerLinkFromOutbox(page: Page, email: string): Promise<string> {
  await page.goto(`${e2e().tesseraOrigin}/dev/outbox`);
  // The link's mail is "Your tickets"; the confirmations are "Your tickets for <event>".
  const row = page
    .getByRole('row')
    .filter({ hasText: email })
    .getByRole('link', { name: 'Your tickets', exact: true });
  await expect
    .poll(
      async () => {
        if ((await row.count()) > 0) return true;
        await page.reload();
        return false;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  await row.first().click();
  await expectCount(page.getByRole('heading', { name: 'Plain text' }), 1);
  const text = (await page.locator('pre').textContent()) ?? '';
  const link = /https?:\/\/\S+\/my-tickets\/auth\?token=[0-9a-z]{32}/.exec(text)?.[0];
  if (!link) throw new Error(`no My tickets link in the mail: ${text}`);
  return link;
}

async function download(scope: Locator, name: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([
    scope.page().waitForEvent('download'),
    scope.getByRole('link', { name, exact: true }).click(),
  ]);
  return { file, bytes: await readFile(await file.path()) };
}

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  expect(await seriousViolations(page, where), where).toEqual([]);
}

describe('My tickets', () => {
  it('magic link from the outbox, both organizers listed, PDF and .ics read back, QR shown', async () => {
    const email = `buyer-${Date.now().toString(36)}@example.com`;
    const buyer = { name: 'Ada Lovelace', email };
    const owls = await createEvent({ title: 'Night Owls Live' });
    const jazz = await createSecondOrganizerEvent('Harbour Jazz');
    const owlsOrder = await purchaseViaApi(
      owls,
      [{ ticketTypeId: typeId(owls, 'ga'), quantity: 2 }],
      {
        buyer,
      },
    );
    const jazzOrder = await purchaseViaApi(
      jazz,
      [{ ticketTypeId: typeId(jazz, 'vip'), quantity: 1 }],
      {
        buyer: { ...buyer, email: email.toUpperCase() },
      },
    );

    // Phone size; CSP bypassed only so axe-core can be injected (it draws nothing).
    const context = await browser.newContext({
      acceptDownloads: true,
      bypassCSP: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${e2e().tesseraOrigin}/my-tickets`);
    await expectNoSeriousViolations(page, 'email form');
    await page.getByLabel('Email address').fill(`  ${email} `);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expectCount(page.getByRole('heading', { name: 'Check your email' }), 1);
    await expectNoSeriousViolations(page, 'check your email');

    await page.goto(await buyerLinkFromOutbox(page, email));
    await expectNoSeriousViolations(page, 'landing');
    await page.getByRole('button', { name: 'Show my tickets' }).click();
    await expectCount(page.getByRole('heading', { name: 'My tickets', level: 1 }), 1);

    const owlsCard = page.getByRole('region', { name: 'Night Owls Live' });
    const jazzCard = page.getByRole('region', { name: 'Harbour Jazz' });
    await expectCount(owlsCard, 1);
    await expectCount(jazzCard, 1);
    await expectCount(owlsCard.getByText(owlsOrder.orderId), 1);
    await expectCount(jazzCard.getByText(jazzOrder.orderId), 1);
    await expectNoSeriousViolations(page, 'my tickets');
    await screenshot(page, 'my-tickets-phone');

    const pdf = await download(owlsCard, 'Download all tickets (PDF)');
    expect(pdf.file.suggestedFilename()).toBe(`tickets-${owlsOrder.orderId}.pdf`);
    const pages = await readPdf(new Uint8Array(pdf.bytes));
    expect(pages).toHaveLength(2);
    for (const [i, content] of pages.entries()) {
      expect(content.lines).toContain(owlsOrder.tickets[i]?.id);
      expect(content.lines).toContain(owlsOrder.orderId);
      expect(content.lines).toContain('Ada Lovelace');
      expect(content.lines).toContain('Night Owls Live');
    }

    const ics = await download(jazzCard, 'Add to calendar');
    expect(ics.file.suggestedFilename()).toBe(`${jazz.slug}.ics`);
    const lines = ics.bytes
      .toString('utf8')
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('SUMMARY:Harbour Jazz');
    expect(lines).toContain(
      `UID:${jazzOrder.orderId}.${jazz.id}@${new URL(e2e().tesseraOrigin).hostname}`,
    );
    expect(lines).toContain('DTSTART:20300301T190000Z');

    // The QR code: one tap on the ticket shows it, drawn from the order-token route.
    await jazzCard.getByText('Ticket 1: VIP: show QR code').click();
    const qr = jazzCard.getByRole('img', { name: /QR code of ticket 1/ });
    await expect
      .poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectCount(page.getByText('You are signed out on this device.'), 1);
    await page.goto(`${e2e().tesseraOrigin}/my-tickets`);
    await expectCount(page.getByRole('button', { name: 'Email me a link' }), 1);
    await context.close();
  });
});
