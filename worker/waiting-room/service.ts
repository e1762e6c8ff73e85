import type { RoomState } from '../../durable-objects/waiting-room/types';
import { inventoryFor } from '../catalog/inventory';
import { AppError, notFound } from '../domain/errors';
import { isEventId } from '../domain/ids';
import { JOIN_RATE, limitOrThrow } from '../limits/rate-limit';
import { claimAdmission } from './claims';
import { admittedView, standingOf, waitingView } from './position';
import { claimProblem, joinProblem, queueTokenProblem } from './problems';
import { getRoomState, rememberRoomState, type WaitUntil } from './room-state';
import { signAdmissionToken, signQueueToken, verifyQueueToken } from './tokens';
import type { QueueTicket, QueueView } from './view';

export { verifyAdmissionToken } from './tokens';

/**
 * Joining the line and asking where one stands: the logic behind both the API
 * (worker/routes/storefront/queue.ts) and the hosted waiting page. Refusals are thrown as
 * `AppError` problems (401 `invalid_token`, 409 `queue_not_open`, 429 `rate_limited`, ...).
 */

/** Seconds a client waits after a 429 (the join limiter's period, wrangler.toml). */
export const JOIN_RETRY_AFTER_SECONDS = JOIN_RATE.periodSeconds;

export interface JoinRequest {
  eventId: string;
  /** Who is joining, for the rate limit: `clientKeyOf(CF-Connecting-IP)` (an IPv6 /64). */
  clientKey: string;
  /** A queue token the client already holds (a reload): answered, never a second place. */
  queueToken?: string | undefined;
}

export interface JoinOutcome {
  view: QueueView;
  /** True when this call handed out a new place in line (201), false for a known token (200). */
  joined: boolean;
}

/**
 * Joins the event's line, or answers the status of a valid queue token for it (idempotent:
 * reloads and double submits keep their place). A token that is invalid, or whose admission
 * has ended, gets a new place at the back. Fresh joins are rate limited per client and event.
 */
export async function joinQueue(
  env: Env,
  ctx: WaitUntil,
  request: JoinRequest,
): Promise<JoinOutcome> {
  const { eventId } = request;
  if (!isEventId(eventId)) throw notFound('event');
  const held = await verifyQueueToken(env, eventId, request.queueToken);
  if (held.ok) {
    try {
      return {
        view: await statusOf(env, ctx, held.ticket, request.queueToken ?? ''),
        joined: false,
      };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'admission_ended')) throw error;
    }
  }
  await limitOrThrow(env, JOIN_RATE, eventId, request.clientKey);
  const result = await inventoryFor(env, eventId).joinQueue();
  if (!result.ok) throw joinProblem(result);
  const { room, seq } = result;
  rememberRoomState(room);
  const joinedAtWatermark = room.phase === 'pre_queue' ? 0 : room.watermark;
  const queueToken = await signQueueToken(env, {
    eventId,
    seq,
    watermark: joinedAtWatermark,
    salesStartAt: room.salesStartAt,
  });
  if (result.admission) {
    const token = await signAdmissionToken(env, { eventId, ...result.admission });
    const admission = { token, expiresAt: result.admission.expiresAt };
    return { view: admittedView(room, queueToken, admission), joined: true };
  }
  return { view: waitingView(room, { seq, joinedAtWatermark }, queueToken), joined: true };
}

/**
 * Where the holder of `queueToken` stands, from the cached room state: no Durable Object
 * request, except once the buyer has reached the watermark (to claim the admission).
 */
export async function queueStatus(
  env: Env,
  ctx: WaitUntil,
  eventId: string,
  queueToken: string | undefined,
): Promise<QueueView> {
  if (!isEventId(eventId)) throw notFound('event');
  const check = await verifyQueueToken(env, eventId, queueToken);
  if (!check.ok) throw queueTokenProblem(check.reason);
  return statusOf(env, ctx, check.ticket, queueToken ?? '');
}

async function statusOf(
  env: Env,
  ctx: WaitUntil,
  ticket: QueueTicket,
  queueToken: string,
): Promise<QueueView> {
  const room = await getRoomState(env, ctx, ticket.eventId);
  if (!room) throw notFound('event');
  const standing = standingOf(room, ticket.seq);
  if (standing.kind === 'admittable') return claim(env, room, ticket, queueToken);
  if (standing.kind === 'free') return admittedView(room, queueToken);
  return waitingView(room, ticket, queueToken);
}

/** Exchanges a queue token at or below the watermark for a signed admission (idempotent). */
async function claim(
  env: Env,
  room: RoomState,
  ticket: QueueTicket,
  queueToken: string,
): Promise<QueueView> {
  const result = await claimAdmission(env, ticket.eventId, ticket.seq);
  if (result.ok) {
    const { admission } = result;
    const token = await signAdmissionToken(env, { eventId: ticket.eventId, ...admission });
    return admittedView(room, queueToken, { token, expiresAt: admission.expiresAt });
  }
  if (result.code === 'not_yet_admitted') {
    // The cached room was ahead of the DO (it never should be); its own state is the truth.
    rememberRoomState(result.room);
    return waitingView(result.room, ticket, queueToken);
  }
  throw claimProblem(result);
}
