import { and, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders } from '../db/schema';
import { AppError, problem } from '../domain/errors';
import { liveSalesMissingFor } from '../payments/availability';
import type { EventRow } from './event-record';

/**
 * The rules of an event's test mode (DESIGN.md "Test mode"): a live event goes on sale only
 * where live payments can be taken, and the mode of an event that sold live tickets stays.
 */

/**
 * 409 `payments_not_configured` when a live (not test-mode) event would go on sale where live
 * payments can not be taken, here or by the workspace's Stripe Connect account; the detail
 * names what is missing. The same code answers 503 at
 * checkout (the table's status): publishing is a state conflict the organizer can resolve
 * (test mode, or the operator's settings), so it overrides the status to 409 on purpose.
 */
export async function requireLiveSales(
  env: Env,
  db: Db,
  event: Pick<EventRow, 'testMode' | 'organizerId'>,
): Promise<void> {
  if (event.testMode) return;
  const missing = await liveSalesMissingFor(env, db, event.organizerId);
  if (missing.length === 0) return;
  throw new AppError(
    'payments_not_configured',
    `Live sales are not possible yet: missing ${missing.join(', ')}. Put the event in test mode to sell test tickets; the workspace owner connects Stripe under Payouts, the operator sets the rest.`,
    { missing },
    { status: 409, title: 'Payments not configured' },
  );
}

/** Orders that are real sales: not test mode, and not lapsed without payment. */
export async function liveOrderCount(db: Db, eventId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(orders)
    .where(
      and(eq(orders.eventId, eventId), eq(orders.testMode, false), ne(orders.status, 'expired')),
    )
    .get();
  return row?.n ?? 0;
}

/**
 * A draft switches freely; an event that was published switches only while it has no live
 * orders (409 `invalid_state`); going live needs live payments (`requireLiveSales`). Orders
 * already placed keep their own mode either way.
 */
export async function checkTestModeSwitch(
  db: Db,
  env: Env,
  current: EventRow,
  testMode: boolean | undefined,
): Promise<void> {
  if (testMode === undefined || testMode === current.testMode) return;
  if (current.status === 'draft') return;
  const live = await liveOrderCount(db, current.id);
  if (live > 0) {
    throw problem(
      'invalid_state',
      `Test mode can not change on a published event that has live orders (${live}). Create a new event instead.`,
      { liveOrders: live },
    );
  }
  if (current.status === 'on_sale') {
    await requireLiveSales(env, db, { testMode, organizerId: current.organizerId });
  }
}
