/**
 * Steps the Stripe browser tests share (hosted page and widget): the stand-in's test cards
 * (harness/stripe-stand-in.ts) and the order page's paid state.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The stand-in's test cards, as a buyer types them. */
export const CARD = {
  pays: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  /** 3-D Secure: in the page with `redirect: 'if_required'`, at the bank's page otherwise. */
  threeDs: '4000 0027 6000 3184',
  /** 3-D Secure at the bank's own page, always: the buyer leaves the shop and comes back. */
  threeDsRedirect: '4000 0000 0000 3220',
};

/** Tessera's order page: it reloads itself until the webhook marked the order paid. */
export async function expectOrderPagePaid(page: Page, tickets: number): Promise<void> {
  await expect
    .poll(() => page.locator('.badge.paid').count(), { timeout: 20_000, interval: 250 })
    .toBe(1);
  await expect.poll(() => page.getByRole('heading', { name: 'Your tickets' }).count()).toBe(1);
  expect(await page.locator('.qr').count()).toBe(tickets);
}

/** The bank's 3-D Secure page of the stand-in: the buyer confirms, Stripe sends them back. */
export async function completeBankRedirect(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname.startsWith('/3ds/'));
  await page.getByRole('button', { name: 'Complete authentication' }).click();
  await page.waitForURL(/\/orders\/ord_\w+\?token=.*redirect_status=succeeded/);
}
