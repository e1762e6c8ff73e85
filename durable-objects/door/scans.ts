import {
  admit,
  findScan,
  isRevoked,
  leave,
  listCheckin,
  recordConflict,
  recordScan,
  rivalAdmission,
} from './ledger';
import type {
  OfflineScan,
  OnlineScan,
  ScanAnswer,
  ScannerId,
  ScanResult,
  SyncOutcome,
  SyncResult,
} from './types';

/** The door's decisions; callers run each inside one synchronous transaction. */

export interface DoorContext {
  eventId: string;
  eventCanceled: boolean;
}

/**
 * An online scan: the first admission per ticket and list wins; a ticket that left through an
 * exit list may come in again. Exits are never refused (nobody is kept inside). A retry with the
 * same nonce answers what the first attempt answered; with another ticket or list it is refused.
 */
export function scanOnline(
  sql: SqlStorage,
  door: DoorContext,
  scan: OnlineScan,
  now: number,
): ScanResult {
  const earlier = findScan(sql, scan.deviceId, scan.nonce);
  if (earlier) {
    if (
      earlier.source !== 'online' ||
      earlier.ticket_id !== scan.ticketId ||
      earlier.list_id !== scan.listId
    ) {
      return { ok: false, code: 'nonce_reused', nonce: scan.nonce };
    }
    return { ok: true, answer: JSON.parse(earlier.answer) as ScanAnswer, replayed: true };
  }
  const answer = decide(sql, door, scan, now);
  recordScan(
    sql,
    {
      ...scan,
      scannedMs: now,
      source: 'online',
      result: answer.result,
      admitted: answer.result === 'ok',
      answer,
    },
    now,
  );
  return { ok: true, answer, replayed: false };
}

function decide(sql: SqlStorage, door: DoorContext, scan: OnlineScan, now: number): ScanAnswer {
  if (scan.direction === 'exit') {
    leave(sql, scan, now, now);
    return { result: 'ok', checkedInAt: new Date(now).toISOString(), reentry: false };
  }
  if (door.eventCanceled) return { result: 'canceled' };
  if (isRevoked(sql, scan.ticketId)) return { result: 'refunded' };
  const row = listCheckin(sql, scan.ticketId, scan.listId);
  if (row?.inside === 1) {
    return {
      result: 'already_checked_in',
      firstCheckedInAt: new Date(row.first_ms).toISOString(),
      gate: row.first_gate,
      deviceId: row.first_device,
    };
  }
  admit(sql, scan, now, door.eventId, now);
  return { result: 'ok', checkedInAt: new Date(now).toISOString(), reentry: row !== undefined };
}

/**
 * Scans an offline device made, accepted as facts with their own time. Idempotent by (device,
 * nonce): a scan already recorded answers its first outcome, and a nonce reused for another
 * scan refuses the whole batch before anything is written. An admission another admission of
 * the same ticket on the same list already made, with no exit between, is a conflict: both
 * facts stay, and the pair is listed for the organizer.
 */
export function syncScans(
  sql: SqlStorage,
  door: DoorContext,
  deviceId: ScannerId,
  scans: OfflineScan[],
  now: number,
): SyncResult {
  const known = scans.map((scan) => findScan(sql, deviceId, scan.nonce));
  for (const [i, scan] of scans.entries()) {
    const row = known[i];
    if (
      row &&
      (row.source !== 'offline' ||
        row.ticket_id !== scan.ticketId ||
        row.list_id !== scan.listId ||
        row.scanned_ms !== scan.scannedMs ||
        row.result !== scan.result)
    ) {
      return { ok: false, code: 'nonce_reused', nonce: scan.nonce };
    }
  }
  const results: SyncOutcome[] = [];
  let replayed = 0;
  for (const [i, scan] of scans.entries()) {
    const row = known[i];
    if (row) {
      replayed++;
      results.push(JSON.parse(row.answer) as SyncOutcome);
      continue;
    }
    const outcome = applyOffline(sql, door, deviceId, scan, now);
    results.push(outcome);
  }
  return { ok: true, results, recorded: scans.length - replayed, replayed };
}

function applyOffline(
  sql: SqlStorage,
  door: DoorContext,
  deviceId: ScannerId,
  scan: OfflineScan,
  now: number,
): SyncOutcome {
  const fact = { ...scan, deviceId };
  const passed = scan.result === 'ok';
  let outcome: SyncOutcome = { nonce: scan.nonce, outcome: 'recorded' };
  if (passed && scan.direction === 'entry') {
    const rival = rivalAdmission(sql, fact, scan.scannedMs);
    if (rival) {
      recordConflict(sql, rival, fact, scan.scannedMs, now);
      outcome = {
        nonce: scan.nonce,
        outcome: 'conflict',
        conflictWith: {
          deviceId: rival.device_id,
          scannedAt: new Date(rival.scanned_ms).toISOString(),
          gate: rival.gate,
        },
      };
    }
    admit(sql, fact, scan.scannedMs, door.eventId, now);
  } else if (passed) {
    leave(sql, fact, scan.scannedMs, now);
  }
  recordScan(sql, { ...fact, source: 'offline', admitted: passed, answer: outcome }, now);
  return outcome;
}
