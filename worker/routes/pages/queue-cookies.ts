import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { PageContext } from './shared';

/**
 * The waiting room's two cookies on the hosted pages: the queue token (`tq_<eventId>`, the
 * buyer's place in line) and the admission token (`ta_<eventId>`, the right to hold tickets).
 * HttpOnly (page scripts never see a token), SameSite=Lax, scoped to the event's pages.
 */

/** A place in line outlives any realistic wait; the token's own expiry is what counts. */
const QUEUE_COOKIE_SECONDS = 24 * 60 * 60;
/** Used when the admission's end is unknown; the DO refuses a lapsed one anyway. */
const ADMISSION_FALLBACK_SECONDS = 60 * 60;

const queueName = (eventId: string) => `tq_${eventId}`;
const admissionName = (eventId: string) => `ta_${eventId}`;

/** Secure everywhere but plain-http localhost (local development). */
function cookieOptions(c: PageContext, slug: string, maxAge: number) {
  const url = new URL(c.req.url);
  const localHttp =
    url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
  return {
    path: `/e/${slug}`,
    httpOnly: true,
    secure: !localHttp,
    sameSite: 'Lax',
    maxAge,
  } as const;
}

/** Whose the cookies are: the event's id names them, its slug scopes them. */
export interface CookieEvent {
  id: string;
  slug: string;
}

/** The queue token this browser holds for the event, if any. */
export function readQueueCookie(c: PageContext, event: CookieEvent): string | undefined {
  return getCookie(c, queueName(event.id)) || undefined;
}

export function storeQueueCookie(c: PageContext, event: CookieEvent, queueToken: string): void {
  setCookie(c, queueName(event.id), queueToken, cookieOptions(c, event.slug, QUEUE_COOKIE_SECONDS));
}

/** The admission token this browser holds for the event, if any. */
export function readAdmissionCookie(c: PageContext, event: CookieEvent): string | undefined {
  return getCookie(c, admissionName(event.id)) || undefined;
}

/** Keeps the admission until it lapses (`expiresAt`, ISO), so a stale one is not sent on. */
export function storeAdmissionCookie(
  c: PageContext,
  event: CookieEvent,
  admissionToken: string,
  expiresAt: string | undefined,
  now = Date.now(),
): void {
  const left = expiresAt ? Math.ceil((Date.parse(expiresAt) - now) / 1000) : Number.NaN;
  const maxAge = Number.isFinite(left) ? Math.max(1, left) : ADMISSION_FALLBACK_SECONDS;
  setCookie(c, admissionName(event.id), admissionToken, cookieOptions(c, event.slug, maxAge));
}

/** Forgets an admission that can not be used any more (ended, or the buyer is back in line). */
export function forgetAdmissionCookie(c: PageContext, event: CookieEvent): void {
  if (!readAdmissionCookie(c, event)) return;
  const { path, secure } = cookieOptions(c, event.slug, 0);
  deleteCookie(c, admissionName(event.id), { path, secure });
}

/** Forgets the place in line and the admission (both ended, or refused as invalid). */
export function forgetQueueCookies(c: PageContext, event: CookieEvent): void {
  const { path, secure } = cookieOptions(c, event.slug, 0);
  deleteCookie(c, queueName(event.id), { path, secure });
  forgetAdmissionCookie(c, event);
}
