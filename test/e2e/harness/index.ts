/**
 * What a browser test uses: the running Tessera and organizer sites (started by
 * ./global-setup.ts), a headless Chromium, events made through the organizer API, fixture
 * page URLs and screenshots. See test/e2e/README.md.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import demoCatalog from '../../../scripts/demo-event.json';
import { chromiumPath } from '../../../scripts/lib/browser.mjs';
import { type JsonResponse, readJsonResponse } from '../../support/json-response';
import type { E2eContext } from './global-setup';

export type { E2eContext } from './global-setup';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'widget');
const ARTIFACTS_ROOT = path.join(ROOT, 'test-artifacts');

/** Addresses of the running servers and the organizer's API key. */
export function e2e(): E2eContext {
  return inject('e2e');
}

/**
 * Headless Chromium from the system (`/usr/bin/chromium`, or `CHROMIUM_PATH`); playwright-core
 * never downloads a browser. Close it in `afterAll`.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Calls Tessera from Node (no `Origin` header, like a server or curl). */
/** Which Tessera: the sandbox one (default) or the one paying through the Stripe stand-in. */
export type Server = 'sandbox' | 'stripe';

function server(which: Server = 'sandbox'): { origin: string; apiKey: string } {
  const context = e2e();
  return which === 'stripe'
    ? { origin: context.stripe.tesseraOrigin, apiKey: context.stripe.apiKey }
    : { origin: context.tesseraOrigin, apiKey: context.apiKey };
}

export async function api<T = Record<string, unknown>>(
  method: string,
  pathname: string,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    organizer?: boolean;
    server?: Server;
  } = {},
): Promise<JsonResponse<T>> {
  const target = server(options.server);
  const headers: Record<string, string> = { ...options.headers };
  if (options.organizer) headers.authorization = `Bearer ${target.apiKey}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(new URL(pathname, target.origin), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return readJsonResponse<T>(response);
}

export interface E2eEvent {
  id: string;
  slug: string;
  title: string;
  maxPerOrder: number;
  allowedOrigins: string[];
  ticketTypes: { id: string; key: string; name: string; priceMinor: number; capacity: number }[];
}

let slugCounter = 0;

/** The demo event (scripts/demo-event.json) on this run's sites; `overrides` replace top-level fields. */
export function eventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  slugCounter += 1;
  return {
    ...demoCatalog,
    slug: `night-owls-${process.pid}-${Date.now().toString(36)}-${slugCounter}`,
    description: 'A night of music.',
    startsAt: '2030-03-01T19:00:00Z',
    endsAt: '2030-03-01T23:00:00Z',
    allowedOrigins: [e2e().allowedSiteOrigin],
    ...overrides,
  };
}

/**
 * Creates an event through the organizer API and publishes it (unless `publish: false`).
 * By default the allowed organizer site is its only allowed origin.
 */
export async function createEvent(
  overrides: Record<string, unknown> = {},
  options: { publish?: boolean; server?: Server } = {},
): Promise<E2eEvent> {
  const created = await api<E2eEvent>('POST', '/api/v1/organizer/events', {
    body: eventBody(overrides),
    organizer: true,
    server: options.server,
  });
  if (created.status !== 201) {
    throw new Error(`create event: ${created.status} ${JSON.stringify(created.body)}`);
  }
  if (options.publish !== false) {
    const published = await api('POST', `/api/v1/organizer/events/${created.body.id}/publish`, {
      organizer: true,
      server: options.server,
    });
    if (published.status !== 200) {
      throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
    }
  }
  return created.body;
}

/** The id of an event's ticket type by its key (`ga`, `vip`). */
export function typeId(event: E2eEvent, key: string): string {
  const type = event.ticketTypes.find((t) => t.key === key);
  if (!type) throw new Error(`no ticket type ${key}`);
  return type.id;
}

/**
 * URL of test/e2e/fixtures/<name>.html on an organizer site; `params` fill its
 * `{{placeholders}}` (`{{tessera}}` is always Tessera's origin).
 */
export function fixtureUrl(
  name: string,
  params: Record<string, string> = {},
  site: 'allowed' | 'blocked' = 'allowed',
): string {
  const { allowedSiteOrigin, blockedSiteOrigin } = e2e();
  const url = new URL(`/${name}.html`, site === 'allowed' ? allowedSiteOrigin : blockedSiteOrigin);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** Saves a full-page PNG as test-artifacts/<folder>/<name>.png and returns its path. */
export async function screenshot(
  page: Page,
  name: string,
  folder: 'widget' | 'dashboard' = 'widget',
): Promise<string> {
  const dir = path.join(ARTIFACTS_ROOT, folder);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface ApiPurchase {
  holdId: string;
  orderId: string;
  orderToken: string;
  paymentId: string;
  /** Empty unless paid. */
  tickets: { id: string; code: string; qrSvgUrl: string; url: string }[];
}

/**
 * hold -> checkout -> sandbox payment through the API from Node, as another buyer would
 * (to sell an event out, or to have tickets to show). Waits until the order is paid.
 */
export async function purchaseViaApi(
  event: E2eEvent,
  items: { ticketTypeId: string; quantity: number }[],
  options: { pay?: boolean; buyer?: { name: string; email: string } } = {},
): Promise<ApiPurchase> {
  const hold = await api<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items },
  });
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
  const checkout = await api<{
    orderId: string;
    orderToken: string;
    payment: { paymentId: string };
  }>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: {
      holdId: hold.body.holdId,
      buyer: options.buyer ?? { name: 'Grace Hopper', email: 'grace@example.com' },
    },
  });
  if (checkout.status !== 201) {
    throw new Error(`checkout: ${checkout.status} ${JSON.stringify(checkout.body)}`);
  }
  const { orderId, orderToken, payment } = checkout.body;
  const result: ApiPurchase = {
    holdId: hold.body.holdId,
    orderId,
    orderToken,
    paymentId: payment.paymentId,
    tickets: [],
  };
  if (options.pay === false) return result;
  const paid = await api('POST', `/sandbox/pay/${payment.paymentId}`, {
    body: { outcome: 'succeed' },
  });
  if (paid.status !== 202) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  // The queue consumer marks the order paid shortly after: poll, as a client would.
  for (let attempt = 0; attempt < 200; attempt++) {
    const order = await api<{ status: string; tickets: ApiPurchase['tickets'] }>(
      'GET',
      `/api/v1/orders/${orderId}`,
      { headers: { authorization: `Bearer ${orderToken}` } },
    );
    if (order.body.status === 'paid') return { ...result, tickets: order.body.tickets };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`order ${orderId} was not paid within 10 s`);
}
