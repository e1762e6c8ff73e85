import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RoomStats } from '../durable-objects/waiting-room/types';
import { inventoryFor } from '../worker/catalog/inventory';
import { newId } from '../worker/domain/ids';
import { forgetRoomState, getRoomState } from '../worker/waiting-room/room-state';
import { signAdmissionToken, signQueueToken } from '../worker/waiting-room/tokens';
import type { QueueView } from '../worker/waiting-room/view';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  typeId,
} from './support/api';
import { expectProblem } from './support/db-snapshot';

type Auth = Record<string, string>;

let auth: Auth;
let clients = 0;

beforeAll(async () => {
  ({ auth } = await createOrganizer('Waiting room'));
});

/**
 * A room that always queues. Its rate (1 a minute) admits nobody while a test runs, even
 * though the DO's real alarm ticks every second; `admitNow` opens the gate.
 */
function roomEvent(
  waitingRoom: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) {
  return createPublishedEvent(auth, {
    waitingRoom: { ...FROZEN, ...waitingRoom },
    ...overrides,
  });
}
const FROZEN = { mode: 'always', admitPerMinute: 1 };

/**
 * Lets the line in up to `activeLimit` shoppers: the organizer raises the rate, then one
 * admission tick (the DO's real alarm) runs and the edge copies are dropped.
 */
async function admitNow(eventId: string, activeLimit = 500): Promise<void> {
  const patched = await call('PATCH', `/api/v1/organizer/events/${eventId}`, {
    headers: auth,
    body: { waitingRoom: { mode: 'always', admitPerMinute: 1_000_000, activeLimit } },
  });
  expect(patched.status).toBe(200);
  await runDurableObjectAlarm(inventoryFor(env, eventId));
  await forgetRoomState(eventId);
}

/** Each buyer comes from an address of their own, as in a real rush (the limiter is per client). */
function join(eventId: string, headers: Auth = {}) {
  clients += 1;
  return call<QueueView>('POST', `/api/v1/events/${eventId}/queue`, {
    headers: {
      'cf-connecting-ip': `10.${clients >> 16}.${(clients >> 8) & 255}.${clients & 255}`,
      ...headers,
    },
  });
}

async function joined(eventId: string): Promise<QueueView> {
  const res = await join(eventId);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function status(eventId: string, token: string | undefined) {
  return call<QueueView>('GET', `/api/v1/events/${eventId}/queue/status`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

function holdAt(event: CreatedEvent, admission?: string) {
  return call<{ holdId: string; reason?: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items: [{ ticketTypeId: typeId(event, 'ga'), quantity: 1 }] },
    headers: admission === undefined ? {} : { 'tessera-admission': admission },
  });
}

async function requestsServed(eventId: string): Promise<number> {
  return (await inventoryFor(env, eventId).metrics()).requests;
}

describe('joining the line', () => {
  it('hands out a queue token; a reload with it keeps the place and joins no second time', async () => {
    const event = await roomEvent();
    const first = await joined(event.id);
    expect(first).toMatchObject({
      state: 'waiting',
      phase: 'queue',
      position: 1,
      peopleAhead: 0,
      queueLength: 1,
      progress: 0,
    });
    expect(first.queueToken).toEqual(expect.any(String));
    expect(first.admissionToken).toBeUndefined();
    expect(first.pollAfterSeconds).toBeGreaterThan(0);

    const second = await joined(event.id);
    expect(second.position).toBe(2);

    const reload = await join(event.id, { authorization: `Bearer ${first.queueToken}` });
    expect(reload.status).toBe(200);
    expect(reload.headers.get('cache-control')).toBe('no-store');
    expect(reload.body).toMatchObject({ queueToken: first.queueToken, position: 1 });
    await forgetRoomState(event.id);
    const room = await inventoryFor(env, event.id).roomState();
    expect(room?.joined).toBe(2);
  });

  it('a token of another event on a join gets a fresh place, not the other place', async () => {
    const [one, two] = await Promise.all([roomEvent(), roomEvent()]);
    const elsewhere = await joined(one.id);
    const res = await join(two.id, { authorization: `Bearer ${elsewhere.queueToken}` });
    expect(res.status).toBe(201);
    expect(res.body.queueToken).not.toBe(elsewhere.queueToken);
  });

  it('refuses what has no line: room off, queue not open yet, drafts, unknown events', async () => {
    const off = await createPublishedEvent(auth, { waitingRoom: { mode: 'off' } });
    expectProblem(await join(off.id), { status: 409, code: 'waiting_room_off' });

    const salesStartAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const early = await roomEvent({ preQueueMinutes: 30 }, { salesStartAt });
    const notOpen = await join(early.id);
    expectProblem(notOpen, { status: 409, code: 'queue_not_open' });
    const { opensAt } = notOpen.body as unknown as { opensAt: string };
    expect(Date.parse(opensAt)).toBe(Date.parse(salesStartAt) - 30 * 60_000);

    expectProblem(await join(newId('evt')), { status: 404, code: 'not_found' });
    expectProblem(await join('not-an-event'), { status: 404, code: 'not_found' });
  });

  it('rate limits joins per client and event: 429 rate_limited with Retry-After', async () => {
    const event = await roomEvent();
    const headers = { 'cf-connecting-ip': '198.51.100.7' };
    const limit = 20; // wrangler.toml, QUEUE_JOIN_LIMITER
    // The local limiter counts in fixed windows: a fresh client gets `limit` joins, and within
    // the next `limit + 1` one must be refused even if a window boundary falls in between.
    for (let i = 0; i < limit; i++) expect((await join(event.id, headers)).status).toBe(201);
    let refused: Awaited<ReturnType<typeof join>> | undefined;
    for (let i = 0; i <= limit && !refused; i++) {
      const res = await join(event.id, headers);
      if (res.status !== 201) refused = res;
    }
    expect(refused).toBeDefined();
    if (!refused) return;
    expectProblem(refused, { status: 429, code: 'rate_limited' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client, or the same client at another event, is not affected.
    expect((await join(event.id, { 'cf-connecting-ip': '198.51.100.8' })).status).toBe(201);
    const other = await roomEvent();
    expect((await join(other.id, headers)).status).toBe(201);
  });
});

describe('status polls', () => {
  // 200 joins and 400 polls: slow on a loaded 2-core machine; the DO's count is what is asserted.
  it('200 buyers polling cost the Durable Object O(1) requests, not 200', async () => {
    const event = await roomEvent();
    const buyers: QueueView[] = [];
    for (let batch = 0; batch < 8; batch++) {
      buyers.push(...(await Promise.all(Array.from({ length: 25 }, () => joined(event.id)))));
    }
    await forgetRoomState(event.id);
    const before = await requestsServed(event.id);
    const started = Date.now();
    const polls = await Promise.all(buyers.map((b) => status(event.id, b.queueToken)));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    const after = await requestsServed(event.id);
    for (const poll of polls) {
      expect(poll.status).toBe(200);
      expect(poll.headers.get('cache-control')).toBe('no-store');
    }
    // One roomState() per second at most (the copy lives a second), whatever the poll count:
    // here 1 for all 200 unless the machine is slow enough for a copy to expire mid-way.
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThanOrEqual(1 + seconds);
    expect(after - before).toBeLessThan(polls.length / 10);
    // Joined after sales opened: first come, first served, nobody lost or twice.
    const positions = polls.map((p) => p.body.position);
    expect(positions).toEqual(buyers.map((b) => b.position));
    expect([...positions].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(buyers.map((_, i) => i + 1));
    expect(polls.map((p) => p.body.queueLength)).toEqual(buyers.map(() => 200));
    // The back of the line waits longer and is asked to poll less often than the front.
    const byPosition = polls
      .map((p) => p.body)
      .sort((x, y) => (x.position ?? 0) - (y.position ?? 0));
    const [front, back] = [byPosition[0], byPosition[199]];
    expect(back?.etaSeconds).toBeGreaterThan(front?.etaSeconds ?? 0);
    expect(back?.pollAfterSeconds).toBeGreaterThan(front?.pollAfterSeconds ?? 0);
  }, 120_000);

  it('an admitted buyer who keeps polling costs one claim, not one per poll', async () => {
    const event = await roomEvent();
    const buyer = await joined(event.id);
    await admitNow(event.id);
    const claims = async () =>
      (await inventoryFor(env, event.id).metrics()).byMethod.claimAdmission ?? 0;
    const before = await claims();
    const polls = [];
    for (let i = 0; i < 30; i++) polls.push(await status(event.id, buyer.queueToken));
    // The same grant every time (tokens differ only by their signing second).
    const grants = new Set(polls.map((p) => p.body.admissionExpiresAt));
    expect(polls.every((p) => p.body.state === 'admitted' && p.body.admissionToken)).toBe(true);
    expect(grants.size).toBe(1);
    expect((await claims()) - before).toBe(1);
  });

  it('an isolate whose own copy is stale is served by the Cache API, not the DO', async () => {
    const event = await roomEvent();
    await joined(event.id);
    // The Cache API keeps the copy for a second of real time; on a slow machine a try may miss
    // it, so this looks for one try in which the second read never reached the DO.
    let servedFromCache = false;
    for (let attempt = 0; attempt < 5 && !servedFromCache; attempt++) {
      await forgetRoomState(event.id);
      const pending: Promise<unknown>[] = [];
      const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p) };
      const first = await getRoomState(env, ctx, event.id);
      await Promise.all(pending);
      const before = await requestsServed(event.id);
      // A later "now" makes this isolate's copy stale, as in another isolate.
      const second = await getRoomState(env, ctx, event.id, Date.now() + 5_000);
      const after = await requestsServed(event.id);
      expect(second).toEqual(first);
      servedFromCache = after === before;
    }
    expect(servedFromCache).toBe(true);
  });

  it('refuses missing, tampered, expired, foreign and wrong-kind tokens', async () => {
    const [event, other] = await Promise.all([roomEvent(), roomEvent()]);
    const mine = (await joined(event.id)).queueToken;
    const theirs = (await joined(other.id)).queueToken;
    const [head, payload, signature = ''] = mine.split('.');
    const claims = JSON.parse(atob(payload?.replace(/-/g, '+').replace(/_/g, '/') ?? ''));
    const forged = b64({ ...claims, seq: 999 });
    const secret = new TextEncoder().encode(env.QUEUE_TOKEN_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string | undefined, string][] = [
      ['no token', undefined, 'unauthorized'],
      ['garbage', 'not-a-token', 'invalid_token'],
      ['payload changed', `${head}.${forged}.${signature}`, 'invalid_token'],
      // The signature's last character carries 2 unused bits: another letter, same bytes.
      ['signature re-encoded', `${head}.${payload}.${sparedBits(signature)}`, 'invalid_token'],
      ["another event's token", theirs, 'invalid_token'],
      [
        'expired',
        await signQueueToken(
          env,
          { eventId: event.id, seq: 1, watermark: 0, salesStartAt: null },
          Date.now() - 2 * 86_400_000,
        ),
        'invalid_token',
      ],
      [
        'an admission token',
        await signAdmissionToken(env, {
          eventId: event.id,
          seq: 1,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        }),
        'invalid_token',
      ],
      [
        'HS512 with the same secret',
        await new SignJWT({ kind: 'q', seq: 1 })
          .setProtectedHeader({ alg: 'HS512' })
          .setAudience(event.id)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(secret),
        'invalid_token',
      ],
      ['alg none', `${b64({ alg: 'none' })}.${payload}.`, 'invalid_token'],
    ];
    for (const [name, token, code] of cases) {
      const res = await status(event.id, token);
      expect(res.status, name).toBe(401);
      expectProblem(res, { status: 401, code });
    }
    const reasons = await Promise.all(
      [theirs, cases[5]?.[1]].map(async (t) => (await status(event.id, t)).body),
    );
    expect(reasons.map((r) => (r as unknown as { reason: string }).reason)).toEqual([
      'other_event',
      'expired',
    ]);
    // Control: the untouched token is fine.
    expect((await status(event.id, mine)).status).toBe(200);
  });
});

describe('admission and holds', () => {
  it('without an admission a hold is refused while the room is active; admitted buyers hold once', async () => {
    const event = await roomEvent();
    const [a, b, c] = [await joined(event.id), await joined(event.id), await joined(event.id)];
    expectProblem(await holdAt(event), { status: 403, code: 'admission_required' });

    await admitNow(event.id, 2);
    const admitted = await status(event.id, a.queueToken);
    expect(admitted.body).toMatchObject({ state: 'admitted', position: 0, progress: 1 });
    const admission = admitted.body.admissionToken ?? '';
    expect(admission).not.toBe('');
    expect((await status(event.id, b.queueToken)).body.state).toBe('admitted');
    // Two shopper slots: the third buyer is next in line.
    expect((await status(event.id, c.queueToken)).body).toMatchObject({
      state: 'waiting',
      position: 1,
    });

    const held = await holdAt(event, admission);
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const again = await holdAt(event, admission);
    expectProblem(again, { status: 409, code: 'admission_in_use' });
    expect(again.body.holdId).toBe(held.body.holdId);
  });

  it('a used admission ends: status says so, and joining again gives a new place at the back', async () => {
    const event = await roomEvent();
    const buyer = await joined(event.id);
    await joined(event.id);
    await admitNow(event.id, 1);
    const admission = (await status(event.id, buyer.queueToken)).body.admissionToken;
    const held = await holdAt(event, admission);
    expect(held.status).toBe(201);
    expect((await call('DELETE', `/api/v1/holds/${held.body.holdId}`)).status).toBe(204);
    // The hold learns it from the DO; the claim this isolate remembered is dropped with it
    // (claims.ts), so the status poll that follows says so too instead of "admitted".
    expectProblem(await holdAt(event, admission), { status: 403, code: 'admission_ended' });
    const ended = await status(event.id, buyer.queueToken);
    expectProblem(ended, { status: 403, code: 'admission_ended' });
    expect(ended.body).toMatchObject({ reason: 'used' });

    const again = await join(event.id, { authorization: `Bearer ${buyer.queueToken}` });
    expect(again.status).toBe(201);
    expect(again.body.queueToken).not.toBe(buyer.queueToken);
    expect(again.body.state).toBe('waiting');
  });

  it('refuses tampered, expired, foreign and queue tokens as admissions', async () => {
    const [event, other] = await Promise.all([roomEvent(), roomEvent()]);
    const buyer = await joined(event.id);
    const elsewhere = await joined(other.id);
    await Promise.all([admitNow(event.id), admitNow(other.id)]);
    const real = (await status(event.id, buyer.queueToken)).body.admissionToken ?? '';
    const foreign = (await status(other.id, elsewhere.queueToken)).body.admissionToken ?? '';
    const [head, payload, signature = ''] = real.split('.');
    const expired = await signAdmissionToken(env, {
      eventId: event.id,
      seq: 1,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const cases: [string, string, string][] = [
      ['tampered', `${head}.${payload}.${flipChar(signature, 10)}`, 'invalid'],
      ['expired', expired, 'expired'],
      ["another event's admission", foreign, 'other_event'],
      ['a queue token', buyer.queueToken, 'invalid'],
    ];
    for (const [name, token, reason] of cases) {
      const res = await holdAt(event, token);
      expectProblem(res, { status: 403, code: 'admission_required' });
      expect(res.body.reason, name).toBe(reason);
    }
    expect((await holdAt(event, real)).status).toBe(201);
  });
});

describe('the pre-queue', () => {
  it('joins before sales open wait unranked, then get the places of the draw', async () => {
    const salesStartAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const event = await roomEvent({ preQueueMinutes: 30 }, { salesStartAt });
    const early: QueueView[] = [];
    for (let i = 0; i < 12; i++) early.push(await joined(event.id));
    for (const view of early) {
      expect(view).toMatchObject({ state: 'waiting', phase: 'pre_queue', position: null });
      expect(view.etaSeconds).toBeGreaterThan(500);
      expect(view.etaSeconds).toBeLessThanOrEqual(600);
    }
    expectProblem(await holdAt(event), { status: 409, code: 'not_on_sale' });

    // Sales open now: the organizer moves the start into the past.
    const opened = await call('PATCH', `/api/v1/organizer/events/${event.id}`, {
      headers: auth,
      body: { salesStartAt: new Date(Date.now() - 1_000).toISOString() },
    });
    expect(opened.status).toBe(200);
    await forgetRoomState(event.id);
    const late = await joined(event.id);
    const polls = await Promise.all(early.map((v) => status(event.id, v.queueToken)));
    const positions = polls.map((p) => p.body.position);
    expect(polls.every((p) => p.body.phase === 'queue')).toBe(true);
    // A permutation of 1..12 (nobody lost, nobody twice), not the order of arrival.
    expect([...positions].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(early.map((_, i) => i + 1));
    expect(positions).not.toEqual(early.map((_, i) => i + 1));
    // Who came after the draw queues behind everyone drawn.
    expect(late.position).toBe(13);
  });
});

describe('what the storefront and the organizer see', () => {
  it('the event read says the room is active; the stats count the line', async () => {
    const event = await roomEvent();
    for (let i = 0; i < 3; i++) await joined(event.id);
    await admitNow(event.id, 1);
    const read = await call<{ waitingRoom: Record<string, unknown> }>(
      'GET',
      `/api/v1/events/${event.id}`,
    );
    expect(read.body.waitingRoom).toEqual({ active: true, mode: 'always', phase: 'queue' });
    const stats = await call<{ waitingRoom: RoomStats }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { headers: auth },
    );
    expect(stats.body.waitingRoom).toMatchObject({
      mode: 'always',
      active: true,
      queueLength: 2,
      admitted: 1,
      activeLimit: 1,
    });

    const off = await createPublishedEvent(auth);
    const plain = await call<{ waitingRoom: Record<string, unknown> }>(
      'GET',
      `/api/v1/events/${off.id}`,
    );
    expect(plain.body.waitingRoom).toMatchObject({ active: false, mode: 'off' });
  });
});

/** The same signature bytes, spelled with another last character (non-canonical base64url). */
function sparedBits(signature: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.slice(-1));
  return signature.slice(0, -1) + alphabet[last ^ 1];
}

function b64(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Changes one whole base64url character (never to itself), so the result is always forged. */
function flipChar(text: string, i: number): string {
  return `${text.slice(0, i)}${text[i] === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
}
