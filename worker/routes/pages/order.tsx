import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { loadEvent } from '../../catalog/event-record';
import { AppError, notFound } from '../../domain/errors';
import { publicOrigin } from '../../http/bearer';
import { RESENDS_PER_WINDOW, requestConfirmationResend } from '../../orders/confirmation-resend';
import { loadOrder, type OrderRecord } from '../../orders/order-record';
import {
  buyerOrderView,
  loadOrderForBuyer,
  loadTicketForBuyer,
  orderPageUrl,
} from '../../orders/order-view';
import { sandboxPayUrl } from '../../payments/sandbox';
import { OrderPage, type OrderPageProps } from '../../views/order-page';
import { TicketPage } from '../../views/ticket-page';
import { formFields, type PageContext } from './shared';

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
  token: string = c.req.query('token') ?? '',
): Promise<{ found: T; token: string }> {
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'no-referrer');
  try {
    return { found: await load(token || undefined), token };
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthorized') throw notFound('page');
    throw error;
  }
}

/** The order page for `record`, with an optional notice (a resend's outcome). */
async function renderOrderPage(
  c: PageContext,
  record: OrderRecord,
  token: string,
  notice?: OrderPageProps['notice'],
  status: 200 | 429 = 200,
) {
  const event = await loadEvent(c.get('db'), record.order.eventId);
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
  return c.html(
    <OrderPage
      order={view}
      event={event.event}
      paymentUrl={paymentUrl}
      token={token}
      notice={notice}
    />,
    status,
  );
}

orderPageRoutes.get('/orders/:orderId', async (c) => {
  const { found: record, token } = await loadWithToken(c, (given) =>
    loadOrderForBuyer(c.env, c.get('db'), c.req.param('orderId'), given),
  );
  // `resent=1` is only the redirect after a granted resend; faking it sends nothing.
  const notice =
    c.req.query('resent') === '1'
      ? {
          kind: 'info' as const,
          text: `We sent your confirmation again to ${record.order.buyerEmail}.`,
        }
      : undefined;
  return renderOrderPage(c, record, token, notice);
});

/**
 * "Send the confirmation again": a form on the order page, token in the body. Cross-site
 * posts are refused by the pages' guard; the limit per order is in `requestConfirmationResend`.
 */
orderPageRoutes.post('/orders/:orderId/resend-confirmation', async (c) => {
  const db = c.get('db');
  const orderId = c.req.param('orderId');
  const fields = await formFields(c);
  const { found: record, token } = await loadWithToken(
    c,
    (given) => loadOrderForBuyer(c.env, db, orderId, given),
    fields.token ?? '',
  );
  const outcome = await requestConfirmationResend(c.env, db, record.order);
  if (outcome.ok) {
    return c.redirect(`/orders/${orderId}?token=${encodeURIComponent(token)}&resent=1`, 303);
  }
  const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
  c.header('retry-after', String(outcome.retryAfterSeconds));
  const text = `We have already sent the confirmation ${RESENDS_PER_WINDOW} times this hour. You can ask again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  return renderOrderPage(c, record, token, { kind: 'error', text }, 429);
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
      pdfUrl={`/tickets/${ticket.id}/ticket.pdf?token=${encodeURIComponent(token)}`}
    />,
  );
});
