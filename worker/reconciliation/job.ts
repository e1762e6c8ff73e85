import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { createDb, type Db } from '../db/client';
import { reconciliationCursors } from '../db/schema';
import { checkTicketCounts } from './inventory-check';
import { checkStripePayments } from './payments-check';
import { checkStripeRefunds } from './refunds-check';
import { stripeLedger, type Window } from './stripe-ledger';
import { type CheckTally, emptyTally } from './tally';
import { checkUnplacedWebhooks } from './webhook-check';

/** How often the cron runs reconciliation (the cron itself runs every minute). */
export const RECONCILE_EVERY_MS = 15 * 60_000;
/** Each window starts this far before the last one ended: late writes on either side. */
export const WINDOW_OVERLAP_MS = 60 * 60_000;
/** The first window (plus the overlap), and the longest: a cursor far behind catches up a day per run. */
export const MAX_WINDOW_MS = 24 * 60 * 60_000;
/** A run that died keeps the lease this long; then another may take over. */
export const LEASE_MS = 10 * 60_000;

const CURSOR = 'stripe';

export interface ReconcileResult extends CheckTally {
  from: string;
  to: string;
  /** False when Stripe is not set up here: only webhooks and ticket counts were compared. */
  stripe: boolean;
}

/**
 * One reconciliation over a window: Stripe's PaymentIntents and refunds against D1 (with the
 * safe fixes), Stripe webhooks the consumer could not place, and D1's tickets against each
 * event DO's sold counters. Every step is idempotent: a rerun over the same window records
 * nothing twice and fixes nothing twice. Tests call this with a fixed window.
 */
export async function reconcile(env: Env, window: Window, nowMs = Date.now()) {
  const db = createDb(env.DB);
  const now = new Date(nowMs).toISOString();
  const tally = emptyTally();
  const ledger = stripeLedger(env);
  if (ledger) {
    await checkStripePayments(env, db, ledger, window, now, tally);
    await checkStripeRefunds(env, db, ledger, window, now, tally);
  }
  await checkUnplacedWebhooks(db, window, now, tally);
  await checkTicketCounts(env, db, window, now, tally);
  const result: ReconcileResult = {
    ...tally,
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    stripe: ledger !== null,
  };
  return result;
}

/**
 * The cron's entry: runs `reconcile` when the last run is `RECONCILE_EVERY_MS` old, over the
 * window from the stored cursor (less the overlap) to now, at most a day. The cursor row is
 * leased first by one conditional write, so overlapping cron runs never work at once; it
 * advances only when the window finished, so a failed run is simply done again.
 */
export async function reconcileIfDue(env: Env, nowMs: number): Promise<ReconcileResult | null> {
  const db = createDb(env.DB);
  const cursor = await leaseCursor(db, nowMs);
  if (!cursor) return null;
  const ended = cursor.windowEnd ? Date.parse(cursor.windowEnd) : nowMs - MAX_WINDOW_MS;
  const fromMs = ended - WINDOW_OVERLAP_MS;
  const window = { fromMs, toMs: Math.min(nowMs, fromMs + WINDOW_OVERLAP_MS + MAX_WINDOW_MS) };
  try {
    const result = await reconcile(env, window, nowMs);
    await db
      .update(reconciliationCursors)
      .set({
        windowEnd: result.to,
        lastRunAt: new Date(nowMs).toISOString(),
        leaseUntil: null,
        lastResult: { ...result },
      })
      .where(eq(reconciliationCursors.name, CURSOR));
    return result;
  } catch (error) {
    await db
      .update(reconciliationCursors)
      .set({ leaseUntil: null })
      .where(eq(reconciliationCursors.name, CURSOR));
    throw error;
  }
}

/** Takes the run when it is due and nobody holds it; null otherwise. */
async function leaseCursor(db: Db, nowMs: number) {
  const now = new Date(nowMs).toISOString();
  await db.insert(reconciliationCursors).values({ name: CURSOR }).onConflictDoNothing();
  const [row] = await db
    .update(reconciliationCursors)
    .set({ leaseUntil: new Date(nowMs + LEASE_MS).toISOString() })
    .where(
      and(
        eq(reconciliationCursors.name, CURSOR),
        or(isNull(reconciliationCursors.leaseUntil), lt(reconciliationCursors.leaseUntil, now)),
        or(
          isNull(reconciliationCursors.lastRunAt),
          sql`${reconciliationCursors.lastRunAt} <= ${new Date(nowMs - RECONCILE_EVERY_MS).toISOString()}`,
        ),
      ),
    )
    .returning();
  return row ?? null;
}
