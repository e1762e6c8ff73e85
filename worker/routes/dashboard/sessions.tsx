import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { revokeAllSessions } from '../../access/sessions';
import { workspacesOf } from '../../access/workspaces';
import { sessions } from '../../db/schema';
import {
  clearSessionCookie,
  type DashboardEnv,
  SIGN_IN_PATH,
} from '../../middleware/dashboard-session';
import { SessionsPage } from '../../views/dashboard/sessions-page';

/** The person's live sessions and "sign out everywhere". Session required, no workspace. */
export const sessionRoutes = new Hono<DashboardEnv>();

sessionRoutes.get('/sessions', async (c) => {
  const session = c.get('session');
  const db = c.get('db');
  const [list, workspaces] = await Promise.all([
    db
      .select({
        id: sessions.id,
        userAgent: sessions.userAgent,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      })
      .from(sessions)
      .where(
        and(
          eq(sessions.personId, session.personId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, new Date().toISOString()),
        ),
      )
      .orderBy(desc(sessions.lastSeenAt))
      .limit(50),
    workspacesOf(db, session.personId),
  ]);
  const nav =
    session.organizerId && session.membership
      ? {
          current: 'sessions' as const,
          workspaceId: session.organizerId,
          workspaces,
          email: session.email,
        }
      : undefined;
  return c.html(<SessionsPage nav={nav} currentId={session.id} sessions={list} />);
});

sessionRoutes.post('/sessions/revoke-all', async (c) => {
  await revokeAllSessions(c.get('db'), c.get('session').personId);
  clearSessionCookie(c);
  return c.redirect(SIGN_IN_PATH, 303);
});
