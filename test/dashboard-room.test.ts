import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { call, createPublishedEvent } from './support/api';
import {
  dashboardWorld,
  memberSession,
  page,
  postForm,
  signUpWithWorkspace,
} from './support/dashboard';

/**
 * The waiting room on an event's dashboard page: live figures (a fragment htmx polls), and
 * pause / resume / rate controls that reach the event's DO. Ticks come from the DO's real alarm.
 */

const world = dashboardWorld('Room Owners');

/** A published event whose room always queues, admitting one buyer a second. */
async function roomEvent(): Promise<string> {
  const event = await createPublishedEvent(world.auth, {
    waitingRoom: { mode: 'always', admitPerMinute: 60, activeLimit: 100 },
  });
  return event.id;
}

async function joinLine(eventId: string, people: number): Promise<void> {
  const stub = inventoryFor(env, eventId);
  for (let i = 0; i < people; i++) expect((await stub.joinQueue()).ok).toBe(true);
}

/** Fires the DO's pending alarm (if any) and reads how far the line was admitted. */
async function tick(eventId: string): Promise<number> {
  const stub = inventoryFor(env, eventId);
  await runDurableObjectAlarm(stub);
  return (await stub.roomState())?.watermark ?? -1;
}

describe('the waiting room panel', () => {
  it('shows the live figures in the page and as a fragment htmx refreshes', async () => {
    const eventId = await roomEvent();
    await joinLine(eventId, 4);
    expect(await tick(eventId)).toBe(1);
    const summary = await page(`/dashboard/events/${eventId}`, world.ws.cookie);
    expect(summary.status).toBe(200);
    expect(summary.text).toContain(`hx-get="/dashboard/events/${eventId}/room"`);
    expect(summary.text).toMatch(/hx-trigger="every [2-5]s"/);
    expect(summary.text).toContain(`href="/dashboard/events/${eventId}#waiting-room"`);
    expect(summary.text).toMatch(
      /<script src="\/dashboard\/assets\/htmx\.min\.js\?v=[0-9a-f]+" defer/,
    );
    expect(summary.headers.get('content-security-policy')).not.toContain('unsafe-inline');

    const fragment = await page(`/dashboard/events/${eventId}/room`, world.ws.cookie);
    expect(fragment.status).toBe(200);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain('<dt>In line</dt><dd>3</dd>');
    // The admitted buyer's slot is reserved until they claim it.
    expect(fragment.text).toContain('<dt>Shopping now</dt><dd>1 of 100</dd>');
    // Three ahead at the one admission the room made in the last minute.
    expect(fragment.text).toContain('About 3 minutes');
    expect(fragment.headers.get('cache-control')).toBe('no-store');
  });

  it('serves htmx from npm under a content hash, cached for a year', async () => {
    const summary = await page(`/dashboard/events/${await roomEvent()}`, world.ws.cookie);
    const path = /src="(\/dashboard\/assets\/htmx\.min\.js\?v=[0-9a-f]+)"/.exec(summary.text)?.[1];
    const asset = await page(path ?? '/missing');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toContain('htmx');
    expect(asset.text.length).toBeGreaterThan(40_000);
    // htmx is told not to inject its indicator style (the CSP allows no inline style).
    expect(summary.text).toContain('name="htmx-config"');
    expect(summary.text).toContain('&quot;includeIndicatorStyles&quot;:false');
  });

  it('pause stops admissions at the next ticks, resume starts them again', async () => {
    const eventId = await roomEvent();
    await joinLine(eventId, 10);
    expect(await tick(eventId)).toBe(1);

    const paused = await postForm(
      `/dashboard/events/${eventId}/room/pause`,
      {},
      { cookie: world.ws.cookie },
    );
    expect(paused.status).toBe(303);
    expect(paused.location).toBe(`/dashboard/events/${eventId}?done=paused`);
    for (let i = 0; i < 3; i++) expect(await tick(eventId)).toBe(1);
    const fragment = await page(`/dashboard/events/${eventId}/room`, world.ws.cookie);
    expect(fragment.text).toContain('Paused: the line stands still');
    const summary = await page(`/dashboard/events/${eventId}`, world.ws.cookie);
    expect(summary.text).toContain(`action="/dashboard/events/${eventId}/room/resume"`);

    const resumed = await postForm(
      `/dashboard/events/${eventId}/room/resume`,
      {},
      { cookie: world.ws.cookie },
    );
    expect(resumed.status).toBe(303);
    expect(await tick(eventId)).toBe(2);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE subject_id = ? AND action LIKE 'waiting_room.%' ORDER BY rowid",
    )
      .bind(eventId)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      'waiting_room.paused',
      'waiting_room.resumed',
    ]);
  });

  it('a room that is off has nothing to pause (409, nothing changed)', async () => {
    const event = await createPublishedEvent(world.auth);
    const refused = await postForm(
      `/dashboard/events/${event.id}/room/pause`,
      {},
      { cookie: world.ws.cookie },
    );
    expect(refused.status).toBe(409);
    expect((await inventoryFor(env, event.id).availability())?.waitingRoom.paused).toBe(false);
  });

  it('a new rate goes through the event patch: D1 and the DO agree, and it takes effect', async () => {
    const eventId = await roomEvent();
    await joinLine(eventId, 20);
    // The clock stands still from the first tick, so a slow machine adds no admissions between
    // the ticks. The DO reads this isolate's Date, which the test moves.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.now();
      vi.setSystemTime(start);
      expect(await tick(eventId)).toBe(1);
      const changed = await postForm(
        `/dashboard/events/${eventId}/room/rate`,
        { admitPerMinute: '600' },
        { cookie: world.ws.cookie },
      );
      expect(changed.status).toBe(303);
      const read = await call('GET', `/api/v1/organizer/events/${eventId}`, {
        headers: world.auth,
      });
      expect(read.body).toMatchObject({
        waitingRoom: { mode: 'always', admitPerMinute: 600, activeLimit: 100 },
      });
      expect((await inventoryFor(env, eventId).roomState())?.admitPerMinute).toBe(600);
      // A second later the tick admits 10 (600 a minute) instead of 1.
      vi.setSystemTime(start + 1_000);
      expect(await tick(eventId)).toBe(11);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a bad rate is refused at its field and changes nothing', async () => {
    const eventId = await roomEvent();
    for (const value of ['fast', '0', '-5', '99999999999']) {
      const refused = await postForm(
        `/dashboard/events/${eventId}/room/rate`,
        { admitPerMinute: value },
        { cookie: world.ws.cookie },
      );
      expect(refused.status, value).toBe(422);
      expect(refused.text).toContain('id="room-rate-error"');
      expect(refused.text).toContain('aria-invalid="true"');
    }
    expect((await inventoryFor(env, eventId).roomState())?.admitPerMinute).toBe(60);
    const read = await call('GET', `/api/v1/organizer/events/${eventId}`, { headers: world.auth });
    expect(read.body).toMatchObject({ waitingRoom: { admitPerMinute: 60 } });
  });
});

describe('who may watch and control the room', () => {
  it('stats.read sees the figures; only event.edit controls; door sees neither', async () => {
    const eventId = await roomEvent();
    const roles = {
      event_manager: { view: 200, control: 303 },
      box_office: { view: 200, control: 403 },
      finance: { view: 200, control: 403 },
      door: { view: 403, control: 403 },
    } as const;
    for (const [role, expected] of Object.entries(roles)) {
      const member = await memberSession(world.ws.organizerId, role as keyof typeof roles);
      const fragment = await page(`/dashboard/events/${eventId}/room`, member.cookie);
      expect(fragment.status, role).toBe(expected.view);
      const summary = await page(`/dashboard/events/${eventId}`, member.cookie);
      expect(summary.text.includes('id="room-live"'), role).toBe(expected.view === 200);
      expect(summary.text.includes('/room/pause"'), role).toBe(expected.control === 303);
      const pause = await postForm(
        `/dashboard/events/${eventId}/room/pause`,
        {},
        { cookie: member.cookie },
      );
      expect(pause.status, role).toBe(expected.control);
      const rate = await postForm(
        `/dashboard/events/${eventId}/room/rate`,
        { admitPerMinute: '77' },
        { cookie: member.cookie },
      );
      expect(rate.status, role).toBe(expected.control);
      if (expected.control === 303) {
        await postForm(`/dashboard/events/${eventId}/room/resume`, {}, { cookie: member.cookie });
      }
    }
    // Only the event manager changed anything (and resumed again).
    expect((await inventoryFor(env, eventId).availability())?.waitingRoom).toMatchObject({
      paused: false,
      admitPerMinute: 77,
    });
  });

  it('an event outside a scope or another workspace is not found', async () => {
    const eventId = await roomEvent();
    const scoped = await memberSession(world.ws.organizerId, 'event_manager', [
      'evt_someotherevent0000',
    ]);
    const other = await signUpWithWorkspace('Strangers');
    for (const cookie of [scoped.cookie, other.cookie]) {
      expect((await page(`/dashboard/events/${eventId}/room`, cookie)).status).toBe(404);
      const pause = await postForm(`/dashboard/events/${eventId}/room/pause`, {}, { cookie });
      expect(pause.status).toBe(404);
    }
    expect((await inventoryFor(env, eventId).availability())?.waitingRoom.paused).toBe(false);
  });

  it('a pause or rate form sent from another site is refused (403) and changes nothing', async () => {
    const eventId = await roomEvent();
    const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const pause = await postForm(
      `/dashboard/events/${eventId}/room/pause`,
      {},
      { cookie: world.ws.cookie, headers: crossSite },
    );
    expect(pause.status).toBe(403);
    const rate = await postForm(
      `/dashboard/events/${eventId}/room/rate`,
      { admitPerMinute: '5' },
      { cookie: world.ws.cookie, headers: crossSite },
    );
    expect(rate.status).toBe(403);
    expect((await inventoryFor(env, eventId).availability())?.waitingRoom).toMatchObject({
      paused: false,
      admitPerMinute: 60,
    });
  });
});
