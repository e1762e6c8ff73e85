import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { loadEvent } from '../../catalog/event-record';
import { AppError, notFound } from '../../domain/errors';
import { publicOrigin } from '../../http/bearer';
import { loadOrder } from '../../orders/order-record';
import {
  buyerOrderView,
  loadOrderForBuyer,
  loadTicketForBuyer,
  orderPageUrl,
} from '../../orders/order-view';
import { sandboxPayUrl } from '../../payments/sandbox';
import { OrderPage } from '../../views/order-page';
import { TicketPage } from '../../views/ticket-page';
import type { PageContext } from './shared';

/** The buyer's order page and ticket pages, both reached with the order's `?token=`. */
export const orderPageRoutes = new Hono<AppEnv>();

/**
 * Loads what a private page shows with the `?token=` of its URL. The page holds that secret,
 * so it is never cached nor sent on as a referrer; a missing token reads as an unknown page:
 * 404, never 401 (nothing to log in to here). Returns the record and the token as given.
 */
async function loadWithToken<T>(
  c: PageContext,
  load: (token: string | undefined) => Promise<T>,
): Promise<{ found: T; token: string }> {
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'no-referrer');
  const token = c.req.query('token') ?? '';
  try {
    return { found: await load(token || undefined), token };
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthorized') throw notFound('page');
    throw error;
  }
}

orderPageRoutes.get('/orders/:orderId', async (c) => {
  const db = c.get('db');
  const { found: record, token } = await loadWithToken(c, (given) =>
    loadOrderForBuyer(c.env, db, c.req.param('orderId'), given),
  );
  const event = await loadEvent(db, record.order.eventId);
  if (!event) throw notFound('order');
  c.set('testMode', record.order.testMode);
  const origin = publicOrigin(c);
  const view = buyerOrderView(record, origin, token);
  const { order } = record;
  // The sandbox page returns here: this page's own URL (with its token) rides along.
  const paymentUrl =
    order.status === 'pending_payment' && order.paymentProvider === 'sandbox' && order.paymentId
      ? sandboxPayUrl(origin, order.paymentId, orderPageUrl(origin, order.id, token))
      : null;
  return c.html(<OrderPage order={view} event={event.event} paymentUrl={paymentUrl} />);
});

orderPageRoutes.get('/tickets/:ticketId', async (c) => {
  const db = c.get('db');
  const { found: ticket, token } = await loadWithToken(c, (given) =>
    loadTicketForBuyer(c.env, db, c.req.param('ticketId'), given),
  );
  const [event, order] = await Promise.all([
    loadEvent(db, ticket.eventId),
    loadOrder(db, ticket.orderId),
  ]);
  if (!event || !order) throw notFound('ticket');
  c.set('testMode', order.order.testMode);
  const typeName =
    order.lines.find((l) => l.ticketTypeId === ticket.ticketTypeId)?.name ??
    event.ticketTypes.find((t) => t.id === ticket.ticketTypeId)?.name ??
    'Ticket';
  return c.html(
    <TicketPage
      event={event.event}
      ticket={ticket}
      ticketTypeName={typeName}
      holderName={order.order.buyerName}
      orderUrl={`/orders/${order.order.id}?token=${encodeURIComponent(token)}`}
    />,
  );
});
