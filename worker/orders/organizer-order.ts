import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { refunds } from '../db/schema';
import { notFound } from '../domain/errors';
import { loadOrder, type OrderRecord } from './order-record';
import { refundableOf } from './refund-claims';

/**
 * One order as the organizer sees it (API and dashboard): lines, tickets with their state
 * (refunded tickets say by which refund), refunds with their state, and what can still be
 * refunded. Another workspace's order is not there (404).
 */
export async function organizerOrderView(db: Db, organizerId: string, orderId: string) {
  const record = await loadOrder(db, orderId);
  if (!record || record.order.organizerId !== organizerId) throw notFound('order');
  const [refundRows, refundableMinor] = await Promise.all([
    db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.seq)),
    refundableOf(db, orderId),
  ]);
  const { order } = record;
  return {
    id: order.id,
    eventId: order.eventId,
    status: order.status,
    testMode: order.testMode,
    buyer: { name: order.buyerName, email: order.buyerEmail },
    totalMinor: order.totalMinor,
    refundedMinor: order.refundedMinor,
    refundableMinor: Math.max(0, refundableMinor),
    currency: order.currency,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    items: record.lines.map((l) => ({
      ticketTypeId: l.ticketTypeId,
      name: l.name,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      lineTotalMinor: l.lineTotalMinor,
    })),
    tickets: record.tickets.map((t) => ticketView(record, t)),
    refunds: refundRows.map((r) => ({
      id: r.id,
      state: r.state,
      amountMinor: r.amountMinor,
      reason: r.reason,
      ticketIds: record.tickets.filter((t) => t.refundId === r.id).map((t) => t.id),
      error: r.state === 'failed' ? r.lastError : null,
      createdAt: r.createdAt,
      settledAt: r.settledAt,
    })),
  };
}

export type OrganizerOrderView = Awaited<ReturnType<typeof organizerOrderView>>;

function ticketView(record: OrderRecord, ticket: OrderRecord['tickets'][number]) {
  const line = record.lines.find((l) => l.ticketTypeId === ticket.ticketTypeId);
  return {
    id: ticket.id,
    ticketTypeId: ticket.ticketTypeId,
    name: line?.name ?? '',
    priceMinor: line?.unitPriceMinor ?? 0,
    status: ticket.status === 'revoked' ? ('refunded' as const) : ('valid' as const),
    /** The refund holding it (pending or done); null when it is not being refunded. */
    refundId: ticket.refundId,
    checkedInAt: ticket.checkedInAt,
  };
}
