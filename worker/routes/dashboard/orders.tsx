import { and, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import { loadOwnEvent } from '../../catalog/event-commands';
import { field } from '../../dashboard/event-form';
import { orders } from '../../db/schema';
import { decimalToMinor } from '../../domain/currency';
import { randomToken } from '../../domain/ids';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { type OrganizerOrderView, organizerOrderView } from '../../orders/organizer-order';
import { type RefundRequest, refundOrder } from '../../orders/refunds';
import {
  EventOrdersPage,
  OrderDetailPage,
  RefundConfirmPage,
  type RefundFormValues,
} from '../../views/dashboard/order-pages';
import { type DashboardContext, formFields, navFor } from './shared';

/**
 * An event's orders and one order's page with its refund form (full, an amount, or some
 * tickets), then a confirm step; the refund itself is the API's (`refundOrder`), with an
 * idempotency key made at the review, so a double submit refunds once.
 */
export const orderRoutes = new Hono<DashboardEnv>();

orderRoutes.get('/events/:eventId/orders', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.read', { eventId });
  const db = c.get('db');
  const record = await loadOwnEvent(db, c.get('organizerId'), eventId);
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.eventId, eventId), eq(orders.organizerId, c.get('organizerId'))))
    .orderBy(desc(orders.createdAt))
    .limit(200);
  return c.html(
    <EventOrdersPage
      nav={await navFor(c, 'events')}
      event={{ id: eventId, title: record.event.title }}
      orders={rows.map((o) => ({ ...o, buyerEmail: o.buyerEmail }))}
    />,
  );
});

async function loadForPage(c: DashboardContext): Promise<OrganizerOrderView> {
  const order = await organizerOrderView(
    c.get('db'),
    c.get('organizerId'),
    c.req.param('orderId') ?? '',
  );
  requireAllowed(c.get('principal'), 'order.read', { eventId: order.eventId });
  return order;
}

const canRefund = (c: DashboardContext, eventId: string) =>
  authorize(c.get('principal'), 'order.refund', { eventId }) === 'allow';

orderRoutes.get('/orders/:orderId', async (c) => {
  const order = await loadForPage(c);
  return c.html(
    <OrderDetailPage
      nav={await navFor(c, 'events')}
      order={order}
      canRefund={canRefund(c, order.eventId)}
      done={c.req.query('done')}
    />,
  );
});

orderRoutes.post('/orders/:orderId/refund', async (c) => {
  const order = await loadForPage(c);
  requireAllowed(c.get('principal'), 'order.refund', { eventId: order.eventId });
  const fields = await formFields(c);
  const picked = fields.ticketIds;
  const values: RefundFormValues = {
    mode: field(fields, 'mode'),
    amount: field(fields, 'amount').trim(),
    ticketIds: (Array.isArray(picked) ? picked : picked ? [picked] : []).slice(0, 50),
  };
  const parsed = refundRequestOf(order, values);
  const nav = await navFor(c, 'events');
  if (!parsed.ok) {
    const form = { values, error: parsed.error };
    return c.html(<OrderDetailPage nav={nav} order={order} canRefund form={form} />, 422);
  }
  const key = field(fields, 'key');
  if (field(fields, 'intent') !== 'confirm' || !/^[A-Za-z0-9_-]{16,64}$/.test(key)) {
    const names = order.tickets.filter((t) => values.ticketIds.includes(t.id)).map((t) => t.name);
    return c.html(
      <RefundConfirmPage
        nav={nav}
        order={order}
        values={values}
        amountMinor={parsed.amountMinor}
        ticketNames={names}
        refundKey={randomToken(24)}
      />,
    );
  }
  const result = await refundOrder(
    c.env,
    c.get('db'),
    c.get('organizerId'),
    order.id,
    parsed.request,
    `dashboard:${key}`,
  );
  const done = result.refund.state === 'pending' ? 'pending' : 'refunded';
  return c.redirect(`/dashboard/orders/${order.id}?done=${done}`, 303);
});

type Parsed =
  | { ok: true; request: RefundRequest; amountMinor: number }
  | { ok: false; error: string };

/** The form as a refund request, checked like the API checks its body. */
function refundRequestOf(order: OrganizerOrderView, values: RefundFormValues): Parsed {
  if (values.mode === 'full') return { ok: true, request: {}, amountMinor: order.refundableMinor };
  if (values.mode === 'amount') {
    const amount = decimalToMinor(values.amount, order.currency);
    if (!amount.ok) return { ok: false, error: amount.message };
    if (amount.minor < 1) return { ok: false, error: 'Enter an amount above zero' };
    if (amount.minor > order.refundableMinor) {
      return { ok: false, error: 'That is more than can still be refunded' };
    }
    return { ok: true, request: { amountMinor: amount.minor }, amountMinor: amount.minor };
  }
  if (values.mode === 'tickets') {
    const chosen = order.tickets.filter((t) => values.ticketIds.includes(t.id));
    if (chosen.length === 0 || chosen.length !== values.ticketIds.length) {
      return { ok: false, error: 'Pick the tickets to refund' };
    }
    const amountMinor = chosen.reduce((sum, t) => sum + t.priceMinor, 0);
    return { ok: true, request: { ticketIds: values.ticketIds }, amountMinor };
  }
  return { ok: false, error: 'Choose what to refund' };
}
