import { defaultCheckinListId } from '../../worker/domain/ids';
import type { ScannerId } from './types';

/**
 * Reads and writes of the door's tables (schema step "door"), shared by online scans and
 * synced ones. Callers run inside one synchronous transaction.
 */

export interface ScanRow extends Record<string, SqlStorageValue> {
  device_id: string;
  nonce: string;
  ticket_id: string;
  list_id: string;
  direction: string;
  gate: string | null;
  scanned_ms: number;
  source: 'online' | 'offline';
  result: string;
  admitted: number;
  answer: string;
}

export interface ListCheckinRow extends Record<string, SqlStorageValue> {
  ticket_id: string;
  list_id: string;
  first_ms: number;
  first_device: string;
  first_gate: string | null;
  inside: number;
  /** When the ticket last came in or left (the scan's own time). */
  changed_ms: number;
  /** When this object last changed the row (for "what changed since" in the bundle). */
  updated_ms: number;
}

export interface ScanFact {
  deviceId: ScannerId;
  nonce: string;
  ticketId: string;
  listId: string;
  direction: 'entry' | 'exit';
  gate: string | null;
  scannedMs: number;
  source: 'online' | 'offline';
  result: string;
  admitted: boolean;
  answer: unknown;
}

export function findScan(sql: SqlStorage, deviceId: string, nonce: string): ScanRow | undefined {
  return sql
    .exec<ScanRow>('SELECT * FROM door_scans WHERE device_id = ? AND nonce = ?', deviceId, nonce)
    .toArray()[0];
}

export function recordScan(sql: SqlStorage, fact: ScanFact, now: number): void {
  sql.exec(
    `INSERT INTO door_scans (device_id, nonce, ticket_id, list_id, direction, gate, scanned_ms,
       received_ms, source, result, admitted, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    fact.deviceId,
    fact.nonce,
    fact.ticketId,
    fact.listId,
    fact.direction,
    fact.gate,
    fact.scannedMs,
    now,
    fact.source,
    fact.result,
    fact.admitted ? 1 : 0,
    JSON.stringify(fact.answer),
  );
}

export function listCheckin(
  sql: SqlStorage,
  ticketId: string,
  listId: string,
): ListCheckinRow | undefined {
  return sql
    .exec<ListCheckinRow>(
      'SELECT * FROM list_checkins WHERE ticket_id = ? AND list_id = ?',
      ticketId,
      listId,
    )
    .toArray()[0];
}

export function isRevoked(sql: SqlStorage, ticketId: string): boolean {
  return (
    sql.exec('SELECT 1 FROM revoked_tickets WHERE ticket_id = ?', ticketId).toArray().length > 0
  );
}

/**
 * An admission at `atMs` on an entry list: counted once (the earliest admission stays the
 * first), and the ticket is inside unless a later exit is already known.
 */
export function admit(
  sql: SqlStorage,
  fact: { ticketId: string; listId: string; deviceId: string; gate: string | null },
  atMs: number,
  eventId: string,
  now: number,
): void {
  const row = listCheckin(sql, fact.ticketId, fact.listId);
  if (!row) {
    sql.exec(
      `INSERT INTO list_checkins (ticket_id, list_id, first_ms, first_device, first_gate, inside,
         changed_ms, updated_ms) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
      fact.ticketId,
      fact.listId,
      atMs,
      fact.deviceId,
      fact.gate,
      atMs,
      now,
    );
  } else {
    if (atMs < row.first_ms) {
      sql.exec(
        `UPDATE list_checkins SET first_ms = ?, first_device = ?, first_gate = ?, updated_ms = ?
           WHERE ticket_id = ? AND list_id = ?`,
        atMs,
        fact.deviceId,
        fact.gate,
        now,
        fact.ticketId,
        fact.listId,
      );
    }
    if (atMs >= row.changed_ms) {
      sql.exec(
        `UPDATE list_checkins SET inside = 1, changed_ms = ?, updated_ms = ?
           WHERE ticket_id = ? AND list_id = ?`,
        atMs,
        now,
        fact.ticketId,
        fact.listId,
      );
    }
  }
  // The default list's mirror, which the object's previous version reads (`checkins`).
  if (fact.listId === defaultCheckinListId(eventId)) {
    sql.exec(
      `INSERT INTO checkins (ticket_id, checked_in_ms) VALUES (?, ?)
         ON CONFLICT (ticket_id) DO UPDATE SET checked_in_ms = min(checked_in_ms, excluded.checked_in_ms)`,
      fact.ticketId,
      atMs,
    );
  }
}

/**
 * An exit at `atMs` through an exit list: the ticket leaves every entry list it was inside
 * (entered before `atMs`); the exit list counts the ticket once.
 */
export function leave(
  sql: SqlStorage,
  fact: { ticketId: string; listId: string; deviceId: string; gate: string | null },
  atMs: number,
  now: number,
): void {
  sql.exec(
    `UPDATE list_checkins SET inside = 0, changed_ms = ?, updated_ms = ?
       WHERE ticket_id = ? AND inside = 1 AND changed_ms <= ?`,
    atMs,
    now,
    fact.ticketId,
    atMs,
  );
  sql.exec(
    `INSERT INTO list_checkins (ticket_id, list_id, first_ms, first_device, first_gate, inside,
       changed_ms, updated_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?)
       ON CONFLICT (ticket_id, list_id) DO UPDATE
         SET first_ms = min(first_ms, excluded.first_ms), updated_ms = excluded.updated_ms`,
    fact.ticketId,
    fact.listId,
    atMs,
    fact.deviceId,
    fact.gate,
    atMs,
    now,
  );
}

/**
 * Another admission of the ticket on the list with no exit of the ticket between the two: the
 * one a new admission at `atMs` conflicts with (the closest in time), if any.
 */
export function rivalAdmission(
  sql: SqlStorage,
  fact: { ticketId: string; listId: string; deviceId: string; nonce: string },
  atMs: number,
): ScanRow | undefined {
  const scans = sql
    .exec<ScanRow>(
      'SELECT * FROM door_scans WHERE ticket_id = ? AND admitted = 1 ORDER BY scanned_ms',
      fact.ticketId,
    )
    .toArray();
  const exits = scans.filter((s) => s.direction === 'exit').map((s) => s.scanned_ms);
  const rivals = scans.filter(
    (s) =>
      s.direction === 'entry' &&
      s.list_id === fact.listId &&
      !(s.device_id === fact.deviceId && s.nonce === fact.nonce) &&
      !exits.some(
        (exit) => exit > Math.min(s.scanned_ms, atMs) && exit < Math.max(s.scanned_ms, atMs),
      ),
  );
  return rivals.sort((a, b) => Math.abs(a.scanned_ms - atMs) - Math.abs(b.scanned_ms - atMs))[0];
}

export function recordConflict(
  sql: SqlStorage,
  rival: ScanRow,
  fact: { ticketId: string; listId: string; deviceId: string; nonce: string; gate: string | null },
  atMs: number,
  now: number,
): void {
  // Ordered by time, so a conflict reads "first admitted ..., then again ...".
  const mine = { device: fact.deviceId, nonce: fact.nonce, ms: atMs, gate: fact.gate };
  const theirs = {
    device: rival.device_id,
    nonce: rival.nonce,
    ms: rival.scanned_ms,
    gate: rival.gate,
  };
  const [first, second] = theirs.ms <= atMs ? [theirs, mine] : [mine, theirs];
  sql.exec(
    `INSERT OR IGNORE INTO checkin_conflicts (ticket_id, list_id, first_device, first_nonce,
       first_ms, first_gate, second_device, second_nonce, second_ms, second_gate, recorded_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    fact.ticketId,
    fact.listId,
    first.device,
    first.nonce,
    first.ms,
    first.gate,
    second.device,
    second.nonce,
    second.ms,
    second.gate,
    now,
  );
}
