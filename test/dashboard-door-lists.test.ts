import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CreatedEvent, createPublishedEvent } from './support/api';
import {
  page,
  postForm,
  signUpWithWorkspace,
  type Workspace,
  workspaceApiKey,
} from './support/dashboard';
import { createDevice, doorScan, lists, paidTickets } from './support/door';

/**
 * Check-in lists in the dashboard: the page and its live fragment (counts per list that move
 * after a scan), and create / edit / delete through forms that work without JavaScript.
 */

let ws: Workspace;
let auth: Record<string, string>;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Door Lists');
  auth = await workspaceApiKey(ws.organizerId);
});

const base = (eventId: string) => `/dashboard/events/${eventId}/checkin-lists`;
const typeId = (event: CreatedEvent, key: string) =>
  event.ticketTypes.find((t) => t.key === key)?.id ?? '';

async function storedLists(eventId: string) {
  const rows = await env.DB.prepare(
    'SELECT name, direction, ticket_type_ids, valid_from, valid_until, gate FROM checkin_lists WHERE event_id = ? AND is_default = 0 ORDER BY created_at',
  )
    .bind(eventId)
    .all<Record<string, string | null>>();
  return rows.results;
}

describe('check-in lists in the dashboard', () => {
  it('lists show live counts that change after a scan, in the page and the htmx fragment', async () => {
    const event = await createPublishedEvent(auth);
    const order = await paidTickets(event, 'ga', 3);
    const before = await page(base(event.id), ws.cookie);
    expect(before.status).toBe(200);
    expect(before.text).toContain('All tickets');
    expect(before.text).toMatch(/data-count="checked-in">0 \/ 3</);
    expect(before.text).toContain(`hx-get="${base(event.id)}/live"`);
    expect(before.text).toMatch(/hx-trigger="every [2-5]s"/);
    expect(before.text).toContain(`href="${base(event.id)}/new"`);

    const device = await createDevice(auth, event.id, { name: 'Front' });
    expect((await doorScan(device.auth, { code: order.tickets[0]?.code })).body.result).toBe('ok');
    const fragment = await page(`${base(event.id)}/live`, ws.cookie);
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toMatch(/data-count="checked-in">1 \/ 3</);
    expect(fragment.headers.get('cache-control')).toBe('no-store');
  });

  it('creates a list of some ticket types with a window and a gate, in the event zone', async () => {
    const event = await createPublishedEvent(auth);
    const created = await postForm(
      `${base(event.id)}/new`,
      {
        name: 'VIP balcony',
        tickets: 'some',
        ticketTypeIds: [typeId(event, 'vip')],
        direction: 'entry',
        validFrom: '2027-03-01T18:00',
        validUntil: '2027-03-01T23:30',
        gate: 'North',
      },
      { cookie: ws.cookie },
    );
    expect(created.status, created.text.slice(0, 400)).toBe(303);
    expect(created.location).toBe(`${base(event.id)}?done=created`);
    expect(await storedLists(event.id)).toEqual([
      {
        name: 'VIP balcony',
        direction: 'entry',
        ticket_type_ids: JSON.stringify([typeId(event, 'vip')]),
        // Berlin is UTC+1 in March.
        valid_from: '2027-03-01T17:00:00.000Z',
        valid_until: '2027-03-01T22:30:00.000Z',
        gate: 'North',
      },
    ]);
    const listed = await page(`${base(event.id)}?done=created`, ws.cookie);
    expect(listed.text).toContain('List created.');
    expect(listed.text).toContain('VIP balcony');
    expect(listed.text).toContain('Gate North');
  });

  it('edits a list (its form shows it as stored) and deletes it after a confirm page', async () => {
    const event = await createPublishedEvent(auth);
    await postForm(
      `${base(event.id)}/new`,
      { name: 'Exit east', tickets: 'all', direction: 'exit', gate: 'East' },
      { cookie: ws.cookie },
    );
    const list = (await lists(auth, event.id)).find((l) => l.name === 'Exit east');
    if (!list) throw new Error('list not created');
    const form = await page(`${base(event.id)}/${list.id}/edit`, ws.cookie);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Exit east"');
    expect(form.text).toContain('value="East"');
    expect(form.text).toContain('<strong>Exit</strong>');

    const saved = await postForm(
      `${base(event.id)}/${list.id}/edit`,
      { name: 'Exit east 2', tickets: 'some', ticketTypeIds: [typeId(event, 'ga')], gate: '' },
      { cookie: ws.cookie },
    );
    expect(saved.status).toBe(303);
    expect(await storedLists(event.id)).toEqual([
      expect.objectContaining({
        name: 'Exit east 2',
        direction: 'exit',
        ticket_type_ids: JSON.stringify([typeId(event, 'ga')]),
        gate: null,
      }),
    ]);

    const confirm = await page(`${base(event.id)}/${list.id}/delete`, ws.cookie);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Delete Exit east 2?');
    expect(confirm.text).toContain(`action="${base(event.id)}/${list.id}/delete"`);
    expect(await storedLists(event.id)).toHaveLength(1);
    const deleted = await postForm(
      `${base(event.id)}/${list.id}/delete`,
      {},
      { cookie: ws.cookie },
    );
    expect(deleted.status).toBe(303);
    expect(await storedLists(event.id)).toEqual([]);
  });

  it('the default list can be edited but not deleted (409)', async () => {
    const event = await createPublishedEvent(auth);
    const [main] = await lists(auth, event.id);
    const refused = await postForm(
      `${base(event.id)}/${main?.id}/delete`,
      {},
      { cookie: ws.cookie },
    );
    expect(refused.status).toBe(409);
    const renamed = await postForm(
      `${base(event.id)}/${main?.id}/edit`,
      { name: 'Everyone', tickets: 'all' },
      { cookie: ws.cookie },
    );
    expect(renamed.status).toBe(303);
    expect((await lists(auth, event.id))[0]).toMatchObject({ name: 'Everyone', isDefault: true });
  });

  it('bad input comes back at its fields in human words (422) and stores nothing', async () => {
    const event = await createPublishedEvent(auth);
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ name: '', tickets: 'all' }, 'name', 'Enter a name'],
      [{ name: 'x'.repeat(101), tickets: 'all' }, 'name', 'Use at most 100 characters'],
      [
        { name: 'Some', tickets: 'some' },
        'ticketTypeIds',
        'Choose at least one ticket type, or all tickets',
      ],
      [
        { name: 'Stranger', tickets: 'some', ticketTypeIds: ['tt_not_of_this_event'] },
        'ticketTypeIds',
        'Choose ticket types of this event',
      ],
      [
        {
          name: 'Late',
          tickets: 'all',
          validFrom: '2027-03-01T20:00',
          validUntil: '2027-03-01T19:00',
        },
        'validUntil',
        'The list must close after it opens',
      ],
      [
        { name: 'Odd', tickets: 'all', validFrom: 'tomorrow evening' },
        'validFrom',
        'Enter a date and time, e.g. 2027-03-01 19:00',
      ],
      [
        { name: 'Sideways', tickets: 'all', direction: 'sideways' },
        'direction',
        'Choose entry or exit',
      ],
      [{ name: 'Gate', tickets: 'all', gate: 'g'.repeat(61) }, 'gate', 'Use at most 60 characters'],
      [{ name: 'Many', tickets: 'several' }, 'tickets', 'Choose all tickets or some ticket types'],
    ];
    for (const [fields, field, message] of cases) {
      const refused = await postForm(`${base(event.id)}/new`, fields, { cookie: ws.cookie });
      expect(refused.status, field).toBe(422);
      expect(refused.text, field).toContain(`id="f-${field}-error">${message}</p>`);
      expect(refused.text, field).toContain('role="alert"');
    }
    // The refused form comes back as typed.
    const typed = await postForm(
      `${base(event.id)}/new`,
      {
        name: 'Kept',
        tickets: 'all',
        validFrom: '2027-03-01T20:00',
        validUntil: '2027-03-01T19:00',
      },
      { cookie: ws.cookie },
    );
    expect(typed.text).toContain('value="Kept"');
    expect(typed.text).toContain('value="2027-03-01T20:00"');
    expect(await storedLists(event.id)).toEqual([]);
  });

  it('an unknown list is not found; a list of another event is not found', async () => {
    const event = await createPublishedEvent(auth);
    const other = await createPublishedEvent(auth);
    await postForm(
      `${base(other.id)}/new`,
      { name: 'Theirs', tickets: 'all' },
      { cookie: ws.cookie },
    );
    const theirs = (await lists(auth, other.id)).find((l) => l.name === 'Theirs');
    for (const listId of ['cl_nothing', theirs?.id ?? '']) {
      expect((await page(`${base(event.id)}/${listId}/edit`, ws.cookie)).status).toBe(404);
      const edit = await postForm(
        `${base(event.id)}/${listId}/edit`,
        { name: 'Mine now', tickets: 'all' },
        { cookie: ws.cookie },
      );
      expect(edit.status).toBe(404);
      const del = await postForm(`${base(event.id)}/${listId}/delete`, {}, { cookie: ws.cookie });
      expect(del.status).toBe(404);
    }
    expect(await storedLists(other.id)).toEqual([expect.objectContaining({ name: 'Theirs' })]);
  });

  it('a list form sent from another site is refused (403) and stores nothing', async () => {
    const event = await createPublishedEvent(auth);
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const refused = await postForm(
      `${base(event.id)}/new`,
      { name: 'Forged', tickets: 'all' },
      { cookie: ws.cookie, headers: crossSite },
    );
    expect(refused.status).toBe(403);
    expect(await storedLists(event.id)).toEqual([]);
  });
});
