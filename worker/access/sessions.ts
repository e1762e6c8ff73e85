import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { memberships, people, sessions } from '../db/schema';
import { newId } from '../domain/ids';
import type { Role } from './roles';

/** A session lives 14 days past its last use (sliding), refreshed at most once an hour. */
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60_000;
export const SESSION_REFRESH_MS = 60 * 60_000;

export interface SessionRecord {
  id: string;
  personId: string;
  email: string;
  organizerId: string | null;
  lastSeenAt: string;
  expiresAt: string;
  /** The person's membership in the session's workspace; null when there is none (anymore). */
  membership: { role: Role; eventScope: string[] | null } | null;
}

export async function createSession(
  db: Db,
  session: { personId: string; organizerId: string | null; userAgent?: string | undefined },
  now = new Date(),
): Promise<{ id: string; expiresAt: Date }> {
  const id = newId('ses');
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db.insert(sessions).values({
    id,
    personId: session.personId,
    organizerId: session.organizerId,
    userAgent: session.userAgent?.slice(0, 200) ?? null,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { id, expiresAt };
}

/** A live session (not revoked, not expired) with its person and current membership. */
export async function loadLiveSession(
  db: Db,
  sessionId: string,
  now = new Date(),
): Promise<SessionRecord | null> {
  const row = await db
    .select({
      id: sessions.id,
      personId: sessions.personId,
      email: people.email,
      organizerId: sessions.organizerId,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      role: memberships.role,
      eventScope: memberships.eventScope,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.personId, sessions.personId),
        eq(memberships.organizerId, sessions.organizerId),
      ),
    )
    .where(eq(sessions.id, sessionId))
    .get();
  if (!row || row.revokedAt !== null || row.expiresAt <= now.toISOString()) return null;
  const { role, eventScope, revokedAt: _revoked, ...session } = row;
  return { ...session, membership: role ? { role, eventScope: eventScope ?? null } : null };
}

/** Slides the expiry forward when the last refresh is over an hour old; the new expiry or null. */
export async function refreshSession(
  db: Db,
  session: Pick<SessionRecord, 'id' | 'lastSeenAt'>,
  now = new Date(),
): Promise<Date | null> {
  if (now.getTime() - Date.parse(session.lastSeenAt) < SESSION_REFRESH_MS) return null;
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await db
    .update(sessions)
    .set({ lastSeenAt: now.toISOString(), expiresAt: expiresAt.toISOString() })
    .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)))
    .run();
  return expiresAt;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .run();
}

/** "Sign out everywhere": every live session of the person. */
export async function revokeAllSessions(db: Db, personId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(sessions.personId, personId), isNull(sessions.revokedAt)))
    .run();
}

export async function switchWorkspace(
  db: Db,
  sessionId: string,
  organizerId: string | null,
): Promise<void> {
  await db.update(sessions).set({ organizerId }).where(eq(sessions.id, sessionId)).run();
}
