import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { signSessionToken, verifySessionToken } from '../access/session-token';
import type { AppEnv } from '../app-env';
import {
  BUYER_SESSION_IDLE_MS,
  loadBuyerSession,
  refreshBuyerSession,
} from '../buyers/buyer-sessions';

/**
 * The buyer's cookie: its own name and its own token audience (`tessera-buyer`), so it is
 * never read as, nor accepted in place of, the dashboard's session cookie.
 */
export const BUYER_COOKIE = '__Host-tessera_buyer';
const AUDIENCE = 'tessera-buyer';

/** The routes of "My tickets"; `buyer` is in every route's variables (app-env.ts), set here. */
export type BuyerEnv = AppEnv;

/** `__Host-`: Secure, Path=/, no Domain (this host only); HttpOnly; Lax (the mail link is a top-level navigation). */
export async function setBuyerCookie(
  c: Parameters<typeof setCookie>[0],
  env: Env,
  sessionId: string,
  expiresAt: Date,
): Promise<void> {
  setCookie(c, BUYER_COOKIE, await signSessionToken(env, sessionId, expiresAt, AUDIENCE), {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearBuyerCookie(c: Parameters<typeof deleteCookie>[0]): void {
  deleteCookie(c, BUYER_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
}

/**
 * The request's live buyer session, or null (and a stale cookie dropped). The row is read on
 * every request, so "sign out" ends a session at once; one in use slides forward.
 */
export const readBuyerSession = createMiddleware<BuyerEnv>(async (c, next) => {
  const token = getCookie(c, BUYER_COOKIE);
  const sessionId = token ? await verifySessionToken(c.env, token, AUDIENCE) : null;
  const session = sessionId ? await loadBuyerSession(c.get('db'), sessionId) : null;
  if (token && !session) clearBuyerCookie(c);
  c.set('buyer', session);
  if (session) {
    const refreshed = await refreshBuyerSession(c.get('db'), session);
    if (refreshed) await setBuyerCookie(c, c.env, session.id, refreshed);
  }
  await next();
});

/** How long a fresh session lives, for the page's note. */
export const BUYER_SESSION_MINUTES = BUYER_SESSION_IDLE_MS / 60_000;
