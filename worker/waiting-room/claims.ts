import type { ClaimResult } from '../../durable-objects/waiting-room/types';
import { inventoryFor } from '../catalog/inventory';
import { ROOM_STATE_TTL_MS } from './room-state';

/**
 * The DO's answers to admission claims, remembered per isolate. A buyer at the watermark
 * claims once; but an admitted page that keeps polling (or a client that never stops) would
 * otherwise cost the event's Durable Object one request per poll. With this, an admitted seq
 * costs it one claim per isolate for the life of its grant, whatever the poll rate.
 * The price: status may still say "admitted" after the admission was used elsewhere; the
 * hold then answers `admission_ended` (the truth) and forgets the answer here
 * (routes/storefront/holds.ts), so the next poll asks the DO again.
 */
const ENDED_ANSWER_MS = 60_000;
const MAX_CLAIMS_IN_MEMORY = 10_000;

interface Answer {
  until: number;
  result: Promise<ClaimResult>;
}

const answers = new Map<string, Answer>();

/** How long an answer may be reused: a grant until it expires, a "not yet" as long as the room copy. */
function reuseFor(result: ClaimResult, now: number): number {
  if (result.ok) return Date.parse(result.admission.expiresAt) - now;
  if (result.code === 'not_yet_admitted') return ROOM_STATE_TTL_MS;
  return ENDED_ANSWER_MS;
}

/** `claimAdmission(seq)` on the event's DO, or its answer from the last few seconds. */
export function claimAdmission(
  env: Env,
  eventId: string,
  seq: number,
  now = Date.now(),
): Promise<ClaimResult> {
  const key = `${eventId}:${seq}`;
  const known = answers.get(key);
  if (known && known.until > now) return known.result;
  const result = inventoryFor(env, eventId).claimAdmission(seq);
  const answer: Answer = { until: now + ROOM_STATE_TTL_MS, result };
  answers.delete(key);
  answers.set(key, answer);
  // Oldest first in insertion order: a flood of tokens can not grow the map without end.
  if (answers.size > MAX_CLAIMS_IN_MEMORY) answers.delete(answers.keys().next().value ?? '');
  result.then(
    (settled) => {
      answer.until = now + reuseFor(settled, now);
    },
    () => {
      if (answers.get(key) === answer) answers.delete(key);
    },
  );
  return result;
}

/** Drops the remembered answer for one seq (the DO has just said more about it). */
export function forgetClaim(eventId: string, seq: number): void {
  answers.delete(`${eventId}:${seq}`);
}
