import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Principal } from '../access/principal';
import { SESSION_COOKIE, signSessionToken, verifySessionToken } from '../access/session-token';
import {
  loadLiveSession,
  refreshSession,
  SESSION_IDLE_MS,
  type SessionRecord,
} from '../access/sessions';
import type { AppEnv } from '../app-env';

export const SIGN_IN_PATH = '/dashboard/sign-in';

/** Variables of dashboard routes behind a session. */
export interface DashboardEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { session: SessionRecord };
}

/** Sets the session cookie: `__Host-`, HttpOnly, Secure, SameSite=Lax, Path=/. */
export async function setSessionCookie(
  c: Parameters<typeof setCookie>[0],
  env: Env,
  sessionId: string,
  expiresAt: Date,
): Promise<void> {
  setCookie(c, SESSION_COOKIE, await signSessionToken(env, sessionId, expiresAt), {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

export function clearSessionCookie(c: Parameters<typeof deleteCookie>[0]): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
}

/**
 * A live session, or a redirect to sign-in (and the cookie dropped). The row is read on every
 * request, so a revoked session or a removed member is out at once; a session in use slides
 * its expiry forward (at most one write an hour).
 */
export const requireSession = createMiddleware<DashboardEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const sessionId = token ? await verifySessionToken(c.env, token) : null;
  const session = sessionId ? await loadLiveSession(c.get('db'), sessionId) : null;
  if (!session) {
    if (token) clearSessionCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  }
  c.set('session', session);
  const refreshed = await refreshSession(c.get('db'), session);
  if (refreshed) await setSessionCookie(c, c.env, session.id, refreshed);
  await next();
});

/**
 * The session's workspace as the request's principal; without a membership there (none
 * chosen yet, or removed a moment ago) the person goes to the workspace list.
 */
export const requireWorkspace = createMiddleware<DashboardEnv>(async (c, next) => {
  const session = c.get('session');
  if (!session.organizerId || !session.membership) {
    return c.redirect('/dashboard/workspaces', 303);
  }
  const principal: Principal = {
    kind: 'member',
    organizerId: session.organizerId,
    role: session.membership.role,
    eventScope: session.membership.eventScope,
    personId: session.personId,
    sessionId: session.id,
  };
  c.set('principal', principal);
  c.set('organizerId', session.organizerId);
  await next();
});
