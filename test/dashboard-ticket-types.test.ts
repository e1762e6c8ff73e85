import { describe, expect, it } from 'vitest';
import { type CreatedEvent, call, createPublishedEvent, typeId } from './support/api';
import { dashboardWorld, page, postForm } from './support/dashboard';
import { countRows, holdTickets } from './support/purchase';

/**
 * Ticket types: hidden (not shown or sold to buyers, sales and stats kept) and reordered,
 * through the organizer API (`hidden`, `position`) and the editor's no-JS form.
 */

const world = dashboardWorld('Type Setters');

const patch = (eventId: string, body: unknown) =>
  call('PATCH', `/api/v1/organizer/events/${eventId}`, { body, headers: world.auth });

type OrganizerEvent = {
  ticketTypes: { id: string; key: string; hidden: boolean; position: number }[];
};
const readEvent = async (eventId: string) =>
  (
    await call<OrganizerEvent>('GET', `/api/v1/organizer/events/${eventId}`, {
      headers: world.auth,
    })
  ).body;
const storefrontTypes = async (event: CreatedEvent) =>
  (await call<{ ticketTypes: { id: string }[] }>('GET', `/api/v1/events/${event.slug}`)).body
    .ticketTypes;

describe('hidden ticket types', () => {
  it('are not shown or sold to buyers, and keep what they sold', async () => {
    const event = await createPublishedEvent(world.auth);
    const vip = typeId(event, 'vip');
    expect((await holdTickets(event, 'vip', 2)).status).toBe(201);

    const hidden = await patch(event.id, { ticketTypes: [{ id: vip, hidden: true }] });
    expect(hidden.status).toBe(200);
    expect((await readEvent(event.id)).ticketTypes.find((t) => t.id === vip)?.hidden).toBe(true);
    expect((await storefrontTypes(event)).map((t) => t.id)).toEqual([typeId(event, 'ga')]);
    const hosted = await page(`/e/${event.slug}`);
    expect(hosted.text).not.toContain('VIP');
    expect(hosted.text).toContain('General admission');

    const refused = await holdTickets(event, 'vip', 1);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'not_on_sale',
      reason: 'hidden',
      ticketTypeIds: [vip],
    });
    // Its held tickets stay counted in the organizer's stats.
    const stats = await call<{ ticketTypes: { id: string; held: number }[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { headers: world.auth },
    );
    expect(stats.body.ticketTypes.find((t) => t.id === vip)?.held).toBe(2);

    expect((await patch(event.id, { ticketTypes: [{ id: vip, hidden: false }] })).status).toBe(200);
    expect((await holdTickets(event, 'vip', 1)).status).toBe(201);
  });
});

describe('reordering ticket types', () => {
  it('a position moves a type; buyers see the new order', async () => {
    const event = await createPublishedEvent(world.auth);
    const [ga, vip] = [typeId(event, 'ga'), typeId(event, 'vip')];
    const moved = await patch(event.id, { ticketTypes: [{ id: vip, position: 0 }] });
    expect(moved.status).toBe(200);
    const types = (await readEvent(event.id)).ticketTypes;
    expect(types.map((t) => [t.key, t.position])).toEqual([
      ['vip', 0],
      ['ga', 1],
    ]);
    expect((await storefrontTypes(event)).map((t) => t.id)).toEqual([vip, ga]);
  });

  it('bad positions and flags are refused and change nothing', async () => {
    const event = await createPublishedEvent(world.auth);
    const vip = typeId(event, 'vip');
    const before = await countRows('SELECT 1 FROM audit_log WHERE subject_id = ?', event.id);
    for (const change of [
      { position: -1 },
      { position: 50 },
      { position: 1.5 },
      { hidden: 'yes' },
    ]) {
      const refused = await patch(event.id, { ticketTypes: [{ id: vip, ...change }] });
      expect(refused.status, JSON.stringify(change)).toBe(422);
      expect(refused.body).toMatchObject({ code: 'validation_failed' });
    }
    expect((await readEvent(event.id)).ticketTypes.map((t) => [t.key, t.hidden])).toEqual([
      ['ga', false],
      ['vip', false],
    ]);
    expect(await countRows('SELECT 1 FROM audit_log WHERE subject_id = ?', event.id)).toBe(before);
  });
});

describe('the editor form', () => {
  it('Up and Down swap rows without saving; Save keeps the order and the hidden flag', async () => {
    const event = await createPublishedEvent(world.auth);
    const editor = await page(`/dashboard/events/${event.id}/edit`, world.ws.cookie);
    expect(editor.text).toContain('aria-label="Move VIP up"');
    expect(editor.text).toContain('name="types.1.hidden"');
    const fields = formValues(editor.text);

    const moved = await postForm(
      `/dashboard/events/${event.id}/edit`,
      { ...fields, intent: 'move-type:1:up' },
      { cookie: world.ws.cookie },
    );
    expect(moved.status).toBe(200);
    expect(moved.text.indexOf('value="VIP"')).toBeLessThan(
      moved.text.indexOf('value="General admission"'),
    );
    expect((await readEvent(event.id)).ticketTypes.map((t) => t.key)).toEqual(['ga', 'vip']);

    const saved = await postForm(
      `/dashboard/events/${event.id}/edit`,
      { ...formValues(moved.text), 'types.1.hidden': '1', intent: 'save' },
      { cookie: world.ws.cookie },
    );
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect((await readEvent(event.id)).ticketTypes.map((t) => [t.key, t.hidden])).toEqual([
      ['vip', false],
      ['ga', true],
    ]);
    const summary = await page(`/dashboard/events/${event.id}`, world.ws.cookie);
    expect(summary.text).toContain('<span class="badge">hidden</span>');
  });
});

/** The editor's text inputs and checked boxes as a browser would send them. */
function formValues(html: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const known = values[name];
    values[name] = known === undefined ? value : ([] as string[]).concat(known, value);
  };
  const decode = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    const value = decode(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (/type="checkbox"/.test(tag) && !/\bchecked\b/.test(tag)) continue;
    add(name, value);
  }
  for (const [, name, body] of html.matchAll(
    /<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    const selected = /<option value="([^"]*)" selected/.exec(body ?? '')?.[1];
    if (name && selected !== undefined) add(name, decode(selected));
  }
  for (const [, name, body] of html.matchAll(
    /<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g,
  )) {
    if (name) add(name, decode(body ?? ''));
  }
  return values;
}
