import type { AdmissionFailure, AdmissionGrant } from './types';

/**
 * Admissions a buyer has claimed, one row each. `claimed`: admitted, no hold yet (lapses at
 * `expires_ms`); `holding`: its one live hold keeps the slot; `used`: the order was paid or
 * the hold ended. A claimed admission past its expiry is lapsed without needing a write.
 */
export interface AdmissionRow extends Record<string, SqlStorageValue> {
  seq: number;
  rank: number;
  state: 'claimed' | 'holding' | 'used';
  claimed_ms: number;
  expires_ms: number;
  hold_id: string | null;
}

export function admissionRow(sql: SqlStorage, seq: number): AdmissionRow | undefined {
  return sql
    .exec<AdmissionRow>(
      'SELECT seq, rank, state, claimed_ms, expires_ms, hold_id FROM admissions WHERE seq = ?',
      seq,
    )
    .toArray()[0];
}

export function insertAdmission(
  sql: SqlStorage,
  seq: number,
  rank: number,
  now: number,
  admissionMinutes: number,
): AdmissionRow {
  const row: AdmissionRow = {
    seq,
    rank,
    state: 'claimed',
    claimed_ms: now,
    expires_ms: now + admissionMinutes * 60_000,
    hold_id: null,
  };
  sql.exec(
    'INSERT INTO admissions (seq, rank, state, claimed_ms, expires_ms, hold_id) VALUES (?, ?, ?, ?, ?, NULL)',
    row.seq,
    row.rank,
    row.state,
    row.claimed_ms,
    row.expires_ms,
  );
  return row;
}

export function grantOf(row: AdmissionRow): AdmissionGrant {
  return { seq: row.seq, expiresAt: new Date(row.expires_ms).toISOString() };
}

/** Why an admission can not place a hold now, or null when it can. */
export function admissionRefusal(
  row: AdmissionRow | undefined,
  now: number,
): AdmissionFailure | null {
  if (!row) return { ok: false, code: 'admission_required' };
  if (row.state === 'used') return { ok: false, code: 'admission_ended', reason: 'used' };
  if (row.state === 'holding') {
    return { ok: false, code: 'admission_in_use', holdId: row.hold_id ?? '' };
  }
  if (row.expires_ms <= now) return { ok: false, code: 'admission_ended', reason: 'lapsed' };
  return null;
}

/** The admission now keeps its slot through this hold. */
export function attachHold(sql: SqlStorage, seq: number, holdId: string): void {
  sql.exec("UPDATE admissions SET state = 'holding', hold_id = ? WHERE seq = ?", holdId, seq);
}

/** The admission's hold ended (paid, released or expired): its slot is free, for good. */
export function endAdmission(sql: SqlStorage, seq: number): void {
  sql.exec("UPDATE admissions SET state = 'used' WHERE seq = ?", seq);
}
