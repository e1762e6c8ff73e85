import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';

/**
 * Security headers of every dashboard response. The CSP allows only our own stylesheet and
 * scripts (no inline script, no inline style), forms posting to us, and no framing. Pages
 * show personal data (members, keys, orders), so nothing is stored by browsers or caches;
 * the stylesheet opts out by setting its own Cache-Control. No Referer leaves a page, so a
 * magic link's token in the address never travels on.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const dashboardHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('content-security-policy', DASHBOARD_CSP);
  headers.set('x-frame-options', 'DENY');
  headers.set('referrer-policy', 'no-referrer');
  headers.set('x-content-type-options', 'nosniff');
  headers.set('cross-origin-opener-policy', 'same-origin');
  headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
});
