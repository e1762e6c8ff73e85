import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../support/pdf-content';
import { createEvent, e2e, launchBrowser, purchaseViaApi, screenshot, typeId } from './harness';

/**
 * The buyer's downloads from the order page in a real browser, under the page's CSP: the
 * PDF and the calendar file arrive as downloads and read back right, and the confirmation
 * can be sent again by the form.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function downloadBy(
  page: Page,
  link: string,
): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ]);
  const path = await download.path();
  return { download, bytes: await readFile(path) };
}

describe('buyer downloads on the order page', () => {
  it('downloads the PDF tickets and the calendar file, and resends the confirmation', async () => {
    const event = await createEvent();
    const order = await purchaseViaApi(event, [{ ticketTypeId: typeId(event, 'ga'), quantity: 2 }]);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) violations.push(message.text());
    });
    const orderUrl = `${e2e().tesseraOrigin}/orders/${order.orderId}?token=${encodeURIComponent(order.orderToken)}`;
    await page.goto(orderUrl);

    const pdf = await downloadBy(page, 'Download PDF tickets');
    expect(pdf.download.suggestedFilename()).toBe(`tickets-${order.orderId}.pdf`);
    const pages = await readPdf(new Uint8Array(pdf.bytes));
    expect(pages).toHaveLength(2);
    for (const [i, content] of pages.entries()) {
      expect(content.lines).toContain(order.tickets[i]?.id);
      expect(content.lines).toContain(order.orderId);
      expect(content.lines).toContain('Grace Hopper');
    }

    const ics = await downloadBy(page, 'Add to calendar');
    expect(ics.download.suggestedFilename()).toBe(`${event.slug}.ics`);
    const lines = ics.bytes
      .toString('utf8')
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain(`UID:${order.orderId}.${event.id}@${new URL(orderUrl).hostname}`);
    expect(lines.some((line) => /^DTSTART:\d{8}T\d{6}Z$/.test(line))).toBe(true);

    await page.getByRole('button', { name: 'Send the confirmation again' }).click();
    await page.waitForURL(/resent=1/);
    await expect
      .poll(() => page.getByText('We sent your confirmation again to grace@example.com.').count())
      .toBe(1);
    await screenshot(page, 'hosted-order-page-resent');
    expect(violations).toEqual([]);
    await context.close();
  });
});
