import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AxeViolation,
  createWorkspace,
  dashboardUrl,
  newEmail,
  seriousViolations,
  signUp,
  type WeighedLoad,
  weighLoad,
} from './dashboard-steps';
import { e2e, launchBrowser, screenshot } from './harness';
import { expectCount } from './widget-steps';

/**
 * Every dashboard screen, at 1280x800 and at 390x844: axe-core finds no serious or critical
 * violation, each screen's first load (HTML, CSS and any script, gzipped) is within the
 * 60 KB budget, and a screenshot of each lands in test-artifacts/dashboard/.
 */

const BUDGET_BYTES = 60 * 1024;
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/dashboard');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Screen {
  name: string;
  /** The page's h1: proves the right page is shown. */
  heading: string;
  /** A text the screen must show besides. */
  shows?: string;
  /** Gets there first without being weighed (the form a refused or answered post comes from). */
  prepare?(page: Page): Promise<void>;
  /** Opens the screen; returns the response of its document. */
  open(page: Page): Promise<Response | null>;
}

/** The new-event form's fields for an event with two types sharing a quota. */
function eventForm(): Record<string, string> {
  return {
    intent: 'save',
    title: 'Night Owls Live',
    // Addresses are unique across workspaces: the journey's event takes the one from the title.
    slug: `screens-${Date.now().toString(36)}`,
    description: 'Three bands, one long night.',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    startsAt: '2030-03-01T19:00',
    'venue.name': 'Club Nachtfalter',
    'venue.city': 'Berlin',
    'venue.country': 'DE',
    holdMinutes: '10',
    maxPerOrder: '10',
    'types.0.name': 'General admission',
    'types.0.price': '39.00',
    'types.0.capacity': '100',
    'types.1.name': 'Balcony with a view of the whole stage',
    'types.1.price': '25.00',
    'types.1.capacity': '40',
    'quotas.present': '1',
    'quotas.0.name': 'Venue capacity',
    'quotas.0.size': '120',
    'waitingRoom.mode': 'auto',
    'waitingRoom.autoThreshold': '1000',
    allowedOrigins: e2e().allowedSiteOrigin,
  };
}

/** What the organizer would have done by now: an event, an invitation, an API key. */
async function seedWorkspace(context: BrowserContext): Promise<string> {
  const origin = { origin: e2e().tesseraOrigin };
  const form = new URLSearchParams(eventForm());
  for (const key of ['general-admission', 'balcony-with-a-view-of-the-whole-stage']) {
    form.append('quotas.0.types', key);
  }
  const created = await context.request.post(dashboardUrl('/events/new'), {
    headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' },
    data: form.toString(),
    maxRedirects: 0,
  });
  expect(created.status(), await created.text()).toBe(303);
  const eventId = /\/dashboard\/events\/(evt_\w+)/.exec(created.headers().location ?? '')?.[1];
  if (!eventId) throw new Error('no event created');
  const invited = await context.request.post(dashboardUrl('/team/invite'), {
    headers: origin,
    form: { email: newEmail('door-person'), role: 'door' },
    maxRedirects: 0,
  });
  expect(invited.status()).toBeLessThan(400);
  const key = await context.request.post(dashboardUrl('/api-keys'), {
    headers: origin,
    form: { name: 'Website sync', role: 'event_manager' },
  });
  expect(key.status()).toBe(201);
  return eventId;
}

function screensOf(eventId: string, email: string): Screen[] {
  const go = (pathname: string) => (page: Page) => page.goto(`${e2e().tesseraOrigin}${pathname}`);
  return [
    { name: 'sign-in', heading: 'Sign in or create an account', open: go('/dashboard/sign-in') },
    { name: 'check-email', heading: 'Check your email', open: go('/dashboard/check-email') },
    {
      name: 'auth-landing',
      heading: 'Continue to Tessera',
      // A fresh link for the signed-up person (development's one-click sign-in).
      open: go(`/dev/sign-in?email=${encodeURIComponent(email)}`),
    },
    {
      name: 'link-invalid',
      heading: 'This link does not work anymore',
      open: go('/dashboard/auth?token=used-up'),
    },
    { name: 'workspaces', heading: 'Your workspaces', open: go('/dashboard/workspaces') },
    {
      name: 'workspace-new',
      heading: 'Create your workspace',
      open: go('/dashboard/workspaces/new'),
    },
    { name: 'home', heading: 'Club Nachtfalter', open: go('/dashboard') },
    { name: 'events', heading: 'Events', open: go('/dashboard/events') },
    { name: 'event', heading: 'Night Owls Live', open: go(`/dashboard/events/${eventId}`) },
    { name: 'event-new', heading: 'New event', open: go('/dashboard/events/new') },
    {
      name: 'event-edit',
      heading: 'Edit Night Owls Live',
      open: go(`/dashboard/events/${eventId}/edit`),
    },
    {
      name: 'event-edit-errors',
      heading: 'Edit event',
      shows: 'There are 2 problems',
      async prepare(page) {
        await page.goto(dashboardUrl(`/events/${eventId}/edit`));
        await page.getByLabel('Title').fill('');
        await page.getByRole('group', { name: 'Ticket type 1' }).getByLabel('Price').fill('cheap');
      },
      async open(page) {
        const answer = page.waitForResponse((r) => r.request().method() === 'POST');
        await page.getByRole('button', { name: 'Save changes' }).click();
        const response = await answer;
        await page.waitForLoadState('load');
        return response;
      },
    },
    { name: 'team', heading: 'Team', open: go('/dashboard/team') },
    { name: 'api-keys', heading: 'API keys', open: go('/dashboard/api-keys') },
    {
      name: 'api-key-created',
      heading: 'API keys',
      shows: 'Copy the key now: it is not shown again.',
      async prepare(page) {
        await page.goto(dashboardUrl('/api-keys'));
        await page.getByLabel('Name').fill('Door scanner');
      },
      async open(page) {
        const answer = page.waitForResponse((r) => r.request().method() === 'POST');
        await page.getByRole('button', { name: 'Create key' }).click();
        const response = await answer;
        await page.waitForLoadState('load');
        return response;
      },
    },
    { name: 'sessions', heading: 'Your sessions', open: go('/dashboard/sessions') },
    {
      name: 'reconciliation',
      heading: 'Reconciliation',
      shows: 'Nothing open.',
      open: go('/dashboard/reconciliation'),
    },
    {
      name: 'settlement',
      heading: 'Settlement',
      shows: 'Net = gross',
      open: go(`/dashboard/events/${eventId}/settlement`),
    },
  ];
}

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true },
} as const;

it('every dashboard screen: no serious axe violation, within 60 KB, screenshot at both sizes', async () => {
  // The CSP allows no injected script: axe-core needs it bypassed (it changes nothing drawn).
  const desktop = await browser.newContext({ ...VIEWPORTS.desktop, bypassCSP: true });
  const setup = await desktop.newPage();
  const email = newEmail('screens');
  await signUp(setup, email);
  await createWorkspace(setup, 'Club Nachtfalter');
  const eventId = await seedWorkspace(desktop);
  await setup.close();
  const phone = await browser.newContext({
    ...VIEWPORTS.phone,
    bypassCSP: true,
    storageState: await desktop.storageState(),
  });

  const violations: Record<string, AxeViolation[]> = {};
  const weights: Record<string, number> = {};
  const files: Record<string, WeighedLoad['files']> = {};
  const wide: Record<string, number> = {};
  for (const [size, context] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    const page = await context.newPage();
    for (const screen of screensOf(eventId, email)) {
      const key = `${screen.name} @${size}`;
      await screen.prepare?.(page);
      // The phone pass is also the first visit: nothing cached, every byte counted.
      const load: WeighedLoad =
        size === 'phone'
          ? await weighLoad(context, page, () => screen.open(page))
          : { response: await screen.open(page), gzipped: 0, files: [] };
      expect(load.response?.status(), key).toBeLessThan(500);
      await expectCount(
        page.getByRole('heading', { name: screen.heading, level: 1, exact: true }),
        1,
      );
      if (screen.shows) await expectCount(page.getByText(screen.shows), 1);
      if (size === 'phone') {
        weights[screen.name] = load.gzipped;
        files[screen.name] = load.files;
      }
      await screenshot(page, `${screen.name}-${size}`, 'dashboard');
      const found = await seriousViolations(page, key);
      if (found.length > 0) violations[key] = found;
      // Wider than the screen, or a table scrolled sideways in its box: on a phone, controls
      // hidden off to the right.
      const overflow = await page.evaluate(() =>
        Math.max(
          document.documentElement.scrollWidth - document.documentElement.clientWidth,
          ...Array.from(document.querySelectorAll('.table-wrap')).map(
            (t) => t.scrollWidth - t.clientWidth,
          ),
        ),
      );
      if (overflow > 0) wide[key] = overflow;
    }
    await page.close();
  }
  await desktop.close();
  await phone.close();

  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, 'page-weights.json'), `${JSON.stringify(files, null, 2)}\n`);
  console.log(
    Object.entries(weights)
      .map(([name, bytes]) => `${name.padEnd(20)} ${(bytes / 1024).toFixed(1)} KB gzipped`)
      .join('\n'),
  );
  expect(violations).toEqual({});
  expect(wide).toEqual({});
  expect(Object.keys(weights)).toHaveLength(screensOf(eventId, email).length);
  const over = Object.entries(weights).filter(([, bytes]) => bytes > BUDGET_BYTES);
  expect(over).toEqual([]);
}, 240_000);
