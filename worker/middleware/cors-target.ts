/**
 * Which event a storefront request belongs to, read from its path: the event's
 * `allowedOrigins` decide its CORS. Paths outside the storefront API (organizer API,
 * webhooks, pages) have no target and get no CORS at all.
 */
export type CorsTarget =
  /** `/api/v1/events/:eventIdOrSlug[/…]`: the event read, the queue, holds. */
  | { kind: 'event'; idOrSlug: string }
  /** `/api/v1/holds/:holdId`: the hold id embeds its event's id. */
  | { kind: 'hold'; holdId: string }
  /** `/api/v1/checkout`: the event is the one of the body's `holdId`. */
  | { kind: 'checkout' }
  | { kind: 'order'; orderId: string }
  /** `/api/v1/tickets/:ticketId/qr.svg` */
  | { kind: 'ticket'; ticketId: string }
  /** `/sandbox/pay/:paymentId`: the sandbox payment step. */
  | { kind: 'payment'; paymentId: string };

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const ROUTES: [RegExp, (id: string) => CorsTarget][] = [
  [/^\/api\/v1\/events\/([^/]+)(?:\/.*)?$/, (idOrSlug) => ({ kind: 'event', idOrSlug })],
  [/^\/api\/v1\/holds\/([^/]+)\/?$/, (holdId) => ({ kind: 'hold', holdId })],
  [/^\/api\/v1\/checkout\/?()$/, () => ({ kind: 'checkout' })],
  [/^\/api\/v1\/orders\/([^/]+)\/?$/, (orderId) => ({ kind: 'order', orderId })],
  [/^\/api\/v1\/tickets\/([^/]+)\/qr\.svg$/, (ticketId) => ({ kind: 'ticket', ticketId })],
  [/^\/sandbox\/pay\/([^/]+)\/?$/, (paymentId) => ({ kind: 'payment', paymentId })],
];

/** The CORS target of a request path, or null outside the storefront API. */
export function corsTargetOf(path: string): CorsTarget | null {
  for (const [pattern, target] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return target(decoded(match[1] ?? ''));
  }
  return null;
}

/** QR codes are images: pages with COEP may embed them only with this CORP header. */
export function isQrImage(target: CorsTarget | null): boolean {
  return target?.kind === 'ticket';
}
