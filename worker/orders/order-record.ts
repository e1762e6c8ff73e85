import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orderLines, orders, payments, tickets } from '../db/schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

export interface OrderRecord {
  order: OrderRow;
  lines: OrderLineRow[];
  tickets: TicketRow[];
  /** The payment recorded on the order (`orders.payment_id`), when there is one. */
  payment: PaymentRow | null;
}

/** An order with its lines and tickets in one D1 round trip. */
export async function loadOrder(db: Db, orderId: string): Promise<OrderRecord | null> {
  const [orderRows, lines, ticketRows, paymentRows] = await db.batch([
    db.select().from(orders).where(eq(orders.id, orderId)),
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    db.select().from(tickets).where(eq(tickets.orderId, orderId)).orderBy(tickets.position),
    db.select().from(payments).where(eq(payments.orderId, orderId)),
  ]);
  const order = orderRows[0];
  if (!order) return null;
  const payment = paymentRows.find((p) => p.id === order.paymentId) ?? null;
  return { order, lines, tickets: ticketRows, payment };
}

/** Hold items of an order, as the Durable Object wants them. */
export function itemsOf(lines: OrderLineRow[]): { ticketTypeId: string; quantity: number }[] {
  return lines.map((l) => ({ ticketTypeId: l.ticketTypeId, quantity: l.quantity }));
}
