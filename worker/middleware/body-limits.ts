import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { problem } from '../domain/errors';

const KB = 1024;

/**
 * The largest request body each area takes, checked before anything reads the body (so a
 * 50 MB upload costs at most the limit in memory, and never a parse). First matching path
 * prefix wins; docs/API.md "Limits" lists them.
 */
export const BODY_LIMITS: readonly { prefix: string; area: string; maxBytes: number }[] = [
  // An event with 50 ticket types, 50 quotas and a 20,000-character description is ~60 KB
  // of JSON; 1 MB leaves room for every field at its maximum.
  { prefix: '/api/v1/organizer/', area: 'organizer API', maxBytes: 1024 * KB },
  // The dashboard's forms edit the same events (URL-encoded, up to 3x the text).
  { prefix: '/dashboard/', area: 'dashboard', maxBytes: 1024 * KB },
  // Stripe's events for a PaymentIntent or refund are a few KB; metadata at Stripe's own
  // maximum (50 keys of 500 characters) adds ~30 KB. 256 KB is that with room to spare.
  { prefix: '/api/v1/webhooks/', area: 'webhooks', maxBytes: 256 * KB },
  // A door device's sync: at most 500 scans of ~400 bytes (a QR code is ~200 characters).
  { prefix: '/api/v1/door/', area: 'door API', maxBytes: 512 * KB },
  // Holds (at most 20 items), checkout, queue joins, check-in: well under 4 KB each.
  { prefix: '/api/v1/', area: 'storefront API', maxBytes: 64 * KB },
  // Everything else is a hosted page's form (tickets, name and email, a sandbox outcome).
  { prefix: '/', area: 'hosted pages', maxBytes: 16 * KB },
];

function tooLarge(area: string, maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw problem(
        'payload_too_large',
        `Request bodies for the ${area} are limited to ${maxBytes / KB} KB.`,
        { limitBytes: maxBytes },
      );
    },
  });
}

const limiters = BODY_LIMITS.map((limit) => ({
  ...limit,
  check: tooLarge(limit.area, limit.maxBytes),
}));

/**
 * 413 `payload_too_large` above the area's limit: by `Content-Length` before reading a byte,
 * and for a chunked body (no length) as soon as the bytes read pass the limit.
 */
export const bodyLimits = createMiddleware(async (c, next) => {
  const limiter = limiters.find((l) => c.req.path.startsWith(l.prefix));
  if (!limiter) return next();
  return limiter.check(c, next);
});
