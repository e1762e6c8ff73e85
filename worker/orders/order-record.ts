import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orderLines, orders, tickets } from '../db/schema';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;

export interface OrderRecord {
  order: OrderRow;
  lines: OrderLineRow[];
  tickets: TicketRow[];
}

/** An order with its lines and tickets in one D1 round trip. */
export async function loadOrder(db: Db, orderId: string): Promise<OrderRecord | null> {
  const [orderRows, lines, ticketRows] = await db.batch([
    db.select().from(orders).where(eq(orders.id, orderId)),
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    db.select().from(tickets).where(eq(tickets.orderId, orderId)).orderBy(tickets.position),
  ]);
  const order = orderRows[0];
  return order ? { order, lines, tickets: ticketRows } : null;
}

/** Hold items of an order, as the Durable Object wants them. */
export function itemsOf(lines: OrderLineRow[]): { ticketTypeId: string; quantity: number }[] {
  return lines.map((l) => ({ ticketTypeId: l.ticketTypeId, quantity: l.quantity }));
}
