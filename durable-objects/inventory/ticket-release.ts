import { type InventoryCounters, sumByType } from './counters';
import type { HoldItem, TicketRelease } from './types';

/**
 * Places given back one ticket at a time (refunds by ticket). A ticket is released at most once
 * (its row is the proof), only from a sale of its order that is not refunded yet, and never
 * more of a type than that sale sold: a wrong or repeated call can not push a counter below
 * what is really sold. Callers run it inside one synchronous transaction.
 */
export function releaseTickets(
  sql: SqlStorage,
  counters: InventoryCounters,
  release: TicketRelease,
  now: number,
): number {
  const sale = sql
    .exec<{ items: string }>(
      'SELECT items FROM sales WHERE order_id = ? AND refunded = 0',
      release.orderId,
    )
    .toArray()[0];
  if (!sale) return 0;
  const stillSold = remainingOfSale(sql, release.orderId, JSON.parse(sale.items) as HoldItem[]);
  let released = 0;
  for (const { ticketId, ticketTypeId } of release.tickets) {
    const left = stillSold.get(ticketTypeId) ?? 0;
    if (left <= 0) continue;
    const written = sql.exec(
      'INSERT OR IGNORE INTO released_tickets (ticket_id, order_id, ticket_type_id, released_ms) VALUES (?, ?, ?, ?)',
      ticketId,
      release.orderId,
      ticketTypeId,
      now,
    ).rowsWritten;
    if (written === 0) continue;
    counters.apply(new Map([[ticketTypeId, 1]]), 'sold', -1);
    stillSold.set(ticketTypeId, left - 1);
    released += 1;
  }
  return released;
}

/** What a sale still holds sold per ticket type: its items less its tickets released since. */
export function remainingOfSale(
  sql: SqlStorage,
  orderId: string,
  items: HoldItem[],
): Map<string, number> {
  const remaining = sumByType(items);
  const released = sql.exec<{ ticket_type_id: string; n: number }>(
    'SELECT ticket_type_id, COUNT(*) AS n FROM released_tickets WHERE order_id = ? GROUP BY ticket_type_id',
    orderId,
  );
  for (const { ticket_type_id, n } of released) {
    const left = remaining.get(ticket_type_id);
    if (left !== undefined) remaining.set(ticket_type_id, Math.max(0, left - n));
  }
  return remaining;
}
