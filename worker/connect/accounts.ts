import { and, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { connectAccounts } from '../db/schema';
import { describeDisabledReason, describeRequirements } from './requirements';

/** A workspace's Express account as D1 keeps it. */
export type ConnectAccountRow = typeof connectAccounts.$inferSelect;

/**
 * The parts of Stripe's Account object we keep. Unknown keys are stripped, so newer API
 * versions parse alike; the lists may be null on an account Stripe has not looked at yet.
 */
export const accountSnapshotSchema = z.object({
  id: z.string().regex(/^acct_[0-9A-Za-z]+$/),
  charges_enabled: z.boolean(),
  payouts_enabled: z.boolean(),
  details_submitted: z.boolean(),
  requirements: z
    .object({
      currently_due: z.array(z.string()).nullish(),
      past_due: z.array(z.string()).nullish(),
      disabled_reason: z.string().nullish(),
    })
    .nullish(),
});
export type AccountSnapshot = z.infer<typeof accountSnapshotSchema>;

export function loadConnectAccount(db: Db, organizerId: string) {
  return db
    .select()
    .from(connectAccounts)
    .where(eq(connectAccounts.organizerId, organizerId))
    .get();
}

/** The fields a snapshot sets, with `stateAt` (Unix seconds) saying how recent it is. */
function snapshotFields(snapshot: AccountSnapshot, stateAt: number) {
  return {
    chargesEnabled: snapshot.charges_enabled,
    payoutsEnabled: snapshot.payouts_enabled,
    detailsSubmitted: snapshot.details_submitted,
    currentlyDue: snapshot.requirements?.currently_due ?? [],
    pastDue: snapshot.requirements?.past_due ?? [],
    disabledReason: snapshot.requirements?.disabled_reason ?? null,
    stateAt,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * Records a freshly created account (or one that replaces an account of the other key mode).
 * Two owners' clicks racing reach Stripe with the same idempotency key, so they carry the same
 * account; the upsert keeps one row either way.
 */
export async function saveNewAccount(
  db: Db,
  organizerId: string,
  snapshot: AccountSnapshot,
  livemode: boolean,
): Promise<ConnectAccountRow> {
  const fields = { accountId: snapshot.id, livemode, ...snapshotFields(snapshot, 0) };
  const [row] = await db
    .insert(connectAccounts)
    .values({ organizerId, ...fields })
    .onConflictDoUpdate({ target: connectAccounts.organizerId, set: fields })
    .returning();
  if (!row) throw new Error(`connect account of ${organizerId} not saved`);
  return row;
}

export type SnapshotOutcome = 'applied' | 'stale' | 'unknown_account';

/**
 * Applies a snapshot taken at `stateAt` unless a newer one is stored already (webhooks arrive
 * out of order; a retrieve counts as taken now). One conditional write: no read-then-write race.
 */
export async function applyAccountSnapshot(
  db: Db,
  snapshot: AccountSnapshot,
  stateAt: number,
): Promise<SnapshotOutcome> {
  const [row] = await db
    .update(connectAccounts)
    .set(snapshotFields(snapshot, stateAt))
    .where(and(eq(connectAccounts.accountId, snapshot.id), lte(connectAccounts.stateAt, stateAt)))
    .returning({ organizerId: connectAccounts.organizerId });
  if (row) return 'applied';
  const known = await db
    .select({ id: connectAccounts.accountId })
    .from(connectAccounts)
    .where(eq(connectAccounts.accountId, snapshot.id))
    .get();
  return known ? 'stale' : 'unknown_account';
}

export type ConnectStage = 'not_connected' | 'onboarding' | 'pending' | 'restricted' | 'enabled';

/** Where onboarding stands, for the dashboard and the publish gate. */
export function connectStage(account: ConnectAccountRow | null | undefined): ConnectStage {
  if (!account) return 'not_connected';
  if (account.chargesEnabled) return 'enabled';
  if (!account.detailsSubmitted) return 'onboarding';
  const waiting = account.disabledReason === null || WAITING_ON_STRIPE.has(account.disabledReason);
  return waiting ? 'pending' : 'restricted';
}

/** Disabled reasons that mean Stripe is still checking, not that the organizer owes anything. */
const WAITING_ON_STRIPE = new Set(['requirements.pending_verification', 'under_review', 'listed']);

/**
 * The account that can take this deployment's charges: a live key needs an account made with
 * a live key, a test key one made with a test key (Stripe keeps them apart). Anything else is
 * as good as none.
 */
export function usableAccount(
  account: ConnectAccountRow | null | undefined,
  keyMode: 'live' | 'test' | null,
): ConnectAccountRow | null {
  if (!account || keyMode === null) return null;
  return account.livemode === (keyMode === 'live') ? account : null;
}

/**
 * What keeps this account from taking charges, in words for the 409 `payments_not_configured`
 * detail (empty: nothing). The same words the dashboard's Payouts page shows.
 */
export function connectMissing(account: ConnectAccountRow | null): string[] {
  if (!account) {
    return ['a Stripe account for payouts (the workspace owner connects one under Payouts)'];
  }
  if (account.chargesEnabled) return [];
  const needs = describeRequirements([...account.pastDue, ...account.currentlyDue]);
  const reason = account.disabledReason ? describeDisabledReason(account.disabledReason) : null;
  const parts = [
    ...(needs.length > 0 ? [`Stripe still needs ${needs.join(', ')}`] : []),
    ...(reason ? [reason] : []),
  ];
  return [
    `a Stripe account able to take charges${parts.length > 0 ? ` (${parts.join('; ')})` : ' (onboarding not finished)'}`,
  ];
}
