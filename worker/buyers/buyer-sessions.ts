import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { buyerSessions } from '../db/schema';
import { newId } from '../domain/ids';

/**
 * A buyer's "My tickets" session: short, because it is only an email address proven a moment
 * ago and hands out the order tokens of every order placed with it. It lives 30 minutes past
 * its last use (sliding, refreshed at most every 5 minutes) and never more than 12 hours.
 */
export const BUYER_SESSION_IDLE_MS = 30 * 60_000;
export const BUYER_SESSION_REFRESH_MS = 5 * 60_000;
export const BUYER_SESSION_MAX_MS = 12 * 60 * 60_000;

export interface BuyerSession {
  id: string;
  email: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export async function createBuyerSession(
  db: Db,
  email: string,
  now = new Date(),
): Promise<{ id: string; expiresAt: Date }> {
  const id = newId('bses');
  const expiresAt = new Date(now.getTime() + BUYER_SESSION_IDLE_MS);
  await db.insert(buyerSessions).values({
    id,
    email,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { id, expiresAt };
}

/** A live session (not signed out, not idle too long, not older than the cap), or null. */
export async function loadBuyerSession(
  db: Db,
  sessionId: string,
  now = new Date(),
): Promise<BuyerSession | null> {
  const row = await db.select().from(buyerSessions).where(eq(buyerSessions.id, sessionId)).get();
  if (!row || row.revokedAt !== null) return null;
  if (row.expiresAt <= now.toISOString()) return null;
  if (now.getTime() - Date.parse(row.createdAt) >= BUYER_SESSION_MAX_MS) return null;
  const { revokedAt: _revoked, ...session } = row;
  return session;
}

/** Slides the expiry forward (at most once per refresh period, never past the cap). */
export async function refreshBuyerSession(
  db: Db,
  session: BuyerSession,
  now = new Date(),
): Promise<Date | null> {
  if (now.getTime() - Date.parse(session.lastSeenAt) < BUYER_SESSION_REFRESH_MS) return null;
  const cap = Date.parse(session.createdAt) + BUYER_SESSION_MAX_MS;
  const expiresAt = new Date(Math.min(now.getTime() + BUYER_SESSION_IDLE_MS, cap));
  await db
    .update(buyerSessions)
    .set({ lastSeenAt: now.toISOString(), expiresAt: expiresAt.toISOString() })
    .where(and(eq(buyerSessions.id, session.id), isNull(buyerSessions.revokedAt)))
    .run();
  return expiresAt;
}

/** "Sign out": the row is ended, so a copied cookie is worthless from now on. */
export async function revokeBuyerSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(buyerSessions)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(buyerSessions.id, sessionId), isNull(buyerSessions.revokedAt)))
    .run();
}
