import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  type DifferenceKind,
  type DifferenceStatus,
  reconciliationDifferences,
} from '../db/schema';
import { newId } from '../domain/ids';

export type DifferenceRow = typeof reconciliationDifferences.$inferSelect;

export interface Difference {
  kind: DifferenceKind;
  /** The objects that name it; with the kind they make its key. */
  objects: Record<string, string>;
  organizerId: string | null;
  eventId?: string | null | undefined;
  orderId?: string | null | undefined;
  details: Record<string, unknown>;
}

/** `<kind>:<object ids in a fixed order>`: one row per difference, however often seen. */
export function differenceKey(kind: DifferenceKind, objects: Record<string, string>): string {
  const ids = Object.keys(objects)
    .sort()
    .map((name) => objects[name]);
  return `${kind}:${ids.join(':')}`;
}

/**
 * Records a difference, or moves `last_seen_at` (and the details) of the one already
 * recorded: a rerun over the same window records nothing twice. Status and action are left
 * as they were; `resolve` sets them.
 */
export async function recordDifference(db: Db, d: Difference, now: string): Promise<DifferenceRow> {
  const key = differenceKey(d.kind, d.objects);
  const [row] = await db
    .insert(reconciliationDifferences)
    .values({
      id: newId('rdf'),
      key,
      kind: d.kind,
      organizerId: d.organizerId,
      eventId: d.eventId ?? null,
      orderId: d.orderId ?? null,
      objects: d.objects,
      details: d.details,
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: reconciliationDifferences.key,
      set: { lastSeenAt: now, details: d.details },
    })
    .returning();
  if (!row) throw new Error(`difference ${key} was not written`);
  return row;
}

/** Sets what was done about a difference; `fixed` and `ignored` are resolved at `now`. */
export async function resolve(
  db: Db,
  id: string,
  status: DifferenceStatus,
  action: string,
  now: string,
): Promise<void> {
  await db
    .update(reconciliationDifferences)
    .set({ status, action, resolvedAt: status === 'open' ? null : now })
    .where(eq(reconciliationDifferences.id, id));
}

/** Open differences of one kind at one event (the drift check closes those gone). */
export function openDifferencesOfEvent(
  db: Db,
  eventId: string,
  kind: DifferenceKind,
): Promise<DifferenceRow[]> {
  return db
    .select()
    .from(reconciliationDifferences)
    .where(
      and(
        eq(reconciliationDifferences.eventId, eventId),
        eq(reconciliationDifferences.kind, kind),
        eq(reconciliationDifferences.status, 'open'),
      ),
    );
}

export interface DifferenceQuery {
  organizerId?: string | undefined;
  statuses?: DifferenceStatus[] | undefined;
  kind?: DifferenceKind | undefined;
  limit: number;
  offset?: number | undefined;
}

/** Open differences first, then the most recently seen. */
export function listDifferences(db: Db, query: DifferenceQuery): Promise<DifferenceRow[]> {
  const t = reconciliationDifferences;
  const conditions: SQL[] = [];
  if (query.organizerId) conditions.push(eq(t.organizerId, query.organizerId));
  if (query.statuses?.length) conditions.push(inArray(t.status, query.statuses));
  if (query.kind) conditions.push(eq(t.kind, query.kind));
  return db
    .select()
    .from(t)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(sql`CASE WHEN ${t.status} = 'open' THEN 0 ELSE 1 END`, desc(t.lastSeenAt), asc(t.id))
    .limit(query.limit)
    .offset(query.offset ?? 0);
}

/** A difference as the API shows it. */
export function differenceView(row: DifferenceRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    organizerId: row.organizerId,
    eventId: row.eventId,
    orderId: row.orderId,
    objects: row.objects,
    details: row.details,
    action: row.action,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    resolvedAt: row.resolvedAt,
  };
}
