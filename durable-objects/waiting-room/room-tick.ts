import { planTick, TICK_MS } from './admission-tick';
import type { RoomContext } from './room-context';
import { pruneTickHistory, readAdmitRate, recordAdmissions } from './room-load';
import { roomPhase, waitingCount } from './room-view';

/**
 * One admission tick (run by the object's alarm): draws the lottery when sales open, then
 * moves the watermark by what the rate earned since the last tick, the free slots and the
 * line allow, and records it for the observed rate and the claim window.
 */
export function runTick(room: RoomContext, now: number): void {
  const settings = room.settings();
  if (!settings) return;
  room.drawWhenSalesOpen(settings, now);
  const row = room.store.row();
  if (roomPhase(settings, row, now) !== 'queue') return;
  room.lastTickRunMs = now;
  const reading = room.freshReading(now);
  const waiting = waitingCount(row);
  // Paused by the organizer: the line stands still (setPaused reset the tick clock).
  if (waiting > 0 && row.paused === 0) {
    const plan = planTick({
      now,
      lastTickMs: row.last_tick_ms,
      credit: row.credit,
      admitPerMinute: row.admit_per_minute,
      freeSlots: row.active_limit - reading.load.activeShoppers,
      waiting,
    });
    room.store.saveTick(row.watermark + plan.admit, plan.credit, now);
    if (plan.admit > 0) {
      recordAdmissions(room.sql, now, row.watermark, plan.admit);
      // The newly admitted hold reserved slots from now on.
      reading.load.reserved += plan.admit;
      reading.load.activeShoppers += plan.admit;
      reading.rate = readAdmitRate(room.sql, now);
    }
  }
  pruneTickHistory(room.sql, now);
  room.refreshAuto(settings, reading, now);
}

/**
 * When the room next needs the alarm: the draw at sales start (if anyone waits for it), a
 * tick about every second while anyone waits or a reservation is open, otherwise never.
 */
export function nextWake(room: RoomContext, now: number): number | null {
  const settings = room.settings();
  if (!settings) return null;
  const row = room.store.row();
  const phase = roomPhase(settings, row, now);
  if (phase === 'pre_queue') return row.joined > 0 ? settings.sales_start_ms : null;
  if (phase === 'off') return null;
  // Paused: no tick until resumed (setAdmissionPaused plans the alarm again).
  if (row.paused === 1) return null;
  if (waitingCount(row) === 0 && room.lastReserved() === 0) return null;
  // A room that just got its first buyer ticks at once; a running one about every second.
  const last = Math.max(room.lastTickRunMs ?? 0, row.last_tick_ms ?? 0);
  return last === 0 ? now : Math.max(now, last + TICK_MS);
}
