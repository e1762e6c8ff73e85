import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, e2e, launchBrowser, screenshot, typeId } from './harness';

/**
 * The hosted buyer pages in a real browser, with their Content-Security-Policy on: every
 * step works, the pages' own scripts run (countdown, print button, waiting-room poll), and
 * the browser reports no CSP violation anywhere on the way.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Collects CSP violations: the DOM event (all of them) and Chromium's console reports. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${location.pathname}`);
    });
  });
  return async () => {
    const current = await page.evaluate(
      () => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [],
    );
    return [...console, ...current];
  };
}

/** Every page's violations, read before leaving it (a navigation resets the page's list). */
async function expectNoViolations(violations: () => Promise<string[]>, step: string) {
  expect(await violations(), step).toEqual([]);
}

describe('hosted pages under their CSP', () => {
  it('a purchase from the event page to the printable ticket, with no CSP violation', async () => {
    const event = await createEvent();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations = await watchCsp(page);
    const base = e2e().tesseraOrigin;

    const response = await page.goto(`${base}/e/${event.slug}`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator(`select[name="qty_${typeId(event, 'ga')}"]`).selectOption('2');
    await expectNoViolations(violations, 'event page');
    await page.locator('form[action$="/hold"] button[type="submit"]').click();

    // Checkout: the countdown script runs (it is allowed by its hash).
    await page.waitForURL(/\/checkout\/hold_/);
    await expect.poll(() => page.locator('#hold-left').textContent()).toMatch(/\d\d:\d\d left/);
    await expectNoViolations(violations, 'checkout page');
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByRole('button', { name: /Continue to payment/ }).click();

    // The sandbox payment page, then the order page reloading until the webhook is in.
    await page.waitForURL(/\/sandbox\/pay\//);
    await expectNoViolations(violations, 'sandbox payment page');
    await page.getByRole('button', { name: 'Pay successfully' }).click();
    await page.waitForURL(/\/orders\/ord_\w+\?token=/);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('.badge.paid').count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    await expect.poll(() => page.locator('.qr svg').count()).toBe(2);
    await expectNoViolations(violations, 'order page');
    await screenshot(page, 'hosted-order-page');

    // The ticket page: the print button is shown by its script.
    await page.getByRole('link', { name: 'Open or print' }).first().click();
    await page.waitForURL(/\/tickets\/tkt_\w+\?token=/);
    await expect.poll(() => page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await expectNoViolations(violations, 'ticket page');
    await context.close();
  });

  it('the waiting page polls its status under the CSP, with no violation', async () => {
    const event = await createEvent({ waitingRoom: { mode: 'always', admitPerMinute: 1 } });
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page);
    const polls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/queue/status.json')) polls.push(request.url());
    });

    await page.goto(`${e2e().tesseraOrigin}/e/${event.slug}`);
    await page.getByRole('button', { name: 'Join the waiting room' }).click();
    await page.waitForURL(/\/queue$/);
    // The poll script's fetch (connect-src 'self') happens after data-poll seconds.
    await expect.poll(() => polls.length, { timeout: 20_000, interval: 250 }).toBeGreaterThan(0);
    await expectNoViolations(violations, 'waiting page');

    // Control: the watch does see a violation, e.g. an inline script nobody hashed.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    await expect
      .poll(violations)
      .toEqual(expect.arrayContaining([expect.stringMatching(/script-src/)]));
    expect(await page.evaluate(() => 'injected' in window)).toBe(false);
    await context.close();
  });
});
