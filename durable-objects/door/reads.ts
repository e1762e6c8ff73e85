import type { Conflict, DoorChanges, DoorStats, ListCount } from './types';

/** What the door's tables say, for the organizer API and the offline bundle. */

const iso = (ms: number) => new Date(ms).toISOString();

export function listCounts(sql: SqlStorage): ListCount[] {
  return sql
    .exec<{ list_id: string; checked_in: number; inside: number }>(
      `SELECT list_id, COUNT(*) AS checked_in, SUM(inside) AS inside
         FROM list_checkins GROUP BY list_id`,
    )
    .toArray()
    .map((r) => ({ listId: r.list_id, checkedIn: r.checked_in, inside: r.inside }));
}

interface ConflictRow extends Record<string, SqlStorageValue> {
  id: number;
  ticket_id: string;
  list_id: string;
  first_device: string;
  first_nonce: string;
  first_ms: number;
  first_gate: string | null;
  second_device: string;
  second_nonce: string;
  second_ms: number;
  second_gate: string | null;
  recorded_ms: number;
}

/**
 * Conflicts in the order they were found, `limit` after the id `afterId`; with `beforeId`,
 * the newest first, `limit` below that id (the dashboard's order).
 */
export function listConflicts(
  sql: SqlStorage,
  afterId: number,
  limit: number,
  beforeId?: number,
): Conflict[] {
  const rows =
    beforeId === undefined
      ? sql.exec<ConflictRow>(
          'SELECT * FROM checkin_conflicts WHERE id > ? ORDER BY id LIMIT ?',
          afterId,
          limit,
        )
      : sql.exec<ConflictRow>(
          'SELECT * FROM checkin_conflicts WHERE id > ? AND id < ? ORDER BY id DESC LIMIT ?',
          afterId,
          beforeId,
          limit,
        );
  return rows.toArray().map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    listId: r.list_id,
    first: {
      deviceId: r.first_device,
      nonce: r.first_nonce,
      scannedAt: iso(r.first_ms),
      gate: r.first_gate,
    },
    second: {
      deviceId: r.second_device,
      nonce: r.second_nonce,
      scannedAt: iso(r.second_ms),
      gate: r.second_gate,
    },
    recordedAt: iso(r.recorded_ms),
  }));
}

/** Revocations and per-list states changed at or after `sinceMs` (0: everything). */
export function doorChanges(sql: SqlStorage, sinceMs: number): DoorChanges {
  const revocations = sql
    .exec<{ ticket_id: string; revoked_ms: number }>(
      'SELECT ticket_id, revoked_ms FROM revoked_tickets WHERE revoked_ms >= ?',
      sinceMs,
    )
    .toArray()
    .map((r) => ({ ticketId: r.ticket_id, revokedAt: iso(r.revoked_ms) }));
  const admissions = sql
    .exec<{ ticket_id: string; list_id: string; first_ms: number; inside: number }>(
      'SELECT ticket_id, list_id, first_ms, inside FROM list_checkins WHERE updated_ms >= ?',
      sinceMs,
    )
    .toArray()
    .map((r) => ({
      ticketId: r.ticket_id,
      listId: r.list_id,
      firstCheckedInAt: iso(r.first_ms),
      inside: r.inside === 1,
    }));
  return { revocations, admissions };
}

export function doorStats(sql: SqlStorage): DoorStats {
  const count = (table: string) =>
    sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
  return {
    scans: count('door_scans'),
    checkins: count('list_checkins'),
    conflicts: count('checkin_conflicts'),
  };
}
