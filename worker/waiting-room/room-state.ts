import type { RoomState } from '../../durable-objects/waiting-room/types';
import { inventoryFor } from '../catalog/inventory';

/**
 * The room as waiting buyers see it, at most about a second old, from the nearest of:
 * this isolate's memory, the data center's Cache API, the event's Durable Object. A hundred
 * thousand buyers polling every few seconds cost the DO about one request per data center
 * per second, not one per poll (DESIGN.md "Waiting room").
 */
export const ROOM_STATE_TTL_MS = 1_000;
const MAX_EVENTS_IN_MEMORY = 10_000;

/** Any context that can keep a promise alive after the response (hono's `c.executionCtx`). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

interface Copy {
  until: number;
  state: Promise<RoomState | null>;
  /** `asOf` of the resolved state, to let a fresher one (from a join) replace it. */
  asOfMs: number;
}

const copies = new Map<string, Copy>();

/** A synthetic URL per event: the Cache API keys on requests, and nothing else may use it. */
function cacheKey(eventId: string): Request {
  return new Request(`https://waiting-room.tessera.internal/v1/room-state/${eventId}`);
}

/**
 * The event's RoomState (null: no such event). Concurrent misses in one isolate share one
 * lookup, and a failed lookup is not remembered.
 */
export function getRoomState(
  env: Env,
  ctx: WaitUntil,
  eventId: string,
  now = Date.now(),
): Promise<RoomState | null> {
  const copy = copies.get(eventId);
  if (copy && copy.until > now) return copy.state;
  const state = lookUp(env, ctx, eventId);
  const entry: Copy = { until: now + ROOM_STATE_TTL_MS, state, asOfMs: 0 };
  remember(eventId, entry);
  state.then(
    (room) => {
      entry.asOfMs = room ? Date.parse(room.asOf) : 0;
    },
    () => {
      if (copies.get(eventId) === entry) copies.delete(eventId);
    },
  );
  return state;
}

/**
 * Keeps a state the DO just answered with (a join's) when it is newer than the copy held,
 * so the joiner's own next poll already counts them in line.
 */
export function rememberRoomState(room: RoomState, now = Date.now()): void {
  const copy = copies.get(room.eventId);
  const asOfMs = Date.parse(room.asOf);
  if (copy && copy.until > now && copy.asOfMs >= asOfMs) return;
  remember(room.eventId, { until: now + ROOM_STATE_TTL_MS, state: Promise.resolve(room), asOfMs });
}

/** Drops the cached copies of one event's room (tests that change it and must see it at once). */
export async function forgetRoomState(eventId: string): Promise<void> {
  copies.delete(eventId);
  await caches.default.delete(cacheKey(eventId));
}

function remember(eventId: string, copy: Copy): void {
  copies.delete(eventId);
  copies.set(eventId, copy);
  // Oldest first in insertion order: a flood of event ids can not grow the map without end.
  if (copies.size > MAX_EVENTS_IN_MEMORY) copies.delete(copies.keys().next().value ?? '');
}

async function lookUp(env: Env, ctx: WaitUntil, eventId: string): Promise<RoomState | null> {
  const cache = caches.default;
  const key = cacheKey(eventId);
  const hit = await cache.match(key);
  if (hit) return (await hit.json()) as RoomState | null;
  const room = await inventoryFor(env, eventId).roomState();
  const response = new Response(JSON.stringify(room), {
    headers: {
      'content-type': 'application/json',
      'cache-control': `max-age=${ROOM_STATE_TTL_MS / 1000}`,
    },
  });
  // The answer need not wait for the cache write.
  ctx.waitUntil(cache.put(key, response).catch(() => undefined));
  return room;
}
