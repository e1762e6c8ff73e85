import { getCookie, setCookie } from 'hono/cookie';
import type { HoldView } from '../../../durable-objects/inventory/types';
import type { EventRecord } from '../../catalog/event-record';
import { inventoryFor } from '../../catalog/inventory';
import { eventIdOfHold } from '../../domain/ids';
import { isOrderToken } from '../../orders/order-token';
import { HoldGonePage, type HoldGoneReason } from '../../views/checkout-page';
import type { PageContext } from './shared';

const ORDER_COOKIE = 'tessera_order';

/** The hold, if it belongs to this event. */
export async function findHold(
  c: PageContext,
  record: EventRecord,
  holdId: string,
): Promise<HoldView | null> {
  if (eventIdOfHold(holdId) !== record.event.id) return null;
  return inventoryFor(c.env, record.event.id).getHold(holdId);
}

/**
 * The hold if it can still be checked out, else the answer to give: a message, or for a hold
 * already in checkout, the browser that started it (it has the cookie) goes to its order.
 */
export async function liveHold(
  c: PageContext,
  record: EventRecord,
  holdId: string,
): Promise<HoldView | Response> {
  const hold = await findHold(c, record, holdId);
  const gone = (reason: HoldGoneReason, status: 404 | 409) =>
    c.html(
      <HoldGonePage
        reason={reason}
        eventSlug={record.event.slug}
        eventTitle={record.event.title}
      />,
      status,
    );
  if (!hold) return gone('unknown', 404);
  if (hold.orderId) {
    const token = getCookie(c, ORDER_COOKIE);
    if (token && (await isOrderToken(c.env, hold.orderId, token))) {
      return c.redirect(`/orders/${hold.orderId}?token=${encodeURIComponent(token)}`, 303);
    }
    return gone(
      hold.state === 'converted' ? 'bought' : hold.state === 'active' ? 'in_checkout' : 'expired',
      409,
    );
  }
  return hold.state === 'active' ? hold : gone('expired', 409);
}

/** Lets this browser find its way back from a checkout page to the order it created. */
export function rememberOrder(
  c: PageContext,
  slug: string,
  holdId: string,
  orderToken: string,
): void {
  setCookie(c, ORDER_COOKIE, orderToken, {
    path: `/e/${slug}/checkout/${holdId}`,
    httpOnly: true,
    secure: new URL(c.req.url).protocol === 'https:',
    sameSite: 'Lax',
    maxAge: 24 * 60 * 60,
  });
}
