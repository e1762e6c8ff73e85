import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { events } from '../db/schema';
import { validationFailed } from '../domain/errors';

/** Event ids from a form's checkboxes (one value or many); none checked means every event. */
export const eventIdsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().max(64)).max(200, 'At most 200 events'));

/**
 * The scope to store: null for every event, else the ids, each checked to be one of the
 * workspace's own events (another workspace's id is a field error, never a grant).
 */
export async function resolveScope(
  db: Db,
  organizerId: string,
  eventIds: string[],
): Promise<string[] | null> {
  if (eventIds.length === 0) return null;
  const unique = [...new Set(eventIds)];
  const own = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.organizerId, organizerId), inArray(events.id, unique)))
    .all();
  if (own.length !== unique.length) {
    throw validationFailed([{ path: 'eventIds', message: 'Pick events of this workspace' }]);
  }
  return unique;
}

/** The workspace's events for the scope checkboxes. */
export async function scopeChoices(db: Db, organizerId: string) {
  return db
    .select({ id: events.id, title: events.title })
    .from(events)
    .where(eq(events.organizerId, organizerId))
    .orderBy(events.startsAt)
    .limit(200)
    .all();
}
