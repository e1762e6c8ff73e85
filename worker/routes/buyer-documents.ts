import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { bearerOrQueryToken, publicOrigin } from '../http/bearer';
import { loadTicketedOrder, loadTicketedTicket, pdfInput } from '../orders/buyer-documents';
import { eventCalendar } from '../orders/event-calendar';
import { orderPageUrl } from '../orders/order-view';
import { renderTicketsPdf } from '../tickets/pdf';

/**
 * The buyer's downloads, reached like the order and ticket pages with the order's
 * `?token=` (or `Authorization: Bearer`). Files, not pages: refusals are problem+json.
 * The URL carries a secret, so nothing is cached and no referrer is sent on.
 */
export const buyerDocumentRoutes = new Hono<AppEnv>();

/** Headers of a private file download; `filename` is ASCII from our own ids and slugs. */
function download(contentType: string, filename: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
  };
}

buyerDocumentRoutes.get('/orders/:orderId/tickets.pdf', async (c) => {
  const orderId = c.req.param('orderId');
  const found = await loadTicketedOrder(c.env, c.get('db'), orderId, bearerOrQueryToken(c));
  const pdf = await renderTicketsPdf(pdfInput(found));
  return c.body(pdf, 200, download('application/pdf', `tickets-${orderId}.pdf`));
});

buyerDocumentRoutes.get('/tickets/:ticketId/ticket.pdf', async (c) => {
  const ticketId = c.req.param('ticketId');
  const found = await loadTicketedTicket(c.env, c.get('db'), ticketId, bearerOrQueryToken(c));
  const pdf = await renderTicketsPdf(pdfInput(found));
  return c.body(pdf, 200, download('application/pdf', `ticket-${ticketId}.pdf`));
});

buyerDocumentRoutes.get('/orders/:orderId/event.ics', async (c) => {
  const orderId = c.req.param('orderId');
  const token = bearerOrQueryToken(c);
  const { event } = await loadTicketedOrder(c.env, c.get('db'), orderId, token);
  const calendar = eventCalendar({
    event,
    orderId,
    orderUrl: orderPageUrl(publicOrigin(c), orderId, token ?? ''),
  });
  return c.body(calendar, 200, download('text/calendar; charset=utf-8', `${event.slug}.ics`));
});
