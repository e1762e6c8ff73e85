import type { RoomState } from '../../durable-objects/waiting-room/types';
import { etaSeconds, peopleAhead, pollAfterSeconds, rankOf } from '../domain/queue-order';
import type { QueueTicket, QueueView } from './view';

/**
 * A buyer's place in line from their token and the (cached) room: pure arithmetic, no I/O,
 * so every status poll is answered without the event's Durable Object.
 */

/** Where the buyer stands: the DO must be asked only when `admittable`. */
export type Standing =
  | { kind: 'pre_queue' }
  | { kind: 'waiting'; rank: number }
  /** At or below the watermark: exchange the queue token for an admission (one DO call). */
  | { kind: 'admittable'; rank: number }
  /** The room guards nothing now: holds need no admission. */
  | { kind: 'free' };

export function standingOf(room: RoomState, seq: number): Standing {
  if (room.phase === 'pre_queue') return { kind: 'pre_queue' };
  const rank = rankOf(seq, room.lottery);
  if (rank <= room.watermark) return { kind: 'admittable', rank };
  if (!room.active) return { kind: 'free' };
  return { kind: 'waiting', rank };
}

/** Buyers who joined and are not admitted yet. */
export function queueLengthOf(room: RoomState): number {
  return Math.max(0, room.joined - room.watermark);
}

function common(room: RoomState, queueToken: string) {
  return {
    queueToken,
    phase: room.phase,
    queueLength: queueLengthOf(room),
    salesStartAt: room.salesStartAt,
  };
}

/** The answer for a buyer still in line (or in the pre-queue, before the draw). */
export function waitingView(
  room: RoomState,
  ticket: Pick<QueueTicket, 'seq' | 'joinedAtWatermark'>,
  queueToken: string,
  now = Date.now(),
): QueueView {
  if (room.phase === 'pre_queue') {
    const untilSales = room.salesStartAt
      ? Math.max(0, Math.ceil((Date.parse(room.salesStartAt) - now) / 1000))
      : 0;
    return {
      ...common(room, queueToken),
      state: 'waiting',
      position: null,
      peopleAhead: null,
      etaSeconds: untilSales,
      pollAfterSeconds: pollAfterSeconds(untilSales),
      progress: 0,
    };
  }
  const rank = rankOf(ticket.seq, room.lottery);
  const ahead = peopleAhead(rank, room.watermark);
  // Before the first admissions there is no observed rate yet: the configured one estimates it.
  const rate = room.admitRatePerMinute > 0 ? room.admitRatePerMinute : room.admitPerMinute;
  const eta = etaSeconds(ahead, rate);
  return {
    ...common(room, queueToken),
    state: 'waiting',
    position: ahead + 1,
    peopleAhead: ahead,
    etaSeconds: eta,
    pollAfterSeconds: pollAfterSeconds(eta),
    progress: progressOf(rank, room.watermark, ticket.joinedAtWatermark),
  };
}

/** The answer for an admitted buyer; without an admission when the room guards nothing. */
export function admittedView(
  room: RoomState,
  queueToken: string,
  admission?: { token: string; expiresAt: string },
): QueueView {
  return {
    ...common(room, queueToken),
    state: 'admitted',
    position: 0,
    peopleAhead: 0,
    etaSeconds: 0,
    pollAfterSeconds: pollAfterSeconds(0),
    progress: 1,
    ...(admission
      ? { admissionToken: admission.token, admissionExpiresAt: admission.expiresAt }
      : {}),
  };
}

/**
 * 0..1: the share of the buyers who were ahead at joining that have been admitted since.
 * Measured from the join, so a late joiner's bar starts empty however long the line was.
 */
export function progressOf(rank: number, watermark: number, joinedAtWatermark: number): number {
  const start = Math.min(joinedAtWatermark, rank - 1);
  const total = rank - start;
  if (total <= 0) return 1;
  const done = Math.min(Math.max(watermark - start, 0), total);
  return Math.round((done / total) * 1000) / 1000;
}
