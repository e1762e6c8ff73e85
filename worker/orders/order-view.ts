import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, tickets } from '../db/schema';
import { notFound, unauthorized } from '../domain/errors';
import { TICKETED_STATES } from '../domain/order-states';
import { loadOrder, type OrderRecord, type TicketRow } from './order-record';
import { isOrderToken } from './order-token';

/** Reads an order for a buyer; a wrong token is indistinguishable from an unknown order. */
export async function loadOrderForBuyer(
  env: Env,
  db: Db,
  orderId: string,
  token: string | undefined,
): Promise<OrderRecord> {
  if (!token)
    throw unauthorized(
      'Send the order token as `Authorization: Bearer <orderToken>` or `?token=`.',
    );
  const record = await loadOrder(db, orderId);
  if (!record || !(await isOrderToken(env, orderId, token))) throw notFound('order');
  return record;
}

/** A ticket the buyer may see: the order token of its order unlocks it. */
export async function loadTicketForBuyer(
  env: Env,
  db: Db,
  ticketId: string,
  token: string | undefined,
): Promise<TicketRow> {
  if (!token) throw unauthorized('Send the order token as `?token=`.');
  const row = await db
    .select({ ticket: tickets, status: orders.status })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .where(and(eq(tickets.id, ticketId)))
    .get();
  if (
    !row ||
    !(await isOrderToken(env, row.ticket.orderId, token)) ||
    !TICKETED_STATES.includes(row.status)
  ) {
    throw notFound('ticket');
  }
  return row.ticket;
}

/** The buyer's order page: the link in emails, payment return URLs and checkout answers. */
export function orderPageUrl(origin: string, orderId: string, token: string): string {
  return `${origin}/orders/${orderId}?token=${encodeURIComponent(token)}`;
}

export function ticketLinks(origin: string, ticketId: string, token: string) {
  const query = `token=${encodeURIComponent(token)}`;
  return {
    qrSvgUrl: `${origin}/api/v1/tickets/${ticketId}/qr.svg?${query}`,
    url: `${origin}/tickets/${ticketId}?${query}`,
    pdfUrl: `${origin}/tickets/${ticketId}/ticket.pdf?${query}`,
  };
}

/** The buyer's downloads of a paid order: every ticket as one PDF, and the calendar file. */
export function orderDocumentLinks(origin: string, orderId: string, token: string) {
  const query = `token=${encodeURIComponent(token)}`;
  return {
    ticketsPdfUrl: `${origin}/orders/${orderId}/tickets.pdf?${query}`,
    calendarUrl: `${origin}/orders/${orderId}/event.ics?${query}`,
  };
}

/** The buyer's view of an order (API.md); tickets appear once it is paid. */
export function buyerOrderView(record: OrderRecord, origin: string, token: string) {
  const { order, lines } = record;
  const ticketed = TICKETED_STATES.includes(order.status);
  const names = new Map(lines.map((l) => [l.ticketTypeId, l.name]));
  return {
    id: order.id,
    status: order.status,
    eventId: order.eventId,
    /** A test-mode order: no real money, its tickets refused at a live door. */
    testMode: order.testMode,
    buyer: { name: order.buyerName, email: order.buyerEmail },
    items: lines.map((l) => ({
      ticketTypeId: l.ticketTypeId,
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      lineTotalMinor: l.lineTotalMinor,
    })),
    totalMinor: order.totalMinor,
    refundedMinor: order.refundedMinor,
    currency: order.currency,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    expiresAt: order.status === 'pending_payment' ? order.expiresAt : null,
    lastPaymentError: order.status === 'pending_payment' ? order.lastPaymentError : null,
    payment: order.paymentId
      ? {
          provider: order.paymentProvider,
          paymentId: order.paymentId,
          // requires_payment, requires_action, processing, succeeded, failed, canceled
          status: record.payment?.status ?? 'requires_payment',
        }
      : null,
    documents: ticketed ? orderDocumentLinks(origin, order.id, token) : null,
    tickets: ticketed
      ? record.tickets
          .filter((t) => t.status === 'valid')
          .map((t) => ({
            id: t.id,
            ticketTypeId: t.ticketTypeId,
            ticketTypeName: names.get(t.ticketTypeId) ?? '',
            code: t.code,
            testMode: order.testMode,
            ...ticketLinks(origin, t.id, token),
          }))
      : [],
  };
}
