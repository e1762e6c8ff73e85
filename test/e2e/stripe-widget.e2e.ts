import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createEvent, e2e, screenshot } from './harness';
import { CARD, completeBankRedirect, expectOrderPagePaid } from './stripe-steps';
import {
  expectCount,
  expectQrCodesShown,
  hostEvents,
  openWidgetPage,
  PHONE,
  reachPayment,
  useBrowser,
  type WidgetPage,
} from './widget-steps';

/**
 * Issue 10: the widget on an organizer's page (another origin), at phone size, pays through
 * Stripe's Payment Element mounted in its light-DOM slot: the stand-in Stripe.js
 * (harness/stripe-stand-in.ts) is loaded only at the payment step, 3-D Secure happens in the
 * page (or at the bank's page, then Tessera's order page), and the stand-in's signed webhooks
 * pay the order through Tessera's real webhook path.
 */

const browser = useBrowser();

/** The widget at phone size on the organizer's site, at the Stripe payment step. */
async function openWidget(): Promise<WidgetPage> {
  const event = await createEvent({}, { server: 'stripe' });
  const opened = await openWidgetPage(browser(), event.slug, PHONE, { server: 'stripe' });
  await reachPayment(opened.widget);
  return opened;
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

  it("3-D Secure at the bank's page: the buyer leaves, comes back to the order page, paid with tickets", async () => {
    const { page, close } = await openWidget();
    await payWith(page, CARD.threeDsRedirect);
    await completeBankRedirect(page);
    // Stripe returned the buyer to the order's page on Tessera (the widget's return URL).
    expect(new URL(page.url()).origin).toBe(e2e().stripe.tesseraOrigin);
    await expectOrderPagePaid(page, 2);
    await screenshot(page, 'stripe-widget-3ds-redirect-returned-phone');
    await close();
  });
});
