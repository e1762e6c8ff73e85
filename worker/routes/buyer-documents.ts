import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { problem } from '../domain/errors';
import { bearerOrQueryToken, publicOrigin } from '../http/bearer';
import { problemResponse } from '../http/problem';
import {
  loadTicketedOrder,
  loadTicketedTicket,
  pdfInput,
  type TicketedOrder,
} from '../orders/buyer-documents';
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

/** Seconds a buyer over the PDF limit is asked to wait: the limiter's period. */
const PDF_RETRY_AFTER_SECONDS = 60;

/**
 * The PDF of `found`, unless its order is over `DOWNLOAD_LIMITER` (10 a minute): a PDF costs
 * ~15 ms of CPU per page (the QR encoder), so a 100-ticket order fetched in a loop must not
 * burn the Worker. Counted per order, after the token check: a stranger cannot use up a
 * buyer's downloads, and a wrong token never reaches the renderer.
 */
async function pdfResponse(c: Context<AppEnv>, found: TicketedOrder, filename: string) {
  const { success } = await c.env.DOWNLOAD_LIMITER.limit({ key: found.record.order.id });
  if (!success) {
    const error = problem(
      'rate_limited',
      `Too many downloads of this order; try again in ${PDF_RETRY_AFTER_SECONDS} seconds.`,
      { retryAfterSeconds: PDF_RETRY_AFTER_SECONDS },
    );
    const response = problemResponse(error, c.get('requestId'));
    response.headers.set('retry-after', String(PDF_RETRY_AFTER_SECONDS));
    response.headers.set('cache-control', 'private, no-store');
    return response;
  }
  const pdf = await renderTicketsPdf(pdfInput(found));
  return c.body(pdf, 200, download('application/pdf', filename));
}

buyerDocumentRoutes.get('/orders/:orderId/tickets.pdf', async (c) => {
  const orderId = c.req.param('orderId');
  const found = await loadTicketedOrder(c.env, c.get('db'), orderId, bearerOrQueryToken(c));
  return pdfResponse(c, found, `tickets-${orderId}.pdf`);
});

buyerDocumentRoutes.get('/tickets/:ticketId/ticket.pdf', async (c) => {
  const ticketId = c.req.param('ticketId');
  const found = await loadTicketedTicket(c.env, c.get('db'), ticketId, bearerOrQueryToken(c));
  return pdfResponse(c, found, `ticket-${ticketId}.pdf`);
});

buyerDocumentRoutes.get('/orders/:orderId/event.ics', async (c) => {
  const orderId = c.req.param('orderId');
  const token = bearerOrQueryToken(c);
  const { event, record } = await loadTicketedOrder(c.env, c.get('db'), orderId, token);
  const calendar = eventCalendar({
    event,
    orderId,
    testMode: record.order.testMode,
    orderUrl: orderPageUrl(publicOrigin(c), orderId, token ?? ''),
  });
  return c.body(calendar, 200, download('text/calendar; charset=utf-8', `${event.slug}.ics`));
});
