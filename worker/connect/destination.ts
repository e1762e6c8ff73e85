import { eq } from 'drizzle-orm';
import { isDevelopment } from '../config';
import type { Db } from '../db/client';
import { connectAccounts, payments, platformFees } from '../db/schema';
import { problem } from '../domain/errors';
import { stripeSettings } from '../payments/availability';
import type { ConnectDestination } from '../payments/provider';
import { usableAccount } from './accounts';
import { effectiveFee, refundApplicationFee } from './fees';
import { applicationFeeMinor } from './platform-fee';

export interface OrderForDestination {
  organizerId: string;
  totalMinor: number;
  testMode: boolean;
  paymentProvider: 'sandbox' | 'stripe' | 'none';
}

const cannotTakePayments = () =>
  problem(
    'payments_not_configured',
    'This ticket shop cannot take payments at the moment. Please try again later.',
  );

/**
 * Where a new order's money goes. A live Stripe order is a destination charge to the
 * workspace's Express account, less the platform fee; outside development an account that can
 * take charges is required (503 `payments_not_configured`, before anything is written). Test
 * orders never pay out (DESIGN.md "Test mode"), so they stay with the platform; so does a live
 * order in development while the workspace has no account (the sandbox days).
 */
export async function destinationForOrder(
  env: Env,
  db: Db,
  order: OrderForDestination,
): Promise<ConnectDestination | null> {
  if (order.paymentProvider !== 'stripe' || order.testMode) return null;
  const [[account], [override]] = await db.batch([
    db.select().from(connectAccounts).where(eq(connectAccounts.organizerId, order.organizerId)),
    db.select().from(platformFees).where(eq(platformFees.organizerId, order.organizerId)),
  ]);
  const usable = usableAccount(account, stripeSettings(env).mode);
  if (!usable?.chargesEnabled) {
    if (isDevelopment(env)) return null;
    throw cannotTakePayments();
  }
  const fee = effectiveFee(env, override);
  if (!fee) throw cannotTakePayments();
  return {
    accountId: usable.accountId,
    applicationFeeMinor: applicationFeeMinor(order.totalMinor, fee.fee),
  };
}

/** The destination a payment was created with (a replayed create must send the same). */
export async function recordedDestination(
  db: Db,
  paymentId: string,
): Promise<ConnectDestination | null> {
  const row = await db
    .select({ accountId: payments.destinationAccountId, fee: payments.applicationFeeMinor })
    .from(payments)
    .where(eq(payments.id, paymentId))
    .get();
  return row?.accountId ? { accountId: row.accountId, applicationFeeMinor: row.fee ?? 0 } : null;
}

/**
 * The Connect part of a refund of this payment: a destination charge's refund reverses the
 * transfer and gives the fee back as `STRIPE_REFUND_APPLICATION_FEE` says. Throws on a
 * malformed setting, which leaves the refund open (refund-execution.ts) until it is fixed.
 */
export async function refundConnectOptions(
  env: Env,
  db: Db,
  paymentId: string,
): Promise<{ refundApplicationFee: boolean } | undefined> {
  if (!(await recordedDestination(db, paymentId))) return undefined;
  const refundFee = refundApplicationFee(env);
  if (refundFee === null) {
    throw new Error('STRIPE_REFUND_APPLICATION_FEE is malformed (true or false)');
  }
  return { refundApplicationFee: refundFee };
}
