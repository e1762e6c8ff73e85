import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { optionalSetting } from '../config';
import { inlineCodeHashes } from '../views/inline-code';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;
/** CSP directives in hono's form: `{ scriptSrc: ["'self'"], … }`. */
export type CspDirectives = NonNullable<SecureHeadersOptions['contentSecurityPolicy']>;

/**
 * The hosted pages' policy. Nothing loads from elsewhere; scripts and styles only as the
 * registered inline blocks (their hashes are added per response, see inline-code.ts); the
 * waiting page polls its status JSON on this origin; forms post here (and, for the redirect
 * to the sandbox payment page, to `PUBLIC_ORIGIN`); nobody may frame a page.
 */
export const PAGE_CSP: CspDirectives = {
  defaultSrc: ["'none'"],
  scriptSrc: [],
  styleSrc: [],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/** Data (JSON, SVG, problems) is never a document anyone should render or frame. */
const DATA_CSP: CspDirectives = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** One year; sent only on https responses (a plain-http dev server must not pin itself). */
export const HSTS = 'max-age=31536000; includeSubDomains';

const OFF = {
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xContentTypeOptions: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} satisfies SecureHeadersOptions;

/**
 * Headers for HTML responses. `overwrite: false`: a value a route set itself wins (the order
 * and ticket pages send `Referrer-Policy: no-referrer`, a sub-app its own CSP).
 */
function pageHeaders(csp: CspDirectives): MiddlewareHandler {
  return secureHeaders({
    ...OFF,
    contentSecurityPolicy: csp,
    xFrameOptions: 'DENY',
    xContentTypeOptions: true,
    referrerPolicy: 'strict-origin-when-cross-origin',
    crossOriginOpenerPolicy: true,
    originAgentCluster: true,
    overwrite: false,
  });
}

/**
 * Headers for everything else. No CORP here: the widget shows ticket QR images from the API
 * on organizers' pages, and the API answers cross-origin reads under CORS.
 */
const dataHeaders = secureHeaders({
  ...OFF,
  contentSecurityPolicy: DATA_CSP,
  xContentTypeOptions: true,
  overwrite: false,
});

function isHtml(response: Response): boolean {
  return /^text\/html\b/i.test(response.headers.get('content-type') ?? '');
}

/** The page CSP of this request: inline-code hashes, and `PUBLIC_ORIGIN` as a form target. */
async function pagePolicy(c: Context, extra: CspDirectives): Promise<CspDirectives> {
  const hashes = await inlineCodeHashes();
  const publicOrigin = optionalSetting(c.env as Env, 'PUBLIC_ORIGIN');
  const merged: CspDirectives = { ...PAGE_CSP, ...extra };
  return {
    ...merged,
    scriptSrc: withFallback([...(extra.scriptSrc ?? []), ...hashes.scripts]),
    styleSrc: withFallback([...(extra.styleSrc ?? []), ...hashes.styles]),
    formAction: [...(merged.formAction ?? []), ...(publicOrigin ? [publicOrigin] : [])],
  };
}

/** An empty source list is not valid CSP; `'none'` says the same. */
function withFallback(
  sources: CspDirectives['scriptSrc'],
): NonNullable<CspDirectives['scriptSrc']> {
  return sources && sources.length > 0 ? sources : ["'none'"];
}

const pageHeadersByPolicy = new Map<string, MiddlewareHandler>();

/**
 * Security headers on every response, chosen by what it is: HTML documents get the page CSP
 * (plus `extra` directives, e.g. a sub-app's `frameSrc`), `X-Frame-Options: DENY`, nosniff,
 * `Referrer-Policy: strict-origin-when-cross-origin` and COOP; everything else gets nosniff
 * and a CSP that renders nothing. HSTS only over https. Headers already on the response are
 * kept, so an inner `securityHeaders({...})` (e.g. the dashboard's) decides for its routes.
 */
export function securityHeaders(extra: CspDirectives = {}): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    await next();
    let apply = dataHeaders;
    if (isHtml(c.res)) {
      const policy = await pagePolicy(c, extra);
      const key = JSON.stringify(policy);
      apply = pageHeadersByPolicy.get(key) ?? pageHeaders(policy);
      pageHeadersByPolicy.set(key, apply);
    }
    await apply(c, async () => {});
    if (
      new URL(c.req.url).protocol === 'https:' &&
      !c.res.headers.has('strict-transport-security')
    ) {
      c.res.headers.set('Strict-Transport-Security', HSTS);
    }
  });
}
