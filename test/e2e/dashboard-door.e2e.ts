import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AxeViolation,
  createWorkspace,
  dashboardUrl,
  newEmail,
  seriousViolations,
  signUp,
} from './dashboard-steps';
import {
  api,
  type E2eEvent,
  e2e,
  eventBody,
  launchBrowser,
  purchaseViaApi,
  screenshot,
  typeId,
} from './harness';
import { expectCount } from './widget-steps';

/**
 * The door in the dashboard, in Chromium: create a check-in list, watch its count move after a
 * scan through the door API (htmx refreshes it), revoke a device (refused at its next request),
 * and see a conflict two offline devices made, then mark it reviewed. axe-core finds no
 * serious or critical violation on any door screen.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const nonce = () => `n_${crypto.randomUUID().replaceAll('-', '')}`;

/** An admin API key of the signed-in person's workspace, made in the dashboard. */
async function workspaceKey(page: Page): Promise<Record<string, string>> {
  const answer = await page.context().request.post(dashboardUrl('/api-keys'), {
    headers: { origin: e2e().tesseraOrigin },
    form: { name: 'Door setup', role: 'admin' },
  });
  expect(answer.status()).toBe(201);
  const key = /<output>(tsk_\w+)<\/output>/.exec(await answer.text())?.[1];
  if (!key) throw new Error('no key in the answer');
  return { authorization: `Bearer ${key}` };
}

async function workspaceEvent(auth: Record<string, string>): Promise<E2eEvent> {
  const created = await api<E2eEvent>('POST', '/api/v1/organizer/events', {
    body: eventBody({ title: 'Door Night' }),
    headers: auth,
  });
  expect(created.status).toBe(201);
  const published = await api('POST', `/api/v1/organizer/events/${created.body.id}/publish`, {
    headers: auth,
  });
  expect(published.status).toBe(200);
  return created.body;
}

async function device(auth: Record<string, string>, eventId: string, name: string) {
  const created = await api<{ id: string; token: string }>(
    'POST',
    `/api/v1/organizer/events/${eventId}/devices`,
    { headers: auth, body: { name } },
  );
  expect(created.status).toBe(201);
  return { id: created.body.id, auth: { authorization: `Bearer ${created.body.token}` } };
}

it('lists, live counts, revoke and conflicts in the dashboard, axe clean', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  await signUp(page, newEmail('door-dash'));
  await createWorkspace(page, 'Door Hall');
  const auth = await workspaceKey(page);
  const event = await workspaceEvent(auth);
  const order = await purchaseViaApi(event, [{ ticketTypeId: typeId(event, 'ga'), quantity: 2 }]);
  const [first, second] = order.tickets;
  if (!first || !second) throw new Error('no tickets');
  const violations: Record<string, AxeViolation[]> = {};
  const check = async (name: string) => {
    await screenshot(page, `door-${name}`, 'dashboard');
    const found = await seriousViolations(page, name);
    if (found.length > 0) violations[name] = found;
  };

  // From the event's page to its lists, and a new list.
  await page.goto(dashboardUrl(`/events/${event.id}`));
  await page.getByRole('link', { name: 'Check-in lists and live counts' }).click();
  await expectCount(page.getByRole('heading', { name: 'Check-in lists', level: 1 }), 1);
  await check('lists');
  await page.getByRole('link', { name: 'New list' }).click();
  await page.getByRole('button', { name: 'Create list' }).click();
  await expectCount(page.getByText('Enter a name'), 2);
  await check('list-errors');
  await page.getByLabel('Name').fill('Main hall');
  await page.getByLabel('Only these ticket types:').check();
  await page.getByLabel('General admission').check();
  await page.getByLabel('Gate').fill('North');
  await page.getByRole('button', { name: 'Create list' }).click();
  await expectCount(page.getByText('List created.'), 1);
  const lists = await api<{ data: { id: string; name: string }[] }>(
    'GET',
    `/api/v1/organizer/events/${event.id}/checkin-lists`,
    { headers: auth },
  );
  const hall = lists.body.data.find((l) => l.name === 'Main hall');
  if (!hall) throw new Error('list not created');
  const hallCount = page.locator(`#list-${hall.id} [data-count="checked-in"]`);
  expect(await hallCount.textContent()).toBe('0 / 2');

  // A scan at the door: htmx brings the new count without a reload.
  const front = await device(auth, event.id, 'Front phone');
  const scan = await api<{ result: string }>('POST', '/api/v1/door/scan', {
    headers: front.auth,
    body: { code: first.code, listId: hall.id, nonce: nonce() },
  });
  expect(scan.body.result).toBe('ok');
  await expect.poll(() => hallCount.textContent(), { timeout: 15_000 }).toBe('1 / 2');
  await check('lists-counted');

  // Revoke a lost phone: a confirm step, then its next request is refused.
  const lost = await device(auth, event.id, 'Lost phone');
  await page.getByRole('link', { name: 'Devices' }).click();
  await expectCount(page.getByRole('link', { name: 'Add a device' }), 1);
  await check('devices');
  await page.getByRole('link', { name: 'Revoke Lost phone' }).click();
  await check('device-revoke');
  await page.getByRole('button', { name: 'Revoke Lost phone' }).click();
  await expectCount(page.getByText('Device revoked: its next request is refused.'), 1);
  const refused = await api('GET', '/api/v1/door/search?q=Grace', { headers: lost.auth });
  expect(refused.status).toBe(401);
  const still = await api('GET', '/api/v1/door/search?q=Grace', { headers: front.auth });
  expect(still.status).toBe(200);

  // Two phones offline both let the second ticket in: a conflict.
  const west = await device(auth, event.id, 'West phone');
  const east = await device(auth, event.id, 'East phone');
  const defaultList = lists.body.data[0]?.id;
  const offline = (minutes: number, gate: string) => ({
    scans: [
      {
        nonce: nonce(),
        code: second.code,
        listId: defaultList,
        scannedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
        gate,
        result: 'ok',
      },
    ],
  });
  await api('POST', '/api/v1/door/sync', { headers: west.auth, body: offline(4, 'West') });
  const synced = await api<{ results: { outcome: string }[] }>('POST', '/api/v1/door/sync', {
    headers: east.auth,
    body: offline(2, 'East'),
  });
  expect(synced.body.results[0]?.outcome).toBe('conflict');
  await page.getByRole('link', { name: 'Conflicts' }).click();
  const row = page.getByRole('row', { name: /Grace Hopper/ });
  await expectCount(row, 1);
  await expectCount(row.getByText('West phone, gate West'), 1);
  await expectCount(row.getByText('East phone, gate East'), 1);
  await check('conflicts');
  await row.getByRole('button', { name: /Mark reviewed/ }).click();
  await expectCount(page.getByText('Marked reviewed.'), 1);
  await expectCount(page.getByRole('row', { name: /Grace Hopper/ }).getByText('Reviewed'), 1);
  await check('conflicts-reviewed');

  // The same screens on a phone: axe clean, nothing wider than the screen.
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    bypassCSP: true,
    storageState: await context.storageState(),
  });
  const small = await phone.newPage();
  const wide: Record<string, number> = {};
  for (const screen of ['checkin-lists', 'checkin-lists/new', 'devices', 'conflicts']) {
    await small.goto(dashboardUrl(`/events/${event.id}/${screen}`));
    const name = `${screen.replace('/', '-')}-phone`;
    await screenshot(small, `door-${name}`, 'dashboard');
    const found = await seriousViolations(small, name);
    if (found.length > 0) violations[name] = found;
    const overflow = await small.evaluate(() =>
      Math.max(
        document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ...Array.from(document.querySelectorAll('.table-wrap')).map(
          (t) => t.scrollWidth - t.clientWidth,
        ),
      ),
    );
    if (overflow > 0) wide[name] = overflow;
  }
  await phone.close();
  await context.close();
  expect(violations).toEqual({});
  expect(wide).toEqual({});
}, 120_000);
