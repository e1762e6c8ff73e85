import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { loadEvent } from '../../catalog/event-record';
import { AppError, notFound } from '../../domain/errors';
import { publicOrigin } from '../../http/bearer';
import { securityHeaders } from '../../middleware/security-headers';
import { RESENDS_PER_WINDOW, requestConfirmationResend } from '../../orders/confirmation-resend';
import { loadOrder, type OrderRecord } from '../../orders/order-record';
import {
  buyerOrderView,
  loadOrderForBuyer,
  loadTicketForBuyer,
  orderPageUrl,
} from '../../orders/order-view';
import { paymentProvider } from '../../payments';
import { sandboxPayUrl } from '../../payments/sandbox';
import { payScriptPath, stripePageCsp } from '../../payments/stripe-page';
import { OrderPage, type OrderPageProps, type StripeForm } from '../../views/order-page';
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

/**
 * The Payment Element of a pending Stripe order, when the buyer can still pay: the hold lives,
 * the payment is not settling or done, and the buyer is not just back from paying (Stripe's
 * `redirect_status` on the return URL: the webhook is on its way). Null: no form.
 */
async function stripeForm(
  c: PageContext,
  record: OrderRecord,
  returnUrl: string,
): Promise<StripeForm | null> {
  const { order, payment } = record;
  if (order.status !== 'pending_payment' || order.paymentProvider !== 'stripe') return null;
  if (!order.paymentId || Date.parse(order.expiresAt) <= Date.now()) return null;
  if (payment && ['processing', 'succeeded', 'canceled'].includes(payment.status)) return null;
  const returned = c.req.query('redirect_status');
  if (returned === 'succeeded' || returned === 'processing') return null;
  const provider = paymentProvider(c.env, c.get('db'), publicOrigin(c), 'stripe');
  const [script, current] = await Promise.all([
    payScriptPath(c.env),
    provider ? provider.retrievePayment(order.paymentId) : null,
  ]);
  if (!current?.clientSecret || !current.publishableKey || current.status !== 'requires_payment') {
    return null;
  }
  return {
    script,
    publishableKey: current.publishableKey,
    clientSecret: current.clientSecret,
    returnUrl,
    stripeJsUrl: current.stripeJsUrl ?? null,
  };
}

/** Requests whose page shows the Payment Element: only they get Stripe's CSP sources. */
const showsPaymentForm = new WeakSet<Request>();

orderPageRoutes.use('/orders/:orderId', async (c, next) => {
  await next();
  if (showsPaymentForm.has(c.req.raw)) {
    await securityHeaders(stripePageCsp(c.env))(c, async () => {});
  }
});

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
  const stripe = await stripeForm(c, record, orderPageUrl(origin, order.id, token));
  if (stripe) showsPaymentForm.add(c.req.raw);
  const returned = c.req.query('redirect_status');
  return c.html(
    <OrderPage
      order={view}
      event={event.event}
      paymentUrl={paymentUrl}
      stripe={stripe}
      returnedFromPayment={returned === 'succeeded' || returned === 'processing'}
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
