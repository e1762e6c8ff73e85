import { eq } from 'drizzle-orm';
import { type EventRow, loadEvent } from '../catalog/event-record';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { notFound, problem } from '../domain/errors';
import { TICKETED_STATES } from '../domain/order-states';
import type { PrintedTicket, TicketsPdfInput } from '../tickets/pdf';
import { loadOrder, type OrderRecord } from './order-record';
import { isOrderToken } from './order-token';

/** What the buyer's downloads (PDF tickets, calendar file) are made from. */
export interface TicketedOrder {
  record: OrderRecord;
  event: EventRow;
  /** The valid tickets, in order; refunded ones are left out. */
  tickets: PrintedTicket[];
}

/**
 * A paid (or partly refunded) order for its buyer's downloads. The token is checked before
 * D1 is read, so a wrong or missing one costs an HMAC and answers exactly like an unknown
 * order: 404. A right token on an order without valid tickets (awaiting payment, refunded,
 * expired) answers 409 `invalid_state`: its buyer may know why.
 */
export async function loadTicketedOrder(
  env: Env,
  db: Db,
  orderId: string,
  token: string | undefined,
): Promise<TicketedOrder> {
  if (!token || !(await isOrderToken(env, orderId, token))) throw notFound('order');
  const record = await loadOrder(db, orderId);
  if (!record) throw notFound('order');
  const { order } = record;
  if (!TICKETED_STATES.includes(order.status)) {
    throw problem(
      'invalid_state',
      order.status === 'pending_payment'
        ? 'The tickets are issued once the payment is confirmed.'
        : 'This order has no valid tickets.',
      { orderStatus: order.status },
    );
  }
  const event = await loadEvent(db, order.eventId);
  if (!event) throw notFound('order');
  const names = new Map(record.lines.map((line) => [line.ticketTypeId, line.name]));
  const valid = record.tickets
    .filter((ticket) => ticket.status === 'valid')
    .map((ticket) => ({
      id: ticket.id,
      code: ticket.code,
      ticketTypeName: names.get(ticket.ticketTypeId) ?? 'Ticket',
    }));
  return { record, event: event.event, tickets: valid };
}

/**
 * One ticket of a ticketed order, by the order token. An unknown ticket and a wrong token
 * are the same 404; a refunded ticket is 409 `invalid_state` (it is never printed).
 */
export async function loadTicketedTicket(
  env: Env,
  db: Db,
  ticketId: string,
  token: string | undefined,
): Promise<TicketedOrder> {
  if (!token) throw notFound('ticket');
  const row = await db
    .select({ orderId: tickets.orderId, status: tickets.status })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .get();
  if (!row || !(await isOrderToken(env, row.orderId, token))) throw notFound('ticket');
  if (row.status !== 'valid') {
    throw problem('invalid_state', 'This ticket was refunded and is no longer valid.');
  }
  const found = await loadTicketedOrder(env, db, row.orderId, token);
  return { ...found, tickets: found.tickets.filter((ticket) => ticket.id === ticketId) };
}

/** The input of `renderTicketsPdf` for these tickets. */
export function pdfInput(found: TicketedOrder): TicketsPdfInput {
  const { record, event } = found;
  return {
    event,
    orderId: record.order.id,
    holderName: record.order.buyerName,
    tickets: found.tickets,
    testMode: record.order.testMode,
  };
}
