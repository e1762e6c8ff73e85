import { CLAIM_WINDOW_MS, observedRatePerMinute } from './admission-tick';

/**
 * Who holds a shopper slot right now, and how fast the room admits, from indexed counts
 * over small sets (live holds, recent admissions, a few minutes of tick records).
 */
export interface RoomLoad {
  /** Active holds, with or without an admission (auto mode lets buyers hold without one). */
  liveHolds: number;
  /** Claimed admissions that have no hold yet and have not lapsed. */
  idleAdmissions: number;
  /** Admitted by a recent tick (inside the claim window) and not claimed yet. */
  reserved: number;
  activeShoppers: number;
}

/** The watermark as it stood `CLAIM_WINDOW_MS` ago: ranks above it still hold reservations. */
function watermarkBefore(sql: SqlStorage, cutoffMs: number): number {
  return (
    sql
      .exec<{ w: number | null }>(
        'SELECT MAX(watermark) AS w FROM room_ticks WHERE at_ms <= ?',
        cutoffMs,
      )
      .one().w ?? 0
  );
}

export function readRoomLoad(sql: SqlStorage, now: number, watermark: number): RoomLoad {
  const liveHolds = sql
    .exec<{ n: number }>("SELECT COUNT(*) AS n FROM holds WHERE state = 'active'")
    .one().n;
  const idleAdmissions = sql
    .exec<{ n: number }>(
      "SELECT COUNT(*) AS n FROM admissions WHERE state = 'claimed' AND expires_ms > ?",
      now,
    )
    .one().n;
  const base = Math.min(watermark, watermarkBefore(sql, now - CLAIM_WINDOW_MS));
  // Ranks base+1..watermark were admitted inside the window; those with a row have claimed
  // (and are counted as holds or admissions, or are done), the rest keep a slot reserved.
  const claimed = sql
    .exec<{ n: number }>('SELECT COUNT(*) AS n FROM admissions WHERE rank > ?', base)
    .one().n;
  const reserved = Math.max(0, watermark - base - claimed);
  return {
    liveHolds,
    idleAdmissions,
    reserved,
    activeShoppers: liveHolds + idleAdmissions + reserved,
  };
}

/** True while a rank at or below the watermark is past its claim window (its slot lapsed). */
export function reservationLapsed(sql: SqlStorage, rank: number, now: number): boolean {
  return rank <= watermarkBefore(sql, now - CLAIM_WINDOW_MS);
}

export interface AdmitRate {
  /** Admissions in the last 60 s (the organizer's figure). */
  lastMinute: number;
  /** The same per minute, measured over the span the room has been admitting (for ETAs). */
  perMinute: number;
}

export function readAdmitRate(sql: SqlStorage, now: number): AdmitRate {
  const row = sql
    .exec<{ n: number; oldest: number | null }>(
      'SELECT COALESCE(SUM(admitted), 0) AS n, MIN(at_ms) AS oldest FROM room_ticks WHERE at_ms > ?',
      now - 60_000,
    )
    .one();
  return { lastMinute: row.n, perMinute: observedRatePerMinute(row.n, row.oldest, now) };
}

/** Notes that the watermark reached `watermark` at `atMs`, admitting `admitted` more. */
export function recordAdmissions(
  sql: SqlStorage,
  atMs: number,
  watermark: number,
  admitted: number,
): void {
  sql.exec(
    `INSERT INTO room_ticks (at_ms, watermark, admitted) VALUES (?, ?, ?)
     ON CONFLICT (at_ms) DO UPDATE SET watermark = MAX(watermark, excluded.watermark),
       admitted = admitted + excluded.admitted`,
    atMs,
    watermark,
    admitted,
  );
}

/** Keeps the claim window's records plus the last one before it (the window's baseline). */
export function pruneTickHistory(sql: SqlStorage, now: number): void {
  sql.exec(
    'DELETE FROM room_ticks WHERE at_ms < (SELECT MAX(at_ms) FROM room_ticks WHERE at_ms <= ?)',
    now - CLAIM_WINDOW_MS,
  );
}
