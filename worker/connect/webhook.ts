import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { z } from 'zod';
import { optionalSetting } from '../config';
import type { Db } from '../db/client';
import { connectEvents } from '../db/schema';
import { problem } from '../domain/errors';
import { accountSnapshotSchema, applyAccountSnapshot } from './accounts';
import { parseOrThrowError } from './parse';
import { payoutSchema, recordPayout } from './payouts';

/**
 * `POST /api/v1/webhooks/stripe/connect`: events of the organizers' connected accounts, signed
 * with their own endpoint secret (`STRIPE_CONNECT_WEBHOOK_SECRET`; Stripe gives a Connect
 * endpoint a secret of its own). Handled here and now: each is a small conditional write.
 */

export type ConnectOutcome = 'applied' | 'stale' | 'unknown_account' | 'ignored' | 'duplicate';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** The envelope of a Connect event: which account it is about, and when it was made. */
const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int().nonnegative(),
  account: z.string().nullish(),
  data: z.object({ object: z.unknown() }),
});

const HANDLED = new Set(['account.updated', 'payout.paid', 'payout.failed']);

/**
 * Verifies, dedupes and applies one Connect event. Refuses (fail closed) without the secret:
 * 503 `connect_not_configured`; 400 `invalid_signature` for a forged, changed or stale one
 * (Stripe's tolerance, 5 minutes). A replayed event id answers `duplicate` and changes nothing.
 */
export async function receiveConnectEvent(
  env: Env,
  db: Db,
  rawBody: string,
  signature: string | null,
): Promise<ConnectOutcome> {
  const secret = optionalSetting(env, 'STRIPE_CONNECT_WEBHOOK_SECRET');
  if (!secret) {
    throw problem(
      'connect_not_configured',
      'This endpoint is off: STRIPE_CONNECT_WEBHOOK_SECRET is not set.',
    );
  }
  const event = await verified(rawBody, signature, secret);
  const seen = await db
    .select({ id: connectEvents.id })
    .from(connectEvents)
    .where(eq(connectEvents.id, event.id))
    .get();
  if (seen) return 'duplicate';
  const outcome = await apply(db, event);
  if (outcome === 'unknown_account') {
    console.warn(
      JSON.stringify({
        level: 'warn',
        message: 'Connect event for an account no workspace has: ignored',
        eventId: event.id,
        type: event.type,
        account: event.account ?? null,
      }),
    );
  }
  // Recorded after it was applied: a crash in between lets Stripe's retry apply it (each
  // apply is idempotent and ordered by `created`); a replay after this line changes nothing.
  await db
    .insert(connectEvents)
    .values({ id: event.id, type: event.type, accountId: event.account ?? null, outcome })
    .onConflictDoNothing();
  return outcome;
}

async function verified(rawBody: string, signature: string | null, secret: string) {
  if (!signature) throw invalidSignature();
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      secret,
      undefined, // Stripe's default tolerance: 300 s; older events are refused
      cryptoProvider,
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw invalidSignature();
    throw err;
  }
  return parseOrThrowError(envelopeSchema, event, `Connect event ${event.id}`);
}

const invalidSignature = () =>
  problem('invalid_signature', 'The webhook signature is missing or does not verify.');

async function apply(db: Db, event: z.infer<typeof envelopeSchema>): Promise<ConnectOutcome> {
  if (!HANDLED.has(event.type)) return 'ignored';
  if (event.type === 'account.updated') {
    const account = parseOrThrowError(accountSnapshotSchema, event.data.object, event.type);
    return applyAccountSnapshot(db, account, event.created);
  }
  // A payout event names its connected account in the envelope (`account`), not the payout.
  const payout = parseOrThrowError(payoutSchema, event.data.object, event.type);
  if (!event.account) return 'unknown_account';
  return recordPayout(db, event.account, payout, event.created);
}
