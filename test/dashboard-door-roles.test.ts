import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../worker/access/roles';
import { sha256Hex } from '../worker/domain/crypto';
import { newId, randomToken } from '../worker/domain/ids';
import { type CreatedEvent, call, createPublishedEvent } from './support/api';
import {
  memberSession,
  page,
  postForm,
  signUpWithWorkspace,
  type Workspace,
  workspaceApiKey,
} from './support/dashboard';
import { createDevice, lists, nonce, paidTickets, sync } from './support/door';

/**
 * Who may use which door screen, checked on the server for every page and every form: the
 * role table says it (door and box office manage devices, only managers change lists and
 * review conflicts, finance sees no door screen), and an event outside a member's scope is
 * not found.
 */

let ws: Workspace;
let auth: Record<string, string>;
let event: CreatedEvent;
let conflictId: string;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Door Roles');
  auth = await workspaceApiKey(ws.organizerId);
  event = await createPublishedEvent(auth);
  const order = await paidTickets(event, 'ga', 1);
  const [main] = await lists(auth, event.id);
  const scan = (gate: string) => ({
    nonce: nonce(),
    code: order.tickets[0]?.code,
    listId: main?.id,
    scannedAt: new Date(Date.now() - 60_000).toISOString(),
    gate,
    result: 'ok',
  });
  await sync((await createDevice(auth, event.id)).auth, [scan('A')]);
  await sync((await createDevice(auth, event.id)).auth, [scan('B')]);
  const conflicts = await call<{ data: { id: number }[] }>(
    'GET',
    `/api/v1/organizer/events/${event.id}/checkin-conflicts`,
    { headers: auth },
  );
  conflictId = String(conflicts.body.data[0]?.id);
});

type Outcome = 'ok' | 403 | 404;

/** What each role gets: [lists, change lists, devices, conflicts, review conflicts]. */
// Refused roles first, so their refusals meet a conflict nobody reviewed yet.
const TABLE: Record<Role, [Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  finance: [403, 403, 403, 403, 403],
  door: ['ok', 403, 'ok', 403, 403],
  box_office: ['ok', 403, 'ok', 'ok', 403],
  event_manager: ['ok', 'ok', 'ok', 'ok', 'ok'],
  admin: ['ok', 'ok', 'ok', 'ok', 'ok'],
  owner: ['ok', 'ok', 'ok', 'ok', 'ok'],
};

const base = () => `/dashboard/events/${event.id}`;

async function isReviewed(): Promise<boolean> {
  const row = await env.DB.prepare(
    'SELECT 1 AS yes FROM door_conflict_reviews WHERE event_id = ? AND conflict_id = ?',
  )
    .bind(event.id, Number(conflictId))
    .first();
  return row !== null;
}

async function customListCount(): Promise<number> {
  return (await lists(auth, event.id)).length - 1;
}

/** Every screen and form of the door, as one member; answers by screen. */
async function tryEverything(cookie: string) {
  const device = await createDevice(auth, event.id);
  const listsBefore = await customListCount();
  const seen = {
    lists: (await page(`${base()}/checkin-lists`, cookie)).status,
    live: (await page(`${base()}/checkin-lists/live`, cookie)).status,
    newForm: (await page(`${base()}/checkin-lists/new`, cookie)).status,
    create: (
      await postForm(
        `${base()}/checkin-lists/new`,
        { name: 'Role list', tickets: 'all' },
        { cookie },
      )
    ).status,
    devices: (await page(`${base()}/devices`, cookie)).status,
    revokeForm: (await page(`${base()}/devices/${device.id}/revoke`, cookie)).status,
    revoke: (await postForm(`${base()}/devices/${device.id}/revoke`, {}, { cookie })).status,
    conflicts: (await page(`${base()}/conflicts`, cookie)).status,
  };
  const created = (await customListCount()) - listsBefore;
  const revoked =
    (await call('GET', '/api/v1/door/search?q=Ada', { headers: device.auth })).status === 401;
  return { seen, created, revoked };
}

const okOr = (outcome: Outcome, ok: number) => (outcome === 'ok' ? ok : outcome);

describe('door screens by role', () => {
  for (const [role, [listsOk, manageOk, devicesOk, conflictsOk, reviewOk]] of Object.entries(
    TABLE,
  ) as [Role, (typeof TABLE)[Role]][]) {
    it(`${role}: pages and forms answer by the role table, and refusals change nothing`, async () => {
      const cookie =
        role === 'owner' ? ws.cookie : (await memberSession(ws.organizerId, role)).cookie;
      const { seen, created, revoked } = await tryEverything(cookie);
      expect(seen, role).toEqual({
        lists: okOr(listsOk, 200),
        live: okOr(listsOk, 200),
        newForm: okOr(manageOk, 200),
        create: okOr(manageOk, 303),
        devices: okOr(devicesOk, 200),
        revokeForm: okOr(devicesOk, 200),
        revoke: okOr(devicesOk, 303),
        conflicts: okOr(conflictsOk, 200),
      });
      expect(created, role).toBe(manageOk === 'ok' ? 1 : 0);
      expect(revoked, role).toBe(devicesOk === 'ok');

      // The links a role sees are the screens it may open; no button it may not press.
      const summary = await page(base(), cookie);
      expect(summary.text.includes(`${base()}/checkin-lists"`), role).toBe(listsOk === 'ok');
      expect(summary.text.includes(`${base()}/devices"`), role).toBe(devicesOk === 'ok');
      expect(summary.text.includes(`${base()}/conflicts"`), role).toBe(conflictsOk === 'ok');
      if (listsOk === 'ok') {
        const listsPage = await page(`${base()}/checkin-lists`, cookie);
        expect(listsPage.text.includes('/checkin-lists/new"'), role).toBe(manageOk === 'ok');
        expect(listsPage.text.includes('/edit"'), role).toBe(manageOk === 'ok');
      }
      if (conflictsOk === 'ok' && !(await isReviewed())) {
        const conflicts = await page(`${base()}/conflicts`, cookie);
        expect(conflicts.text.includes('/review"'), role).toBe(reviewOk === 'ok');
      }

      const wasReviewed = await isReviewed();
      const review = await postForm(`${base()}/conflicts/${conflictId}/review`, {}, { cookie });
      expect(review.status, role).toBe(okOr(reviewOk, 303));
      expect(await isReviewed(), role).toBe(wasReviewed || reviewOk === 'ok');
    });
  }

  it('a member scoped to other events, or of another workspace, finds nothing (404)', async () => {
    const scoped = await memberSession(ws.organizerId, 'event_manager', ['evt_someotherevent0000']);
    const stranger = await signUpWithWorkspace('Strangers at the door');
    for (const cookie of [scoped.cookie, stranger.cookie]) {
      const { seen, created, revoked } = await tryEverything(cookie);
      expect(Object.values(seen)).toEqual(Object.values(seen).map(() => 404));
      expect(created).toBe(0);
      expect(revoked).toBe(false);
      const review = await postForm(`${base()}/conflicts/${conflictId}/review`, {}, { cookie });
      expect(review.status).toBe(404);
    }
  });

  it('a member scoped to this event uses its door screens', async () => {
    const scoped = await memberSession(ws.organizerId, 'door', [event.id]);
    expect((await page(`${base()}/checkin-lists`, scoped.cookie)).status).toBe(200);
    expect((await page(`${base()}/devices`, scoped.cookie)).status).toBe(200);
  });

  it('the API refuses a review to a role without checkin.manage (403)', async () => {
    const key = `tsk_test_${randomToken(32)}`;
    await env.DB.prepare(
      "INSERT INTO api_keys (id, organizer_id, key_hash, label, role) VALUES (?, ?, ?, 'door', 'box_office')",
    )
      .bind(newId('key'), ws.organizerId, await sha256Hex(key))
      .run();
    const refused = await call(
      'POST',
      `/api/v1/organizer/events/${event.id}/checkin-conflicts/${conflictId}/review`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    expect(refused.status).toBe(403);
  });
});
