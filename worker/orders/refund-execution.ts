import { eq } from 'drizzle-orm';
import { inventoryFor } from '../catalog/inventory';
import { refundConnectOptions } from '../connect/destination';
import type { Db } from '../db/client';
import { orders, refunds, tickets } from '../db/schema';
import { enqueueOutboxed } from '../notifications/outbox';
import { paymentProvider } from '../payments';
import { RefundDeclined } from '../payments/provider';
import { loadOrder, type OrderRow } from './order-record';
import type { RefundRow } from './refund-claims';
import {
  failSettledStatements,
  type ProviderOutcome,
  refundMail,
  settleStatements,
} from './refund-settlement';

export interface ExecutedRefund {
  refund: RefundRow;
  order: OrderRow;
  /** The order is fully refunded: its tickets are revoked and back on sale. */
  ticketsReleased: boolean;
}

/**
 * Executes a claimed refund: asks the provider with the claim's id as idempotency key, then
 * settles the claim and the order by conditional writes. Safe to run again at any point (the
 * sweep does): the provider returns the same refund for the same key, and a settled claim is
 * never settled twice. An open provider answer leaves the claim pending.
 */
export async function executeRefund(env: Env, db: Db, claim: RefundRow): Promise<ExecutedRefund> {
  const record = await loadOrder(db, claim.orderId);
  if (!record) throw new Error(`Refund ${claim.id} names a missing order ${claim.orderId}`);
  if (claim.state !== 'pending') return afterSettle(env, db, claim);
  return settleRefund(env, db, claim, await askProvider(env, db, claim, record.order));
}

/**
 * Settles a pending claim with the provider's outcome (its answer, or a refund webhook) and
 * carries out what follows: tickets refused at the door, the order's places back on sale
 * once it is refunded in full, the buyer's mail.
 */
export async function settleRefund(
  env: Env,
  db: Db,
  claim: RefundRow,
  outcome: ProviderOutcome,
): Promise<ExecutedRefund> {
  await db.batch(settleStatements(db, claim, outcome));
  return afterSettle(env, db, claim);
}

/** A refund that succeeded at first and failed later (a webhook): see `failSettledStatements`. */
export async function failSettledRefund(db: Db, claim: RefundRow, error: string): Promise<void> {
  await db.batch(failSettledStatements(db, claim, error));
}

/** Idempotent follow-up of a settled claim; re-running it heals an interrupted one. */
async function afterSettle(env: Env, db: Db, claim: RefundRow): Promise<ExecutedRefund> {
  const [[refund], [order]] = await db.batch([
    db.select().from(refunds).where(eq(refunds.id, claim.id)),
    db.select().from(orders).where(eq(orders.id, claim.orderId)),
  ]);
  if (!refund || !order) throw new Error(`Refund ${claim.id} vanished while settling`);
  const fullyRefunded = order.status === 'refunded' && refund.state === 'succeeded';
  const ticketsReleased = fullyRefunded && refund.reason !== 'late_payment';
  const inventory = inventoryFor(env, order.eventId);
  if (ticketsReleased) {
    const record = await loadOrder(db, order.id);
    await inventory.refundOrder(order.id, record?.tickets.map((t) => t.id) ?? []);
  } else if (refund.state === 'succeeded') {
    // A refund by ticket: those tickets are refused at the door from now on and their places
    // go back on sale (an object older than the release keeps them sold, as before).
    const refunded = await db
      .select({ ticketId: tickets.id, ticketTypeId: tickets.ticketTypeId })
      .from(tickets)
      .where(eq(tickets.refundId, refund.id));
    if (refunded.length > 0) {
      await inventory.revokeTickets(
        refunded.map((t) => t.ticketId),
        { orderId: order.id, tickets: refunded },
      );
    }
  }
  if (refund.state === 'succeeded') {
    const mail = refundMail(refund);
    if (mail) await enqueueOutboxed(env, db, [mail]);
    else if (fullyRefunded) {
      await enqueueOutboxed(env, db, [{ kind: 'late_payment_refunded', orderId: order.id }]);
    }
  }
  return { refund, order, ticketsReleased };
}

async function askProvider(
  env: Env,
  db: Db,
  claim: RefundRow,
  order: OrderRow,
): Promise<ProviderOutcome> {
  if (claim.amountMinor === 0) return { state: 'succeeded', providerRefundId: null };
  const provider =
    order.paymentProvider === 'none' ? null : paymentProvider(env, db, '', order.paymentProvider);
  // Not configured here (now): an earlier attempt may have reached it, so the claim stays open.
  if (!provider || !order.paymentId) {
    return { state: 'pending', error: 'The order’s payment provider is not available.' };
  }
  try {
    const { refundId } = await provider.refund({
      paymentId: order.paymentId,
      orderId: order.id,
      amountMinor: claim.amountMinor,
      currency: order.currency,
      idempotencyKey: claim.id,
      // A destination charge: reverse the organizer's transfer (connect/destination.ts).
      connect: await refundConnectOptions(env, db, order.paymentId),
    });
    return { state: 'succeeded', providerRefundId: refundId };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RefundDeclined) return { state: 'failed', error: message };
    console.error(
      JSON.stringify({
        level: 'error',
        refundId: claim.id,
        message: 'refund open',
        error: message,
      }),
    );
    return { state: 'pending', error: message };
  }
}
