/**
 * Steps the widget's browser tests share: a buyer's actions on `<tessera-tickets>` through
 * Playwright locators (which pierce its open shadow root), the host page's `tessera:*` events
 * and the keyboard focus inside the shadow root.
 */
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { fixtureUrl, launchBrowser } from './harness';

/** A headless Chromium for the whole test file: launched before its tests, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet');
    return browser;
  };
}

/** A phone (iPhone 12/13 size), as the issues' browser tests ask for. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

export interface WidgetPage {
  page: Page;
  widget: Locator;
  close: () => Promise<void>;
}

/**
 * The organizer's page (the allowed site: another origin than Tessera's) with the widget for
 * `eventSlug`, in a fresh context of `options`, recording the host page's `tessera:*` events.
 * `params` go to the fixture (`server: 'stripe'` embeds the Tessera that pays with Stripe).
 */
export async function openWidgetPage(
  browser: Browser,
  eventSlug: string,
  options: BrowserContextOptions,
  params: Record<string, string> = {},
): Promise<WidgetPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await recordHostEvents(page);
  await page.goto(fixtureUrl('widget', { event: eventSlug, ...params }));
  return { page, widget: page.locator('tessera-tickets'), close: () => context.close() };
}

export interface HostEvent {
  type: string;
  detail: Record<string, unknown>;
  /** The `id` of the element that sent it. */
  from: string;
}

/** Records every `tessera:*` event that reaches `document` (they bubble and are composed). */
export async function recordHostEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { tesseraEvents: unknown[] }).tesseraEvents = seen;
    for (const type of ['tessera:ready', 'tessera:hold', 'tessera:order-completed']) {
      document.addEventListener(type, (event) => {
        const target = event.target instanceof Element ? event.target.id : '';
        seen.push({ type, detail: (event as CustomEvent).detail, from: target });
      });
    }
  });
}

export function hostEvents(page: Page): Promise<HostEvent[]> {
  return page.evaluate(
    () => (window as unknown as { tesseraEvents: HostEvent[] }).tesseraEvents ?? [],
  );
}

/** Waits until `locator` matches exactly `count` elements (no sleeps, no timing). */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  await expect.poll(() => locator.count(), { timeout: 30_000 }).toBe(count);
}

/** The label of what has keyboard focus, looking inside open shadow roots. */
export function focusedLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body) return '';
    const input = active instanceof HTMLInputElement ? active.name : '';
    return active.getAttribute('aria-label') || input || (active.textContent ?? '').trim();
  });
}

/** Presses Tab (only Tab) until the focused control's label is `label`. */
export async function tabTo(page: Page, label: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if ((await focusedLabel(page)) === label) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${label}" (now on "${await focusedLabel(page)}")`);
}

/** Waits until every QR image in `scope` has loaded and drawn (naturalWidth > 0). */
export async function expectQrCodesShown(scope: Locator, count: number): Promise<void> {
  const images = scope.getByRole('img', { name: /QR/ });
  await expectCount(images, count);
  await expect
    .poll(() =>
      images.evaluateAll((imgs) =>
        imgs.every(
          (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
        ),
      ),
    )
    .toBe(true);
}

/** Chooses two General admission tickets, enters the buyer and reaches the sandbox pay step. */
export async function reachPayment(widget: Locator, shot?: (name: string) => Promise<unknown>) {
  const add = widget.getByRole('button', { name: 'Add one General admission' });
  await add.click();
  await add.click();
  await expectCount(widget.getByText('€78.00'), 1);
  await shot?.('ticket-list-chosen');
  await widget.getByRole('button', { name: 'Reserve tickets' }).click();
  await expectCount(widget.getByRole('heading', { name: 'Your details' }), 1);
  await widget.getByLabel('Name').fill('Ada Lovelace');
  await widget.getByLabel('Email').fill('ada@example.com');
  await shot?.('details');
  await widget.getByRole('button', { name: 'Continue to payment' }).click();
  await expectCount(widget.getByRole('button', { name: 'Pay €78.00' }), 1);
  await shot?.('sandbox-payment');
}
