import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, fixtureUrl, launchBrowser, screenshot } from './harness';
import {
  expectCount,
  expectQrCodesShown,
  hostEvents,
  reachPayment,
  recordHostEvents,
} from './widget-steps';

/**
 * Issue 10: the widget on an organizer's page (another origin), at phone size, pays through
 * Stripe's Payment Element mounted in its light-DOM slot: the stand-in Stripe.js
 * (harness/stripe-stand-in.ts) is loaded only at the payment step, 3-D Secure happens in the
 * page, and the stand-in's signed webhooks pay the order through Tessera's real webhook path.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CARD = {
  pays: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  threeDs: '4000 0027 6000 3184',
};

async function openWidget(): Promise<{ page: Page; widget: Locator; close: () => Promise<void> }> {
  const event = await createEvent({}, { server: 'stripe' });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await recordHostEvents(page);
  await page.goto(fixtureUrl('widget', { event: event.slug, server: 'stripe' }));
  const widget = page.locator('tessera-tickets');
  await reachPayment(widget);
  return { page, widget, close: () => context.close() };
}

/** The Payment Element lives in the host page's DOM, as a child of the widget. */
async function payWith(page: Page, card: string): Promise<void> {
  const slot = page.locator('tessera-tickets > [slot="payment"]');
  await expectCount(slot.getByLabel('Card number'), 1);
  await slot.getByLabel('Card number').fill(card);
  await expect.poll(() => slot.getByRole('button', { name: 'Pay €78.00' }).isEnabled()).toBe(true);
  await slot.getByRole('button', { name: 'Pay €78.00' }).click();
}

async function expectPaid(page: Page, widget: Locator): Promise<void> {
  await expectQrCodesShown(widget, 2);
  await expect
    .poll(() => widget.locator('.live').textContent())
    .toBe('Thank you! Here are your tickets.');
  const completed = (await hostEvents(page)).filter((e) => e.type === 'tessera:order-completed');
  expect(completed).toHaveLength(1);
  expect(await page.locator('tessera-tickets > [slot="payment"]').count()).toBe(0);
}

describe('the widget pays with the Payment Element in its light-DOM slot', () => {
  it('a card: the element mounts outside the shadow root, the order is paid, tickets shown', async () => {
    const { page, widget, close } = await openWidget();
    const inShadow = await page.evaluate(
      () =>
        document
          .querySelector('tessera-tickets')
          ?.shadowRoot?.querySelector('input[name="cardnumber"]') ?? null,
    );
    expect(inShadow).toBeNull();
    await payWith(page, CARD.pays);
    await expectPaid(page, widget);
    await screenshot(page, 'stripe-widget-paid-phone');
    await close();
  });

  it('a decline shows the widget error, and trying again with another card pays', async () => {
    const { page, widget, close } = await openWidget();
    await payWith(page, CARD.declined);
    // The error view says it, and so does the polite live region (no countdown left there).
    await expectCount(widget.getByRole('button', { name: 'Try again' }), 1);
    await expect
      .poll(() => widget.locator('.live').textContent())
      .toBe('Your payment did not go through. Your tickets are still reserved.');
    await screenshot(page, 'stripe-widget-declined-phone');
    await widget.getByRole('button', { name: 'Try again' }).click();
    await payWith(page, CARD.pays);
    await expectPaid(page, widget);
    await close();
  });

  it('3-D Secure in the page (redirect only if required), then paid', async () => {
    const { page, widget, close } = await openWidget();
    await payWith(page, CARD.threeDs);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await expectPaid(page, widget);
    await close();
  });
});
