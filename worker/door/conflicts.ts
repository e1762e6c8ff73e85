import { and, between, eq } from 'drizzle-orm';
import type { Conflict } from '../../durable-objects/door/types';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { doorConflictReviews } from '../db/schema';
import { notFound } from '../domain/errors';
import { deviceNames } from './devices';

/**
 * The door's conflicts (a ticket admitted twice on one list by devices that could not see each
 * other) as the organizer sees them: both scans with the devices' names, and whether someone
 * reviewed it. The facts live in the event's DO; the reviews in D1.
 */

export interface ConflictReview {
  reviewedAt: string | null;
  reviewedBy: string | null;
}

export type ConflictView = Omit<Conflict, 'first' | 'second'> & {
  first: Conflict['first'] & { deviceName: string | null };
  second: Conflict['second'] & { deviceName: string | null };
} & ConflictReview;

export interface ConflictPage {
  /** `afterId`: oldest first after it; `beforeId` (the dashboard): newest first below it. */
  afterId: number;
  beforeId?: number | undefined;
  limit: number;
}

/**
 * Reviews of some conflicts of an event. One page's ids (up to 200) are more than D1 binds in
 * one query (100), so it reads the id range and keeps those asked for.
 */
export async function reviewsOf(
  db: Db,
  eventId: string,
  ids: number[],
): Promise<Map<number, ConflictReview>> {
  if (ids.length === 0) return new Map();
  const wanted = new Set(ids);
  const rows = await db
    .select()
    .from(doorConflictReviews)
    .where(
      and(
        eq(doorConflictReviews.eventId, eventId),
        between(doorConflictReviews.conflictId, Math.min(...ids), Math.max(...ids)),
      ),
    );
  return new Map(
    rows
      .filter((r) => wanted.has(r.conflictId))
      .map((r) => [r.conflictId, { reviewedAt: r.reviewedAt, reviewedBy: r.reviewedBy }]),
  );
}

export async function conflictViews(
  env: Env,
  db: Db,
  eventId: string,
  page: ConflictPage,
): Promise<ConflictView[]> {
  const conflicts = await inventoryFor(env, eventId).checkinConflicts(
    page.afterId,
    page.limit,
    page.beforeId,
  );
  const [names, reviews] = await Promise.all([
    deviceNames(
      db,
      eventId,
      conflicts.flatMap((x) => [x.first.deviceId, x.second.deviceId]),
    ),
    reviewsOf(
      db,
      eventId,
      conflicts.map((x) => x.id),
    ),
  ]);
  const withName = <T extends { deviceId: string }>(side: T) => ({
    ...side,
    deviceName: names.get(side.deviceId) ?? null,
  });
  return conflicts.map((x) => ({
    ...x,
    first: withName(x.first),
    second: withName(x.second),
    ...(reviews.get(x.id) ?? { reviewedAt: null, reviewedBy: null }),
  }));
}

/**
 * Marks a conflict reviewed by `actor`; the first review stays (a second one changes nothing).
 * A conflict the event's object does not have is 404.
 */
export async function reviewConflict(
  env: Env,
  db: Db,
  eventId: string,
  conflictId: number,
  actor: string,
): Promise<ConflictView> {
  const [found] = await conflictViews(env, db, eventId, { afterId: conflictId - 1, limit: 1 });
  if (!found || found.id !== conflictId) throw notFound('conflict');
  if (found.reviewedAt) return found;
  const reviewedAt = new Date().toISOString();
  await db
    .insert(doorConflictReviews)
    .values({ eventId, conflictId, reviewedBy: actor, reviewedAt })
    .onConflictDoNothing();
  const stored = (await reviewsOf(db, eventId, [conflictId])).get(conflictId);
  return { ...found, ...(stored ?? { reviewedAt, reviewedBy: actor }) };
}
