import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Role } from '../worker/access/roles';
import { call, createOrganizer, createPublishedEvent, typeId } from './support/api';
import {
  memberSession,
  page,
  postForm,
  signUpWithWorkspace,
  workspaceApiKey,
} from './support/dashboard';
import { purchase } from './support/db-snapshot';

/** The event editor in the dashboard: forms that post and redirect, refusals per field. */

const countEvents = async (organizerId: string) =>
  (
    await env.DB.prepare('SELECT count(*) AS n FROM events WHERE organizer_id = ?')
      .bind(organizerId)
      .first<{ n: number }>()
  )?.n ?? 0;

function newEventForm(slug: string): Record<string, string | string[]> {
  return {
    intent: 'save',
    title: 'Moth Club Night',
    slug,
    description: 'Two floors.',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    startsAt: '2027-10-02T21:00',
    endsAt: '',
    salesStartAt: '',
    salesEndAt: '',
    holdMinutes: '10',
    maxPerOrder: '6',
    maxHeldPerClient: '',
    'venue.name': 'Moth Club',
    'venue.city': 'Berlin',
    'types.0.name': 'Early bird',
    'types.0.price': '19.50',
    'types.0.capacity': '100',
    'types.1.name': 'Regular',
    'types.1.price': '25',
    'types.1.capacity': '200',
    'quotas.present': '1',
    'quotas.0.name': 'Floor',
    'quotas.0.size': '250',
    'quotas.0.types': ['early-bird', 'regular'],
    'waitingRoom.mode': 'auto',
    'waitingRoom.autoThreshold': '150',
    allowedOrigins: 'https://mothclub.example',
  };
}

async function createByForm(cookie: string, slug: string): Promise<string> {
  const created = await postForm('/dashboard/events/new', newEventForm(slug), { cookie });
  expect(created.status, created.text.slice(0, 400)).toBe(303);
  const id = /\/dashboard\/events\/(evt_[0-9a-z]+)\?done=created$/.exec(
    created.location ?? '',
  )?.[1];
  if (!id) throw new Error(`no event in ${created.location}`);
  return id;
}

describe('the event editor', () => {
  it('creates an event from the form: two types sharing a quota, the room, the widget site', async () => {
    const ws = await signUpWithWorkspace();
    const blank = await page('/dashboard/events/new', ws.cookie);
    expect(blank.status).toBe(200);
    expect(blank.text).toContain('name="types.0.name"');
    expect(blank.text).toContain('<option value="Europe/Berlin" selected');

    const id = await createByForm(ws.cookie, 'moth-club-night');
    const { auth } = await apiKeyFor(ws.organizerId);
    const read = await call('GET', `/api/v1/organizer/events/${id}`, { headers: auth });
    expect(read.body).toMatchObject({
      status: 'draft',
      startsAt: '2027-10-02T19:00:00.000Z',
      ticketTypes: [
        { key: 'early-bird', priceMinor: 1950, capacity: 100 },
        { key: 'regular', priceMinor: 2500, capacity: 200 },
      ],
      quotas: [{ name: 'Floor', size: 250, ticketTypes: ['early-bird', 'regular'] }],
      waitingRoom: { mode: 'auto', autoThreshold: 150 },
      allowedOrigins: ['https://mothclub.example'],
    });
    const summary = await page(`/dashboard/events/${id}?done=created`, ws.cookie);
    expect(summary.text).toContain('Draft created');
    expect(summary.text).toContain(`action="/dashboard/events/${id}/publish"`);
  });

  it('draws a refused form again as typed, with each error at its field, and writes nothing', async () => {
    const ws = await signUpWithWorkspace();
    const before = await countEvents(ws.organizerId);
    const refused = await postForm(
      '/dashboard/events/new',
      { ...newEventForm('refused-night'), title: '', 'types.1.price': 'cheap', startsAt: 'soon' },
      { cookie: ws.cookie },
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('class="error-summary"');
    expect(refused.text).toMatch(/id="f-types-1-price"[^>]*aria-invalid="true"/);
    expect(refused.text).toMatch(/id="f-startsAt"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('value="cheap"');
    // An empty title is told in words, not in zod's ("Too small: expected string …").
    expect(refused.text).toMatch(/id="f-title"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('Required: this can not be empty');
    expect(refused.text).not.toContain('Too small');
    expect(await countEvents(ws.organizerId)).toBe(before);
  });

  it('adds a blank ticket-type row without saving anything', async () => {
    const ws = await signUpWithWorkspace();
    const before = await countEvents(ws.organizerId);
    const more = await postForm(
      '/dashboard/events/new',
      { ...newEventForm('more-rows'), intent: 'add-type' },
      { cookie: ws.cookie },
    );
    expect(more.status).toBe(200);
    expect(more.text).toContain('name="types.2.name"');
    expect(more.text).toContain('value="Regular"');
    expect(await countEvents(ws.organizerId)).toBe(before);
  });

  it('edits, publishes, takes off sale, copies and cancels through the event’s buttons', async () => {
    const ws = await signUpWithWorkspace();
    const id = await createByForm(ws.cookie, 'button-night');
    const edit = await page(`/dashboard/events/${id}/edit`, ws.cookie);
    expect(edit.text).toContain('value="2027-10-02T21:00"');
    expect(edit.text).toContain('value="19.50"');

    const fields: Record<string, string | string[]> = {
      ...newEventForm('button-night'),
      title: 'Button Night',
    };
    const typeIds = [...edit.text.matchAll(/name="types\.(\d+)\.id" value="(tt_[0-9a-z]+)"/g)];
    for (const [, row, typeId] of typeIds) fields[`types.${row}.id`] = typeId ?? '';
    const saved = await postForm(`/dashboard/events/${id}/edit`, fields, { cookie: ws.cookie });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect(saved.location).toBe(`/dashboard/events/${id}?done=saved`);

    for (const [step, status] of [
      ['publish', 'on_sale'],
      ['unpublish', 'draft'],
      ['publish', 'on_sale'],
      ['cancel', 'canceled'],
    ] as const) {
      const pressed = await postForm(`/dashboard/events/${id}/${step}`, {}, { cookie: ws.cookie });
      expect(pressed.status, step).toBe(303);
      const row = await env.DB.prepare('SELECT title, status FROM events WHERE id = ?')
        .bind(id)
        .first<{ title: string; status: string }>();
      expect(row, step).toEqual({ title: 'Button Night', status });
    }
    const copied = await postForm(`/dashboard/events/${id}/duplicate`, {}, { cookie: ws.cookie });
    expect(copied.status).toBe(303);
    expect(copied.location).toMatch(/\/dashboard\/events\/evt_[0-9a-z]+\?done=copied$/);
    expect(await countEvents(ws.organizerId)).toBe(2);
  });

  it('lets each role do only what it may, and never another workspace’s event', async () => {
    const ws = await signUpWithWorkspace();
    const id = await createByForm(ws.cookie, 'roles-night');
    const other = await createByForm(ws.cookie, 'roles-other');
    const expectations: [
      Role,
      string[] | null,
      { create: number; edit: number; publish: number },
    ][] = [
      ['admin', null, { create: 200, edit: 200, publish: 303 }],
      ['event_manager', null, { create: 200, edit: 200, publish: 303 }],
      ['event_manager', [other], { create: 403, edit: 404, publish: 404 }],
      ['box_office', null, { create: 403, edit: 403, publish: 403 }],
      ['door', null, { create: 403, edit: 403, publish: 403 }],
      ['finance', null, { create: 403, edit: 403, publish: 403 }],
    ];
    for (const [role, scope, expected] of expectations) {
      const member = await memberSession(ws.organizerId, role, scope);
      const label = `${role} ${scope ? 'scoped' : 'all'}`;
      expect((await page('/dashboard/events/new', member.cookie)).status, label).toBe(
        expected.create,
      );
      expect((await page(`/dashboard/events/${id}/edit`, member.cookie)).status, label).toBe(
        expected.edit,
      );
      const publish = await postForm(
        `/dashboard/events/${id}/unpublish`,
        {},
        {
          cookie: member.cookie,
        },
      );
      expect(publish.status, label).toBe(expected.publish);
    }

    const stranger = await signUpWithWorkspace('Strangers');
    for (const path of [`/dashboard/events/${id}`, `/dashboard/events/${id}/edit`]) {
      expect((await page(path, stranger.cookie)).status, path).toBe(404);
    }
    for (const step of ['edit', 'publish', 'cancel', 'duplicate']) {
      const refused = await postForm(`/dashboard/events/${id}/${step}`, newEventForm('x'), {
        cookie: stranger.cookie,
      });
      expect(refused.status, step).toBe(404);
    }
  });

  it('refuses a form posted from another site and writes nothing', async () => {
    const ws = await signUpWithWorkspace();
    const before = await countEvents(ws.organizerId);
    const forged = await postForm('/dashboard/events/new', newEventForm('forged-night'), {
      cookie: ws.cookie,
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect(await countEvents(ws.organizerId)).toBe(before);
  });
});

describe('sold / capacity on the workspace home and events list', () => {
  it('counts a quota the ticket types share once (General 500 + VIP 50 in a venue of 520)', async () => {
    const ws = await signUpWithWorkspace();
    const event = await createPublishedEvent(await workspaceApiKey(ws.organizerId), {
      title: 'Shared Venue Night',
    });
    await purchase(event, typeId(event, 'vip'), 2);
    for (const path of ['/dashboard', '/dashboard/events']) {
      const row = (await page(path, ws.cookie)).text
        .split('<tr>')
        .find((r) => r.includes('Shared Venue Night'));
      expect(row, path).toMatch(/>\s*2 \/ 520\s*</);
    }
  });
});

describe('the way from the workspace home into the editor (found in the browser test)', () => {
  it('links to a new event for those who may create one, and not for the door', async () => {
    const ws = await signUpWithWorkspace();
    for (const path of ['/dashboard', '/dashboard/events']) {
      expect((await page(path, ws.cookie)).text, path).toContain('href="/dashboard/events/new"');
    }
    const door = await memberSession(ws.organizerId, 'door');
    for (const path of ['/dashboard', '/dashboard/events']) {
      expect((await page(path, door.cookie)).text, path).not.toContain('/dashboard/events/new');
    }
  });

  it('ticks "Add ticket types" off the checklist once an event has them', async () => {
    const ws = await signUpWithWorkspace();
    await createByForm(ws.cookie, 'checklist-night');
    const home = await page('/dashboard', ws.cookie);
    expect(home.text).toMatch(/<span class="done">Done<\/span> Add ticket types/);
    expect(home.text).toContain('1 of 4 steps left.'); // publishing is left
  });

  it('offers a typed, not yet saved ticket type for a quota (its key made from the name)', async () => {
    const ws = await signUpWithWorkspace();
    const form = newEventForm('unsaved-types');
    for (const name of Object.keys(form)) if (name.startsWith('quotas.')) delete form[name];
    const more = await postForm(
      '/dashboard/events/new',
      { ...form, intent: 'add-quota' },
      { cookie: ws.cookie },
    );
    expect(more.status).toBe(200);
    expect(more.text).toMatch(/name="quotas\.0\.types" value="early-bird"/);
    expect(more.text).toMatch(/name="quotas\.0\.types" value="regular"/);
    expect(more.text).toContain('<legend>Quota 1</legend>');
    expect(more.text).toContain('<legend>Ticket type 2</legend>');
  });

  it('makes "save" the form’s first submit button, which Enter in a field presses', async () => {
    const ws = await signUpWithWorkspace();
    const blank = await page('/dashboard/events/new', ws.cookie);
    const form = blank.text.slice(blank.text.indexOf('action="/dashboard/events/new"'));
    const first = /<button[^>]*type="submit"[^>]*>/.exec(form)?.[0] ?? '';
    expect(first).toContain('value="save"');
    expect(first).toContain('tabindex="-1"');
  });
});

/** An admin API key of a workspace, to read what the dashboard wrote through the API. */
async function apiKeyFor(organizerId: string) {
  const key = await createOrganizer();
  await env.DB.prepare(
    'UPDATE api_keys SET organizer_id = ? WHERE key_hash IN (SELECT key_hash FROM api_keys WHERE organizer_id = ?)',
  )
    .bind(organizerId, key.organizerId)
    .run();
  return key;
}
