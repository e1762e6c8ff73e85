import type { RoomStats } from '../../durable-objects/waiting-room/types';
import { cachedAvailability } from '../catalog/availability-cache';
import { etaSeconds } from '../domain/queue-order';

/**
 * The waiting room as the organizer watches it: the event DO's live figures, read through
 * the same per-isolate memo as the hosted pages (availability-cache.ts), so a dashboard tab
 * polling every few seconds, or a hundred of them, costs the DO at most one call a second
 * per isolate.
 */

/** What a buyer arriving now would face. */
export type NewBuyerWait =
  | { kind: 'straight_in' }
  | { kind: 'pre_queue' }
  | { kind: 'paused' }
  | { kind: 'seconds'; seconds: number };

export interface LiveRoom {
  stats: RoomStats;
  paused: boolean;
  wait: NewBuyerWait;
}

/**
 * The wait a new buyer would see, the way the waiting page estimates it (position.ts): the
 * people in line at the rate the room achieves, or its configured rate before it moved.
 */
export function newBuyerWait(stats: RoomStats): NewBuyerWait {
  if (stats.paused === true) return { kind: 'paused' };
  if (stats.phase === 'pre_queue') return { kind: 'pre_queue' };
  if (!stats.active || stats.queueLength === 0) return { kind: 'straight_in' };
  const rate =
    stats.admissionRatePerMinute > 0 ? stats.admissionRatePerMinute : stats.admitPerMinute;
  return { kind: 'seconds', seconds: etaSeconds(stats.queueLength, rate) };
}

export function liveRoomOf(stats: RoomStats): LiveRoom {
  return { stats, paused: stats.paused === true, wait: newBuyerWait(stats) };
}

/** The room of one event at most a second old; null for an event without inventory. */
export async function readLiveRoom(env: Env, eventId: string): Promise<LiveRoom | null> {
  const snapshot = await cachedAvailability(env, eventId);
  return snapshot ? liveRoomOf(snapshot.waitingRoom) : null;
}
