import { type Browser, devices, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, e2e, launchBrowser, screenshot, typeId } from './harness';
import { CARD, completeBankRedirect, expectOrderPagePaid } from './stripe-steps';

/**
 * Issue 10: the hosted pages pay through Stripe's Payment Element, in Chromium at phone size,
 * against the Tessera that uses the local Stripe stand-in (harness/stripe-stand-in.ts): its
 * Stripe.js is loaded by our pay bundle under the order page's CSP, and its webhooks, signed
 * with the test secret, go through Tessera's real webhook path and queue.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** CSP violations of the current document (a navigation starts a new list). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return () =>
    page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
}

/** Event page -> hold -> checkout form -> the order page with the Payment Element. */
async function reachPaymentForm(page: Page, quantity: number): Promise<void> {
  const event = await createEvent({}, { server: 'stripe' });
  await page.goto(`${e2e().stripe.tesseraOrigin}/e/${event.slug}`);
  await page.locator(`select[name="qty_${typeId(event, 'ga')}"]`).selectOption(String(quantity));
  await page.locator('form[action$="/hold"] button[type="submit"]').click();
  await page.waitForURL(/\/checkout\/hold_/);
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByRole('button', { name: /Continue to payment/ }).click();
  await page.waitForURL(/\/orders\/ord_\w+\?token=/);
  // The stand-in's element is mounted into the form's light DOM, and the button enabled.
  await expect.poll(() => page.getByLabel('Card number').count()).toBe(1);
  await expect.poll(() => page.getByRole('button', { name: /^Pay / }).isEnabled()).toBe(true);
}

async function pay(page: Page, card: string): Promise<void> {
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: /^Pay / }).click();
}

describe('the hosted order page with the Payment Element', () => {
  it('pays with a card: Stripe returns to the order page, which shows the tickets', async () => {
    const context = await browser.newContext(devices['iPhone 13']);
    const page = await context.newPage();
    const violations = await watchCsp(page);
    await reachPaymentForm(page, 2);
    const csp = (await page.reload())?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain(`script-src 'self' https://js.stripe.com`);
    expect(csp).toContain(e2e().stripe.standInOrigin);
    await expect.poll(() => page.getByLabel('Card number').count()).toBe(1);
    expect(await violations()).toEqual([]);
    await screenshot(page, 'stripe-hosted-payment-form-phone');

    await pay(page, CARD.pays);
    await page.waitForURL(/redirect_status=succeeded/);
    await expectOrderPagePaid(page, 2);
    await screenshot(page, 'stripe-hosted-paid-phone');
    await context.close();
  });

  it('a declined card says why and keeps the form; another card then pays', async () => {
    const context = await browser.newContext(devices['iPhone 13']);
    const page = await context.newPage();
    await reachPaymentForm(page, 1);
    await pay(page, CARD.declined);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Your card was declined.');
    await screenshot(page, 'stripe-hosted-declined-phone');

    await pay(page, CARD.pays);
    await page.waitForURL(/redirect_status=succeeded/);
    await expectOrderPagePaid(page, 1);
    await context.close();
  });

  it('3-D Secure: a redirect to the bank and back, then paid', async () => {
    const context = await browser.newContext(devices['iPhone 13']);
    const page = await context.newPage();
    await reachPaymentForm(page, 1);
    await pay(page, CARD.threeDs);
    await completeBankRedirect(page);
    await expectOrderPagePaid(page, 1);
    await context.close();
  });
});
