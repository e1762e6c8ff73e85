/**
 * The widget on organizer sites of other origins than Tessera's: the site the event allows
 * gets the ticket list; any other site gets no data; and what a page downloads from Tessera
 * before the list shows stays within the budget of issue 4 (15 KB gzipped, one API request).
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEvent,
  e2e,
  fixtureUrl,
  launchBrowser,
  purchaseViaApi,
  screenshot,
  typeId,
} from './harness';

const BUDGET_BYTES = 15 * 1024;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** A fresh page (own cache, so every file is really downloaded) and a closer. */
async function freshPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  return { page, close: () => context.close() };
}

/** The `[part="…"]` elements inside the widget's shadow root (Playwright's CSS pierces it). */
function part(page: Page, name: string) {
  return page.locator(`tessera-tickets [part="${name}"]`);
}

/** Every response from Tessera, in the order they finished. */
function tesseraResponses(page: Page): Response[] {
  const seen: Response[] = [];
  const origin = e2e().tesseraOrigin;
  page.on('response', (response) => {
    if (response.url().startsWith(`${origin}/`)) seen.push(response);
  });
  return seen;
}

interface CorsFailure {
  url: string;
  corsError: string;
}

/**
 * Requests the browser failed for CORS, with its reason (Chrome DevTools Protocol): Playwright
 * reports no response for them, only that they failed.
 */
async function corsFailures(page: Page): Promise<CorsFailure[]> {
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  const failures: CorsFailure[] = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFailed', (e) => {
    if (e.corsErrorStatus) {
      failures.push({ url: urls.get(e.requestId) ?? '', corsError: e.corsErrorStatus.corsError });
    }
  });
  await cdp.send('Network.enable');
  return failures;
}

describe('the site the event allows', () => {
  it('shows the ticket list, from a response granted to that site only', async () => {
    const event = await createEvent();
    const { page, close } = await freshPage();
    const eventRead = page.waitForResponse((r) => r.url().endsWith(`/api/v1/events/${event.slug}`));
    await page.goto(fixtureUrl('widget', { event: event.slug }));
    await part(page, 'list').waitFor();
    expect(await part(page, 'ticket-name').allTextContents()).toEqual(['General admission', 'VIP']);
    const response = await eventRead;
    expect(response.status()).toBe(200);
    const headers = await response.allHeaders();
    expect(headers['access-control-allow-origin']).toBe(e2e().allowedSiteOrigin);
    expect(headers.vary?.toLowerCase()).toContain('origin');
    await screenshot(page, 'cors-allowed-site-ticket-list');
    await close();
  });

  it('keeps the budget: at most 15 KB gzipped and one API request before the list shows', async () => {
    const event = await createEvent();
    const { page, close } = await freshPage();
    const responses = tesseraResponses(page);
    await page.goto(fixtureUrl('widget', { event: event.slug }));
    await part(page, 'list').waitFor();
    const beforeList = [...responses];

    const apiPaths = beforeList
      .map((r) => new URL(r.url()).pathname)
      .filter((p) => p.startsWith('/api/'));
    expect(apiPaths).toEqual([`/api/v1/events/${event.slug}`]);

    let gzipped = 0;
    let transferred = 0;
    const rows: string[] = [];
    for (const response of beforeList) {
      const body = await response.body();
      const sizes = await response.request().sizes();
      const gz = gzipSync(body, { level: 9 }).length;
      gzipped += gz;
      transferred += sizes.responseBodySize;
      rows.push(`${new URL(response.url()).pathname}: ${body.length} B raw, ${gz} B gzipped`);
    }
    console.log(
      `bytes from Tessera before the ticket list: ${gzipped} B gzipped, ${transferred} B transferred\n  ${rows.join('\n  ')}`,
    );
    // The loader, the bundle and the event read: everything the list needed.
    expect(beforeList.length).toBe(3);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(transferred).toBeLessThanOrEqual(BUDGET_BYTES);
    await close();
  });

  it('also works on a page that only loads resources opting in with CORP (COEP)', async () => {
    const event = await createEvent();
    const { page, close } = await freshPage();
    await page.goto(fixtureUrl('widget', { event: event.slug, coep: 'require-corp' }));
    await part(page, 'list').waitFor();
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await close();
  });
});

describe('QR codes on a host page with COEP', () => {
  it('show: the SVG opts in with Cross-Origin-Resource-Policy', async () => {
    const event = await createEvent();
    const order = await purchaseViaApi(event, [{ ticketTypeId: typeId(event, 'ga'), quantity: 1 }]);
    const src = order.tickets[0]?.qrSvgUrl;
    if (!src) throw new Error('no ticket');
    const { page, close } = await freshPage();
    await page.goto(fixtureUrl('image', { src, alt: 'QR code', coep: 'require-corp' }));
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    const loaded = await page.locator('#image').evaluate((img: HTMLImageElement) =>
      img.complete
        ? img.naturalWidth > 0
        : new Promise<boolean>((resolve) => {
            img.onload = () => resolve(img.naturalWidth > 0);
            img.onerror = () => resolve(false);
          }),
    );
    expect(loaded).toBe(true);
    await close();
  });
});

describe('a site the event does not allow', () => {
  it('gets no data: the browser refuses the response for its missing grant, the widget shows its error', async () => {
    const event = await createEvent();
    const { page, close } = await freshPage();
    const failures = await corsFailures(page);
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const url = fixtureUrl('widget', { event: event.slug }, 'blocked');
    await page.goto(url);
    await part(page, 'error').waitFor();
    // The buyer reads a calm message; the organizer's console says what to fix.
    expect(await part(page, 'error').textContent()).not.toMatch(/CORS|allowedOrigins/);
    const hint = warnings.find((w) => w.includes('allowedOrigins'));
    expect(hint).toContain(new URL(url).origin);

    const eventRead = `${e2e().tesseraOrigin}/api/v1/events/${event.slug}`;
    expect(failures.filter((f) => f.url === eventRead).map((f) => f.corsError)).toContain(
      'MissingAllowOriginHeader',
    );
    expect(await part(page, 'ticket-name').count()).toBe(0);
    expect(await page.getByText('General admission').count()).toBe(0);
    await screenshot(page, 'cors-blocked-site-error');
    await close();
  });

  it('cannot read the API from its own scripts, nor hold tickets', async () => {
    const event = await createEvent();
    const { page, close } = await freshPage();
    await page.goto(fixtureUrl('widget', { event: event.slug }, 'blocked'));
    const tessera = e2e().tesseraOrigin;
    const outcome = await page.evaluate(
      async ({ tessera, event }) => {
        const attempt = async (input: string, init?: RequestInit) => {
          try {
            const res = await fetch(input, init);
            return `status ${res.status}`;
          } catch (error) {
            return error instanceof TypeError ? 'blocked' : String(error);
          }
        };
        return {
          read: await attempt(`${tessera}/api/v1/events/${event.slug}`),
          hold: await attempt(`${tessera}/api/v1/events/${event.id}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ items: [{ ticketTypeId: event.typeId, quantity: 2 }] }),
          }),
        };
      },
      { tessera, event: { id: event.id, slug: event.slug, typeId: event.ticketTypes[0]?.id } },
    );
    expect(outcome).toEqual({ read: 'blocked', hold: 'blocked' });
    const stats = await api<{ ticketTypes: { held: number }[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { organizer: true },
    );
    expect(stats.body.ticketTypes.map((t) => t.held)).toEqual([0, 0]);
    await close();
  });
});
