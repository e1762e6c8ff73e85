import type {
  CheckoutView,
  EventView,
  HoldItem,
  HoldView,
  OrderView,
  QueueView,
} from './api-types';
import type { Buyer, FailureKind } from './machine';
import type { ServerClock } from './server-clock';

/** The storefront API (API.md) as the widget calls it; every failure becomes a FailureKind. */

export class ApiFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The HTTP status; 0 when the request never got an answer. */
    readonly status = 0,
    /** `sold_out`: the types that had too few left. */
    readonly ticketTypeIds: string[] = [],
  ) {
    super(kind);
  }
}

const KINDS: Record<string, FailureKind> = {
  sold_out: 'sold_out',
  hold_expired: 'hold_expired',
  hold_converted: 'hold_expired',
  hold_in_checkout: 'in_use',
  admission_required: 'admission_required',
  admission_ended: 'admission_required',
  admission_in_use: 'in_use',
  not_on_sale: 'not_on_sale',
  queue_not_open: 'not_on_sale',
  waiting_room_off: 'room_off',
  max_per_order_exceeded: 'too_many',
  not_found: 'not_found',
  hold_limit_reached: 'hold_limit',
  rate_limited: 'rate_limited',
};

/** A problem+json answer as a FailureKind; anything unknown (5xx, 429, no body) is `network`. */
export function failureOf(status: number, problem: unknown): FailureKind {
  const body = typeof problem === 'object' && problem !== null ? problem : {};
  const code = 'code' in body && typeof body.code === 'string' ? body.code : '';
  if (code === 'validation_failed') {
    const errors = 'errors' in body && Array.isArray(body.errors) ? body.errors : [];
    const aboutPromo = errors.some((e: unknown) => JSON.stringify(e).includes('"promoCode"'));
    return aboutPromo ? 'bad_promo' : 'invalid';
  }
  const kind = KINDS[code];
  if (kind) return kind;
  if (status === 429) return 'rate_limited';
  return status === 404 ? 'not_found' : 'network';
}

let warned = false;

/**
 * No answer the page may read: most often the site is missing from the event's
 * `allowedOrigins`, so the browser hides the answer (CORS). Said once, for the organizer.
 */
function warnUnreadable(url: string): void {
  if (warned) return;
  warned = true;
  console.warn(
    `Tessera: no readable answer from ${new URL(url).origin}. If the network is fine, add this page's origin (${location.origin}) to the event's allowedOrigins.`,
  );
}

async function callWith<T>(clock: ServerClock, url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'omit' });
  } catch {
    warnUnreadable(url);
    throw new ApiFailure('network');
  }
  clock.observe(response.headers.get('date'));
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok || body === null) {
    const ids =
      body && typeof body === 'object' && 'ticketTypeIds' in body ? body.ticketTypeIds : [];
    const ticketTypeIds = Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
    throw new ApiFailure(failureOf(response.status, body), response.status, ticketTypeIds);
  }
  return body as T;
}

function json(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A random key the server accepts as Idempotency-Key (also outside secure contexts). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `wgt_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The client for one Tessera origin; every answer's `Date` sets `clock`. */
export function storefrontApi(origin: string, clock: ServerClock) {
  const v1 = `${origin}/api/v1`;
  const path = encodeURIComponent;
  const call = <T>(url: string, init?: RequestInit) => callWith<T>(clock, url, init);
  return {
    event: (idOrSlug: string) => call<EventView>(`${v1}/events/${path(idOrSlug)}`),
    joinQueue: (eventId: string, queueToken: string | null) =>
      call<QueueView>(`${v1}/events/${path(eventId)}/queue`, {
        method: 'POST',
        headers: queueToken ? bearer(queueToken) : {},
      }),
    queueStatus: (eventId: string, queueToken: string) =>
      call<QueueView>(`${v1}/events/${path(eventId)}/queue/status`, {
        headers: bearer(queueToken),
      }),
    hold: (eventId: string, items: HoldItem[], admission: string | undefined) =>
      call<HoldView>(
        `${v1}/events/${path(eventId)}/holds`,
        json('POST', { items }, admission ? { 'tessera-admission': admission } : {}),
      ),
    release: (holdId: string) => call<void>(`${v1}/holds/${path(holdId)}`, { method: 'DELETE' }),
    checkout: (key: string, holdId: string, buyer: Buyer, promoCode: string | undefined) =>
      call<CheckoutView>(
        `${v1}/checkout`,
        json(
          'POST',
          { holdId, buyer, ...(promoCode ? { promoCode } : {}) },
          {
            'idempotency-key': key,
          },
        ),
      ),
    sandboxPay: (paymentId: string, outcome: 'succeed' | 'fail') =>
      call<{ status: 'succeeded' | 'failed' }>(
        `${origin}/sandbox/pay/${path(paymentId)}`,
        json('POST', { outcome }),
      ),
    /** The order; `orderPageUrl` is filled in the way the hosted pages build it when absent. */
    order: async (orderId: string, orderToken: string): Promise<OrderView> => {
      const order = await call<OrderView>(`${v1}/orders/${path(orderId)}`, {
        headers: bearer(orderToken),
      });
      const page = `${origin}/orders/${path(orderId)}?token=${path(orderToken)}`;
      return { ...order, orderPageUrl: order.orderPageUrl ?? page };
    },
  };
}

export type StorefrontApi = ReturnType<typeof storefrontApi>;
