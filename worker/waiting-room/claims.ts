import type { ClaimResult } from '../../durable-objects/waiting-room/types';
import { IsolateMemo } from '../cache/isolate-memo';
import { inventoryFor } from '../catalog/inventory';
import { ROOM_STATE_TTL_MS } from './room-state';

/**
 * The DO's answers to admission claims, remembered per isolate. A buyer at the watermark
 * claims once; but an admitted page that keeps polling (or a client that never stops) would
 * otherwise cost the event's Durable Object one request per poll. With this, an admitted seq
 * costs it one claim per isolate for the life of its grant, whatever the poll rate.
 * The price: status may still say "admitted" after the admission was used elsewhere; the
 * hold then answers `admission_ended` (the truth) and forgets the answer here
 * (worker/holds/hold-service.ts), so the next poll asks the DO again.
 */
const ENDED_ANSWER_MS = 60_000;
const answers = new IsolateMemo<ClaimResult>();

/** How long an answer may be reused: a grant until it expires, a "not yet" as long as the room copy. */
function reuseFor(result: ClaimResult, now: number): number {
  if (result.ok) return Date.parse(result.admission.expiresAt) - now;
  if (result.code === 'not_yet_admitted') return ROOM_STATE_TTL_MS;
  return ENDED_ANSWER_MS;
}

/** `claimAdmission(seq)` on the event's DO, or its answer remembered in this isolate. */
export function claimAdmission(
  env: Env,
  eventId: string,
  seq: number,
  now = Date.now(),
): Promise<ClaimResult> {
  const load = () => inventoryFor(env, eventId).claimAdmission(seq);
  return answers.get(`${eventId}:${seq}`, load, (result) => reuseFor(result, now), now);
}

/** Drops the remembered answer for one seq (the DO has just said more about it). */
export function forgetClaim(eventId: string, seq: number): void {
  answers.delete(`${eventId}:${seq}`);
}
