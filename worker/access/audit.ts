import type { Db } from '../db/client';
import { auditLog } from '../db/schema';
import { newId } from '../domain/ids';

export interface AuditEntry {
  organizerId: string;
  /** A person (`per_…`) or API key (`key_…`). */
  actor: string;
  /** What happened, e.g. `member.role_changed`, `apikey.revoked`. */
  action: string;
  subjectId: string;
  before?: Record<string, unknown> | null | undefined;
  after?: Record<string, unknown> | null | undefined;
}

/** The audit row of a change, to put in the same `db.batch` as the change itself. */
export function auditInsert(db: Db, entry: AuditEntry) {
  return db.insert(auditLog).values({
    id: newId('au'),
    organizerId: entry.organizerId,
    actor: entry.actor,
    action: entry.action,
    subjectId: entry.subjectId,
    data: { before: entry.before ?? null, after: entry.after ?? null },
  });
}
