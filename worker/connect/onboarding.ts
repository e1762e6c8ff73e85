import { eq } from 'drizzle-orm';
import { auditInsert } from '../access/audit';
import type { Db } from '../db/client';
import { organizers } from '../db/schema';
import { notFound } from '../domain/errors';
import {
  applyAccountSnapshot,
  type ConnectAccountRow,
  loadConnectAccount,
  saveNewAccount,
  usableAccount,
} from './accounts';
import { type ConnectClient, connectClient } from './client';

/**
 * Stripe Connect Express onboarding of a workspace (the owner's, `payout.settings`): the
 * account is created once per workspace and key mode, then Stripe's hosted onboarding is
 * entered through a one-time Account Link. Stripe sends the owner back to `return` (done or
 * not: the state says) or `refresh` (the link expired: a new one is made).
 */

export const PAYOUTS_PATH = '/dashboard/payouts';

export interface OnboardingActor {
  organizerId: string;
  personId: string;
  email: string;
}

/** The onboarding link to send the owner to; creates the Express account the first time. */
export async function startOnboarding(
  env: Env,
  db: Db,
  actor: OnboardingActor,
  origin: string,
): Promise<string> {
  const client = connectClient(env);
  const account = await ensureAccount(db, client, actor);
  return client.onboardingLink(
    account.accountId,
    `${origin}${PAYOUTS_PATH}/refresh`,
    `${origin}${PAYOUTS_PATH}/return`,
  );
}

/** A new link for an account that exists (Stripe's `refresh_url`); null when there is none. */
export async function refreshLink(
  env: Env,
  db: Db,
  organizerId: string,
  origin: string,
): Promise<string | null> {
  const client = connectClient(env);
  const account = usableAccount(await loadConnectAccount(db, organizerId), modeOf(client));
  if (!account) return null;
  return client.onboardingLink(
    account.accountId,
    `${origin}${PAYOUTS_PATH}/refresh`,
    `${origin}${PAYOUTS_PATH}/return`,
  );
}

/**
 * Reads the account back from Stripe (back from onboarding, before its webhook arrives) and
 * stores it as a snapshot taken now, so a webhook from before it can not undo it.
 */
export async function syncFromStripe(env: Env, db: Db, organizerId: string): Promise<void> {
  const client = connectClient(env);
  const account = usableAccount(await loadConnectAccount(db, organizerId), modeOf(client));
  if (!account) return;
  const snapshot = await client.retrieveAccount(account.accountId);
  await applyAccountSnapshot(db, snapshot, Math.floor(Date.now() / 1000));
}

const modeOf = (client: ConnectClient) => (client.livemode ? 'live' : 'test');

async function ensureAccount(
  db: Db,
  client: ConnectClient,
  actor: OnboardingActor,
): Promise<ConnectAccountRow> {
  const stored = await loadConnectAccount(db, actor.organizerId);
  const usable = usableAccount(stored, modeOf(client));
  if (usable) return usable;
  const workspace = await db
    .select({ country: organizers.country })
    .from(organizers)
    .where(eq(organizers.id, actor.organizerId))
    .get();
  if (!workspace) throw notFound('workspace');
  const snapshot = await client.createExpressAccount({
    organizerId: actor.organizerId,
    country: workspace.country,
    email: actor.email,
  });
  const row = await saveNewAccount(db, actor.organizerId, snapshot, client.livemode);
  await db.batch([
    auditInsert(db, {
      organizerId: actor.organizerId,
      actor: actor.personId,
      action: 'connect.account_created',
      subjectId: snapshot.id,
      before: stored ? { accountId: stored.accountId, livemode: stored.livemode } : null,
      after: { accountId: snapshot.id, livemode: client.livemode },
    }),
  ]);
  return row;
}
