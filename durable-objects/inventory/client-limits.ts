import type { HoldRow, SettingsRow } from './rows';
import type { Failure, HoldItem } from './types';

/**
 * What keeps one client from parking an event's inventory (docs/DESIGN.md "Limits"): a cap
 * on the tickets it holds at once, and a payment window tied to the hold's own expiry.
 * Callers run inside the object's transaction.
 */

/** Without an organizer's setting, a client may hold this many orders' worth at once. */
export const DEFAULT_HELD_ORDERS_PER_CLIENT = 2;

/** The most a checkout adds past a hold's expiry: room for a payment already under way. */
export const PAYMENT_GRACE_MS = 5 * 60_000;

/** The event's cap on the tickets one client holds at once. */
export function heldTicketCap(settings: SettingsRow): number {
  return settings.max_held_per_client ?? DEFAULT_HELD_ORDERS_PER_CLIENT * settings.max_per_order;
}

/** Tickets in the client's active holds (those in checkout included: they are still held). */
export function ticketsHeldBy(sql: SqlStorage, clientKey: string): number {
  let held = 0;
  const rows = sql.exec<Pick<HoldRow, 'items'>>(
    "SELECT items FROM holds WHERE client_key = ? AND state = 'active'",
    clientKey,
  );
  for (const row of rows) {
    for (const item of JSON.parse(row.items) as HoldItem[]) held += item.quantity;
  }
  return held;
}

export type HoldLimitFailure = Failure<'hold_limit_reached', { limit: number; held: number }>;

/**
 * Refuses a hold of `adding` tickets that would take the client above the cap. A caller that
 * names no client (a Worker older than the cap, during a gradual deploy) is not capped.
 */
export function clientCapRefusal(
  sql: SqlStorage,
  settings: SettingsRow,
  clientKey: string | undefined,
  adding: number,
): HoldLimitFailure | null {
  if (clientKey === undefined) return null;
  const limit = heldTicketCap(settings);
  const held = ticketsHeldBy(sql, clientKey);
  return held + adding > limit ? { ok: false, code: 'hold_limit_reached', limit, held } : null;
}

/**
 * The expiry of a hold entering checkout now: at least `windowMinutes` from now (what the
 * Worker asks for), never more than `PAYMENT_GRACE_MS` past the expiry the hold had, never
 * earlier than that. Checking a hold out can not keep its tickets off sale for long; a
 * payment that comes later still goes through the late re-reserve or refund path.
 */
export function checkoutExpiry(expiresMs: number, now: number, windowMinutes: number): number {
  const asked = now + windowMinutes * 60_000;
  return Math.max(expiresMs, Math.min(asked, expiresMs + PAYMENT_GRACE_MS));
}
