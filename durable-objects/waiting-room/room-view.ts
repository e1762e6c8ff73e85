import type { SettingsRow } from '../inventory/rows';
import { toIso } from '../inventory/rows';
import type { AdmitRate, RoomLoad } from './room-load';
import type { RoomRow } from './room-store';
import type { LotteryDraw, RoomState, RoomStats } from './types';

/** The room's phase and whether it guards holds: derived from settings, row and time alone. */

/** When joining opens: the pre-queue's start, or sales start without a pre-queue. */
export function queueOpensMs(settings: SettingsRow, row: RoomRow): number | null {
  if (settings.sales_start_ms === null) return null;
  return settings.sales_start_ms - row.pre_queue_minutes * 60_000;
}

export function roomPhase(settings: SettingsRow, row: RoomRow, now: number): RoomState['phase'] {
  if (row.mode === 'off' || settings.status !== 'on_sale') return 'off';
  if (settings.sales_end_ms !== null && now >= settings.sales_end_ms) return 'off';
  if (settings.sales_start_ms !== null && now < settings.sales_start_ms) return 'pre_queue';
  return 'queue';
}

/**
 * Whether holds need an admission now. `always`: during the pre-queue and sales. `auto`: the
 * flag the room keeps (turned on above the threshold, off once the line is empty and the
 * shoppers are back under it). `off`: never.
 */
export function roomActive(settings: SettingsRow, row: RoomRow, now: number): boolean {
  if (roomPhase(settings, row, now) === 'off') return false;
  return row.mode === 'always' || row.auto_active === 1;
}

/** Buyers in line and not admitted yet. */
export function waitingCount(row: RoomRow): number {
  return Math.max(0, row.joined - row.watermark);
}

/** What the room measured recently (refreshed at most about once a second). */
export interface RoomReading {
  load: RoomLoad;
  rate: AdmitRate;
  atMs: number;
}

export function toRoomState(
  settings: SettingsRow,
  row: RoomRow,
  lottery: LotteryDraw | null,
  reading: RoomReading,
  now: number,
): RoomState {
  return {
    eventId: settings.event_id,
    mode: row.mode,
    active: roomActive(settings, row, now),
    phase: roomPhase(settings, row, now),
    salesStartAt: toIso(settings.sales_start_ms),
    preQueueOpensAt: toIso(queueOpensMs(settings, row)),
    joined: row.joined,
    watermark: row.watermark,
    lottery,
    admitRatePerMinute: reading.rate.perMinute,
    activeShoppers: reading.load.activeShoppers,
    activeLimit: row.active_limit,
    admitPerMinute: row.admit_per_minute,
    asOf: new Date(now).toISOString(),
  };
}

export function toRoomStats(
  settings: SettingsRow,
  row: RoomRow,
  reading: RoomReading,
  now: number,
): RoomStats {
  const queueLength = waitingCount(row);
  const rate = reading.rate.lastMinute;
  return {
    mode: row.mode,
    active: roomActive(settings, row, now),
    phase: roomPhase(settings, row, now),
    queueLength,
    admitted: row.watermark,
    activeShoppers: reading.load.activeShoppers,
    activeLimit: row.active_limit,
    admitPerMinute: row.admit_per_minute,
    admissionRatePerMinute: rate,
    estimatedDrainSeconds:
      queueLength > 0 && rate > 0 && row.paused === 0 ? Math.ceil((queueLength * 60) / rate) : null,
    paused: row.paused === 1,
  };
}
