import { and, eq, inArray } from 'drizzle-orm';
import { auditInsert } from '../access/audit';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import {
  cancellationOrders,
  notificationOutbox,
  orderLines,
  orders,
  paymentEvents,
  payments,
  refunds,
  sandboxPayments,
  sandboxRefunds,
  tickets,
} from '../db/schema';

/** Orders per round: keeps every statement well under D1's 100 bound parameters. */
const CHUNK = 40;

export interface DeletedTestOrders {
  deletedOrders: number;
  deletedTickets: number;
}

/**
 * Deletes an event's test-mode orders with their tickets, payments (and the sandbox's own
 * rows), refunds, provider events and unsent notifications, and frees what they took in the
 * event's Durable Object. Live orders are never touched. Idempotent: a second call finds
 * nothing and deletes nothing (and writes no audit row).
 *
 * Each round frees the orders in the DO, deletes them in one D1 batch, then frees them in the
 * DO again: a payment confirmed between the first call and the batch (a late sandbox or
 * Stripe test payment) can not leave tickets counted as sold. The DO call is idempotent.
 */
export async function deleteTestOrders(
  env: Env,
  db: Db,
  who: { organizerId: string; actor: string },
  eventId: string,
): Promise<DeletedTestOrders> {
  const inventory = inventoryFor(env, eventId);
  const result: DeletedTestOrders = { deletedOrders: 0, deletedTickets: 0 };
  for (;;) {
    const batch = await db
      .select({ id: orders.id, holdId: orders.holdId })
      .from(orders)
      .where(and(eq(orders.eventId, eventId), eq(orders.testMode, true)))
      .limit(CHUNK);
    if (batch.length === 0) break;
    const ids = batch.map((o) => o.id);
    const ticketRows = await db
      .select({ id: tickets.id, orderId: tickets.orderId })
      .from(tickets)
      .where(inArray(tickets.orderId, ids));
    const free = () =>
      Promise.all(
        batch.map((o) =>
          inventory.discardOrder(
            o.id,
            o.holdId,
            ticketRows.filter((t) => t.orderId === o.id).map((t) => t.id),
          ),
        ),
      );
    await free();
    const sandboxIds = db
      .select({ id: sandboxPayments.id })
      .from(sandboxPayments)
      .where(inArray(sandboxPayments.orderId, ids));
    await db.batch([
      db.delete(tickets).where(inArray(tickets.orderId, ids)),
      db.delete(orderLines).where(inArray(orderLines.orderId, ids)),
      db.delete(refunds).where(inArray(refunds.orderId, ids)),
      db.delete(cancellationOrders).where(inArray(cancellationOrders.orderId, ids)),
      db.delete(payments).where(inArray(payments.orderId, ids)),
      db.delete(sandboxRefunds).where(inArray(sandboxRefunds.paymentId, sandboxIds)),
      db.delete(sandboxPayments).where(inArray(sandboxPayments.orderId, ids)),
      db.delete(paymentEvents).where(inArray(paymentEvents.orderId, ids)),
      db.delete(notificationOutbox).where(inArray(notificationOutbox.orderId, ids)),
      // Only test-mode rows: a live order that slipped in meanwhile is never deleted.
      db.delete(orders).where(and(inArray(orders.id, ids), eq(orders.testMode, true))),
    ]);
    await free();
    result.deletedOrders += ids.length;
    result.deletedTickets += ticketRows.length;
  }
  if (result.deletedOrders > 0) {
    await auditInsert(db, {
      organizerId: who.organizerId,
      actor: who.actor,
      action: 'event.test_orders_deleted',
      subjectId: eventId,
      after: { ...result },
    });
  }
  return result;
}
