import { type InventoryCounters, sumByType } from './counters';
import type { HoldBook } from './hold-book';
import { remainingOfSale } from './ticket-release';
import type { ConfirmResult, HoldItem } from './types';

/** Sales and refunds; callers run each inside one synchronous transaction. */

/**
 * Turns an order's hold into sold tickets. Idempotent per order. When the hold has already
 * lapsed (a late payment), the same items are reserved again if there is room.
 */
export function confirmSale(
  sql: SqlStorage,
  counters: InventoryCounters,
  holds: HoldBook,
  sale: { orderId: string; holdId: string; items: HoldItem[] },
  now: number,
  /** The event is canceled: nothing new is sold (a late payment is refunded instead). */
  canceled = false,
): ConfirmResult {
  const { orderId, holdId, items } = sale;
  const existing = sql.exec('SELECT order_id FROM sales WHERE order_id = ?', orderId).toArray();
  if (existing.length > 0) return { ok: true, outcome: 'already_confirmed' };
  if (canceled) return { ok: false, code: 'sold_out' };
  const hold = holds.row(holdId);
  const demand = sumByType(items);
  let outcome: 'converted' | 're_reserved';
  if (hold && hold.state === 'active' && (hold.order_id === null || hold.order_id === orderId)) {
    holds.convert(hold, orderId);
    outcome = 'converted';
  } else {
    const short = counters.checkRoom(demand);
    if (short.unknown.length > 0 || short.soldOut.length > 0)
      return { ok: false, code: 'sold_out' };
    outcome = 're_reserved';
  }
  counters.apply(demand, 'sold', +1);
  sql.exec(
    'INSERT INTO sales (order_id, hold_id, items, created_ms) VALUES (?, ?, ?, ?)',
    orderId,
    holdId,
    JSON.stringify(items),
    now,
  );
  return { ok: true, outcome };
}

/**
 * Gives an order's tickets back to sale (those not released one by one already) and refuses
 * them at the door. Idempotent.
 */
export function refundSale(
  sql: SqlStorage,
  counters: InventoryCounters,
  orderId: string,
  ticketIds: string[],
  now: number,
): { released: boolean } {
  revokeTicketIds(sql, ticketIds, now);
  const sale = sql
    .exec<{ items: string }>('SELECT items FROM sales WHERE order_id = ? AND refunded = 0', orderId)
    .toArray()[0];
  if (!sale) return { released: false };
  // Tickets refunded one by one gave their places back already (ticket-release.ts).
  counters.apply(remainingOfSale(sql, orderId, JSON.parse(sale.items) as HoldItem[]), 'sold', -1);
  sql.exec('UPDATE sales SET refunded = 1 WHERE order_id = ?', orderId);
  return { released: true };
}

/** Refuses tickets at the door from now on; answers how many were not refused already. */
export function revokeTicketIds(sql: SqlStorage, ticketIds: string[], now: number): number {
  let revoked = 0;
  for (const ticketId of ticketIds) {
    const written = sql.exec(
      'INSERT OR IGNORE INTO revoked_tickets (ticket_id, revoked_ms) VALUES (?, ?)',
      ticketId,
      now,
    ).rowsWritten;
    if (written > 0) revoked += 1;
  }
  return revoked;
}
