import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createPublishedEvent } from './support/api';
import {
  page,
  postForm,
  signUpWithWorkspace,
  type Workspace,
  workspaceApiKey,
} from './support/dashboard';
import {
  createDevice,
  createList,
  doorScan,
  lists,
  nonce,
  paidTickets,
  sync,
} from './support/door';

/**
 * Door devices and conflicts in the dashboard: the device list with revoke (a confirm step,
 * refused at once at the door), and the conflicts two offline devices made, newest first,
 * with "Mark reviewed".
 */

let ws: Workspace;
let auth: Record<string, string>;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Door Devices');
  auth = await workspaceApiKey(ws.organizerId);
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('devices in the dashboard', () => {
  it('lists devices with their lists, who added them, last seen and state; links to pairing', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidTickets(event, 'ga', 1);
    const vip = await createList(auth, event.id, { name: 'VIP door' });
    const everywhere = await createDevice(auth, event.id, { name: 'Front phone' });
    await createDevice(auth, event.id, { name: 'VIP phone', listIds: [vip.id] });
    expect((await doorScan(everywhere.auth, { code: order.tickets[0]?.code })).body.result).toBe(
      'ok',
    );
    const shown = await page(`/dashboard/events/${event.id}/devices`, ws.cookie);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`href="/dashboard/events/${event.id}/devices/new"`);
    expect(shown.text).toContain('Add a device');
    const rowOf = (id: string) =>
      new RegExp(`<tr id="device-${id}">([\\s\\S]*?)</tr>`).exec(shown.text)?.[1] ?? '';
    const front = rowOf(everywhere.id);
    expect(front).toContain('Front phone');
    expect(front).toContain('Every list');
    expect(front).toContain('API key test');
    expect(front).not.toContain('Not yet');
    expect(front).toContain(`href="/dashboard/events/${event.id}/devices/${everywhere.id}/revoke"`);
    expect(shown.text).toMatch(/VIP phone<\/th><td data-label="Lists">VIP door<\/td>/);
    expect(shown.text).toContain('Not yet');
    // The token is never in a page again.
    expect(shown.text).not.toContain(everywhere.token);
  });

  it('revoke asks first, then the device is refused at its very next door request', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidTickets(event, 'ga', 2);
    const device = await createDevice(auth, event.id, { name: 'Lost phone' });
    const search = () =>
      call('GET', '/api/v1/door/search?q=Ada', { headers: device.auth }).then((r) => r.status);
    expect(await search()).toBe(200);

    const confirm = await page(
      `/dashboard/events/${event.id}/devices/${device.id}/revoke`,
      ws.cookie,
    );
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Revoke Lost phone?');
    expect(confirm.text).toContain(
      `action="/dashboard/events/${event.id}/devices/${device.id}/revoke"`,
    );
    // Showing the confirm page changed nothing.
    expect(await search()).toBe(200);

    const revoked = await postForm(
      `/dashboard/events/${event.id}/devices/${device.id}/revoke`,
      {},
      { cookie: ws.cookie },
    );
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe(`/dashboard/events/${event.id}/devices?done=revoked`);
    expect(await search()).toBe(401);
    expect((await doorScan(device.auth, { code: order.tickets[1]?.code })).status).toBe(401);
    const listed = await page(`/dashboard/events/${event.id}/devices?done=revoked`, ws.cookie);
    expect(listed.text).toContain('Device revoked');
    expect(listed.text).toMatch(/<td data-label="State">Revoked /);
    const audit = await env.DB.prepare(
      "SELECT actor FROM audit_log WHERE subject_id = ? AND action = 'device.revoked'",
    )
      .bind(device.id)
      .all();
    expect(audit.results).toHaveLength(1);
  });

  it('a revoke sent from another site is refused (403) and the device keeps working', async () => {
    const event = await createPublishedEvent(auth);
    const device = await createDevice(auth, event.id);
    const refused = await postForm(
      `/dashboard/events/${event.id}/devices/${device.id}/revoke`,
      {},
      {
        cookie: ws.cookie,
        headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      },
    );
    expect(refused.status).toBe(403);
    expect((await call('GET', '/api/v1/door/search?q=Ada', { headers: device.auth })).status).toBe(
      200,
    );
  });

  it("a device of another event can not be revoked through this event's page (404)", async () => {
    const event = await createPublishedEvent(auth);
    const other = await createPublishedEvent(auth);
    const device = await createDevice(auth, other.id);
    for (const deviceId of [device.id, 'dvc_nothing']) {
      const path = `/dashboard/events/${event.id}/devices/${deviceId}/revoke`;
      expect((await page(path, ws.cookie)).status).toBe(404);
      expect((await postForm(path, {}, { cookie: ws.cookie })).status).toBe(404);
    }
    expect((await call('GET', '/api/v1/door/search?q=Ada', { headers: device.auth })).status).toBe(
      200,
    );
  });
});

/** Two offline devices both admit each ticket on the default list: one conflict per ticket. */
async function conflictsOf(ticketCount: number) {
  const event = await createPublishedEvent(auth);
  const order = { tickets: [] as { id: string; code: string }[] };
  for (let left = ticketCount; left > 0; left -= 9) {
    order.tickets.push(...(await paidTickets(event, 'ga', Math.min(left, 9))).tickets);
  }
  const [main] = await lists(auth, event.id);
  const a = await createDevice(auth, event.id, { name: 'Door A' });
  const b = await createDevice(auth, event.id, { name: 'Door B' });
  const scans = (m: number, gate: string) =>
    order.tickets.map((ticket) => ({
      nonce: nonce(),
      code: ticket.code,
      listId: main?.id,
      scannedAt: minutesAgo(m),
      gate,
      result: 'ok',
    }));
  const fromA = await sync(a.auth, scans(30, 'West'));
  expect(fromA.body.results.map((r) => r.outcome)).toEqual(order.tickets.map(() => 'recorded'));
  // B's batch finds the conflicts in ticket order: the last ticket's is the newest.
  const fromB = await sync(b.auth, scans(20, 'East'));
  expect(fromB.body.results.map((r) => r.outcome)).toEqual(order.tickets.map(() => 'conflict'));
  return { event, tickets: order.tickets };
}

describe('conflicts in the dashboard', () => {
  it('shows each conflict newest first: attendee, list, both scans with device and gate', async () => {
    const { event, tickets } = await conflictsOf(2);
    const shown = await page(`/dashboard/events/${event.id}/conflicts`, ws.cookie);
    expect(shown.status).toBe(200);
    const rows = [...shown.text.matchAll(/<tr id="conflict-(\d+)">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(2);
    // The second ticket's conflict was found last: it comes first.
    expect(rows[0]?.[2]).toContain(tickets[1]?.id);
    expect(rows[1]?.[2]).toContain(tickets[0]?.id);
    const row = rows[0]?.[2] ?? '';
    expect(row).toContain('Ada Lovelace');
    expect(row).toContain('General admission');
    expect(row).toContain('<td data-label="List">All tickets</td>');
    expect(row).toMatch(/First scan">[^<]+<br\/?><span class="small">Door A, gate West/);
    expect(row).toMatch(/Second scan">[^<]+<br\/?><span class="small">Door B, gate East/);
    expect(row).toContain('Mark reviewed');
  });

  it('mark reviewed records who and when, once; the API shows it too', async () => {
    const { event } = await conflictsOf(1);
    const shown = await page(`/dashboard/events/${event.id}/conflicts`, ws.cookie);
    const id = /<tr id="conflict-(\d+)">/.exec(shown.text)?.[1];
    const reviewed = await postForm(
      `/dashboard/events/${event.id}/conflicts/${id}/review`,
      {},
      { cookie: ws.cookie },
    );
    expect(reviewed.status).toBe(303);
    expect(reviewed.location).toBe(`/dashboard/events/${event.id}/conflicts?done=reviewed`);
    const after = await page(`/dashboard/events/${event.id}/conflicts?done=reviewed`, ws.cookie);
    expect(after.text).toContain('Marked reviewed.');
    expect(after.text).toContain('<span class="badge reviewed">Reviewed</span>');
    expect(after.text).toContain(ws.email);
    expect(after.text).not.toContain('Mark reviewed<');

    const api = await call<{ data: { id: number; reviewedAt: string; reviewedBy: string }[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/checkin-conflicts`,
      { headers: auth },
    );
    const first = api.body.data[0];
    expect(first).toMatchObject({ id: Number(id), reviewedBy: expect.stringMatching(/^per_/) });
    // A second review (here through the API) keeps the first one.
    const again = await call<{ reviewedAt: string; reviewedBy: string }>(
      'POST',
      `/api/v1/organizer/events/${event.id}/checkin-conflicts/${id}/review`,
      { headers: auth },
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      reviewedAt: first?.reviewedAt,
      reviewedBy: first?.reviewedBy,
    });
    const rows = await env.DB.prepare('SELECT * FROM door_conflict_reviews WHERE event_id = ?')
      .bind(event.id)
      .all();
    expect(rows.results).toHaveLength(1);
  });

  it('an unknown conflict or a bad page is refused and nothing is recorded', async () => {
    const { event } = await conflictsOf(1);
    for (const id of ['999', '0', 'abc', '1e3']) {
      const refused = await postForm(
        `/dashboard/events/${event.id}/conflicts/${id}/review`,
        {},
        { cookie: ws.cookie },
      );
      expect(refused.status, id).toBe(404);
      const api = await call(
        'POST',
        `/api/v1/organizer/events/${event.id}/checkin-conflicts/${id}/review`,
        { headers: auth },
      );
      expect(api.status, id).toBe(404);
    }
    expect((await page(`/dashboard/events/${event.id}/conflicts?before=x`, ws.cookie)).status).toBe(
      422,
    );
    const rows = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM door_conflict_reviews WHERE event_id = ?',
    )
      .bind(event.id)
      .first();
    expect(rows).toMatchObject({ n: 0 });
  });

  it('pages older conflicts 25 at a time', async () => {
    const { event, tickets } = await conflictsOf(26);
    const first = await page(`/dashboard/events/${event.id}/conflicts`, ws.cookie);
    expect([...first.text.matchAll(/<tr id="conflict-/g)]).toHaveLength(25);
    const older = /href="(\/dashboard\/events\/[^"]+\/conflicts\?before=\d+)"/.exec(
      first.text,
    )?.[1];
    expect(older).toBeDefined();
    const second = await page(older ?? '', ws.cookie);
    const rows = [...second.text.matchAll(/<tr id="conflict-(\d+)">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[2]).toContain(tickets[0]?.id);
    expect(second.text).not.toContain('Older conflicts');
  });
});
