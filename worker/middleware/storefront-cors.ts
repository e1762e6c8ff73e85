import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { optionalSetting } from '../config';
import { problem } from '../domain/errors';
import {
  applyCors,
  isPreflight,
  isStateChanging,
  isWellFormedOrigin,
  preflightResponse,
} from '../http/cors';
import { type EventOrigins, originsForTarget } from './allowed-origins';
import { type CorsTarget, corsTargetOf, isQrImage } from './cors-target';

/** Tessera's own pages (hosted pages, the sandbox payment page) may always call the API. */
function isOwnOrigin(c: Context<AppEnv>, origin: string): boolean {
  return origin === new URL(c.req.url).origin || origin === optionalSetting(c.env, 'PUBLIC_ORIGIN');
}

/** The hold id of a checkout body, read without consuming it (hono caches the text). */
async function checkoutHoldId(c: Context<AppEnv>): Promise<string | null> {
  try {
    const body: unknown = JSON.parse(await c.req.text());
    const holdId = (body as { holdId?: unknown } | null)?.holdId;
    return typeof holdId === 'string' ? holdId : null;
  } catch {
    return null; // not JSON: the route answers 400 or 415
  }
}

/** The request's event with its allowed origins, or null when there is none to be found. */
async function originsOf(c: Context<AppEnv>, target: CorsTarget): Promise<EventOrigins | null> {
  if (target.kind !== 'checkout') return originsForTarget(c.get('db'), target);
  const holdId = await checkoutHoldId(c);
  return holdId ? originsForTarget(c.get('db'), { kind: 'hold', holdId }) : null;
}

const originNotAllowed = (origin: string) =>
  problem(
    'origin_not_allowed',
    `${origin} is not among the event's allowed origins; the organizer can add it to the event's allowedOrigins.`,
  );

/**
 * CORS for the storefront API (API.md): an `Origin` is granted when it is in the event's
 * `allowedOrigins` or is Tessera's own. A state-changing request from any other origin is
 * refused with 403 `origin_not_allowed` before the route runs, so it changes nothing; a read
 * is answered without the grant, so the browser keeps the data from the page. Requests
 * without `Origin` (servers, curl) pass as before.
 *
 * A checkout's event is known only from its body, which a preflight does not carry: the
 * preflight is granted to any well-formed origin, and the checkout itself is decided by its
 * hold's event.
 */
export const storefrontCors = createMiddleware<AppEnv>(async (c, next) => {
  const target = corsTargetOf(c.req.path);
  const origin = c.req.header('origin');
  if (!target || origin === undefined) {
    await next();
    // Every storefront answer varies on Origin, this one too: a browser must never hand a
    // copy it cached for Tessera's own page (no Origin, no grant) to another site's widget.
    if (target) applyCors(c.res.headers, null);
    if (isQrImage(target)) c.res.headers.set('cross-origin-resource-policy', 'cross-origin');
    return;
  }
  const own = isOwnOrigin(c, origin);
  if (isPreflight(c.req.raw)) {
    const granted =
      own ||
      (target.kind === 'checkout'
        ? isWellFormedOrigin(origin)
        : ((await originsOf(c, target))?.allowedOrigins.includes(origin) ?? false));
    return preflightResponse(granted ? origin : null);
  }
  const event = own ? null : await originsOf(c, target);
  const granted = own || (event?.allowedOrigins.includes(origin) ?? false);
  // Unknown event: nothing to protect, and the route says 404 as it always does.
  if (!granted && event && isStateChanging(c.req.method)) throw originNotAllowed(origin);
  await next();
  applyCors(c.res.headers, granted ? origin : null);
  if (isQrImage(target)) c.res.headers.set('cross-origin-resource-policy', 'cross-origin');
});
