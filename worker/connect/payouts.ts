import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { connectAccounts, connectPayouts } from '../db/schema';
import { fromStripeAmount } from '../domain/currency';

/** The fields of Stripe's Payout object we keep (`payout.paid`, `payout.failed`). */
export const payoutSchema = z.object({
  id: z.string().regex(/^po_[0-9A-Za-z]+$/),
  amount: z.number().int(),
  currency: z.string().regex(/^[a-z]{3}$/),
  arrival_date: z.number().int().nonnegative(),
  status: z.enum(['paid', 'pending', 'in_transit', 'canceled', 'failed']),
  failure_message: z.string().nullish(),
});
export type StripePayout = z.infer<typeof payoutSchema>;

export type PayoutRow = typeof connectPayouts.$inferSelect;

/**
 * Records a payout of a connected account as of `stateAt` (the event's `created`): inserted,
 * or updated unless a newer state is stored (a payout can go paid -> failed, never back).
 * The workspace is the account's; an account no workspace has is left alone.
 */
export async function recordPayout(
  db: Db,
  accountId: string,
  payout: StripePayout,
  stateAt: number,
): Promise<'applied' | 'stale' | 'unknown_account'> {
  const owner = await db
    .select({ organizerId: connectAccounts.organizerId })
    .from(connectAccounts)
    .where(eq(connectAccounts.accountId, accountId))
    .get();
  if (!owner) return 'unknown_account';
  const currency = payout.currency.toUpperCase();
  const now = new Date().toISOString();
  const state = {
    status: payout.status,
    failureMessage: payout.failure_message ?? null,
    amountMinor: fromStripeAmount(payout.amount, currency),
    currency,
    arrivalAt: new Date(payout.arrival_date * 1000).toISOString(),
    stateAt,
    updatedAt: now,
  };
  const [row] = await db
    .insert(connectPayouts)
    .values({ id: payout.id, accountId, organizerId: owner.organizerId, ...state })
    .onConflictDoUpdate({
      target: connectPayouts.id,
      set: state,
      setWhere: and(
        lte(connectPayouts.stateAt, stateAt),
        // A payout never moves to another account; a forged-looking move is not applied.
        eq(connectPayouts.accountId, sql`excluded.account_id`),
      ),
    })
    .returning({ id: connectPayouts.id });
  return row ? 'applied' : 'stale';
}

/** A workspace's payouts, the latest arrival first. */
export function listPayouts(db: Db, organizerId: string, limit = 50): Promise<PayoutRow[]> {
  return db
    .select()
    .from(connectPayouts)
    .where(eq(connectPayouts.organizerId, organizerId))
    .orderBy(desc(connectPayouts.arrivalAt), desc(connectPayouts.id))
    .limit(limit)
    .all();
}
