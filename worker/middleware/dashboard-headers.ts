import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';

/**
 * Security headers of every dashboard response. The CSP allows only our own stylesheet and
 * scripts (no inline script, no inline style), forms posting to us, frames of our own pages
 * (the widget preview) and no framing of the dashboard itself. Pages show personal data
 * (members, keys, orders), so nothing is stored by browsers or caches; the assets opt out by
 * setting their own Cache-Control. No Referer leaves a page, so a magic link's token in the
 * address never travels on.
 */
const BASE_POLICY = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'frame-src': "'self'",
  'form-action': "'self'",
  'base-uri': "'none'",
  'frame-ancestors': "'none'",
} as const;

/**
 * What one page may add to the policy: sources appended to a directive (the hosted page's
 * inline-style hash in the preview), and `frameAncestors: 'self'` for the one page the
 * dashboard frames (the widget preview). Nothing can loosen `default-src` or allow inline code.
 */
/** `form-action`: Stripe's onboarding, where the Payouts page's form is redirected. */
type AddableDirective = 'script-src' | 'style-src' | 'form-action';

export interface PagePolicy {
  add?: Partial<Record<AddableDirective, string[]>>;
  frameAncestors?: 'self';
}

function serialize(page: PagePolicy): string {
  return Object.entries(BASE_POLICY)
    .map(([name, value]) => {
      if (name === 'frame-ancestors' && page.frameAncestors === 'self')
        return "frame-ancestors 'self'";
      const extra = page.add?.[name as AddableDirective] ?? [];
      return [name, value, ...extra].join(' ');
    })
    .join('; ');
}

export const DASHBOARD_CSP = serialize({});

const policies = new WeakMap<Request, PagePolicy>();

/** Widens this response's policy as `page` says (see PagePolicy); call before answering. */
export function usePagePolicy(c: Context, page: PagePolicy): void {
  policies.set(c.req.raw, page);
}

export const dashboardHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const page = policies.get(c.req.raw) ?? {};
  const headers = c.res.headers;
  headers.set('content-security-policy', serialize(page));
  headers.set('x-frame-options', page.frameAncestors === 'self' ? 'SAMEORIGIN' : 'DENY');
  headers.set('referrer-policy', 'no-referrer');
  headers.set('x-content-type-options', 'nosniff');
  headers.set('cross-origin-opener-policy', 'same-origin');
  headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
});
