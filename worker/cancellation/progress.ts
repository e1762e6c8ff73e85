import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cancellationOrders, eventCancellations, orders, refunds } from '../db/schema';

export interface CancellationFailure {
  orderId: string;
  buyerEmail: string;
  amountMinor: number;
  error: string;
}

export interface CancellationProgress {
  eventId: string;
  startedAt: string;
  /** Orders the run refunds. */
  total: number;
  refunded: number;
  failed: number;
  /** Queued or waiting on the provider. */
  pending: number;
  /** Every order refunded (or refunded otherwise meanwhile): nothing left to do. */
  done: boolean;
  failures: CancellationFailure[];
}

/** Failures listed with the progress; the rest are counted. */
export const FAILURES_LISTED = 100;

/**
 * Where a run stands, counted from its rows and their claims as they are now (never from
 * counters a redelivery could skew). An order refunded in full some other way counts as
 * refunded.
 */
export async function cancellationProgress(
  db: Db,
  eventId: string,
): Promise<CancellationProgress | null> {
  const run = await db
    .select()
    .from(eventCancellations)
    .where(eq(eventCancellations.eventId, eventId))
    .get();
  if (!run) return null;
  const outcome = sql<'refunded' | 'failed' | 'pending'>`CASE
    WHEN ${refunds.state} = 'succeeded' OR ${orders.status} = 'refunded' THEN 'refunded'
    WHEN ${refunds.state} = 'failed' OR ${cancellationOrders.lastError} IS NOT NULL THEN 'failed'
    ELSE 'pending' END`;
  const from = () =>
    db
      .select({
        outcome,
        orderId: cancellationOrders.orderId,
        buyerEmail: orders.buyerEmail,
        amountMinor: sql<number>`${orders.totalMinor} - ${orders.refundedMinor}`,
        error: sql<string>`COALESCE(${refunds.lastError}, ${cancellationOrders.lastError}, '')`,
      })
      .from(cancellationOrders)
      .innerJoin(orders, eq(orders.id, cancellationOrders.orderId))
      .leftJoin(refunds, eq(refunds.id, cancellationOrders.refundId));
  const [counts, failures] = await db.batch([
    db
      .select({ outcome, n: sql<number>`COUNT(*)` })
      .from(cancellationOrders)
      .innerJoin(orders, eq(orders.id, cancellationOrders.orderId))
      .leftJoin(refunds, eq(refunds.id, cancellationOrders.refundId))
      .where(eq(cancellationOrders.eventId, eventId))
      .groupBy(outcome),
    from()
      .where(and(eq(cancellationOrders.eventId, eventId), sql`${outcome} = 'failed'`))
      .orderBy(asc(cancellationOrders.orderId))
      .limit(FAILURES_LISTED),
  ]);
  const count = (name: string) => counts.find((c) => c.outcome === name)?.n ?? 0;
  const [refunded, failed, pending] = [count('refunded'), count('failed'), count('pending')];
  return {
    eventId,
    startedAt: run.startedAt,
    total: refunded + failed + pending,
    refunded,
    failed,
    pending,
    done: pending === 0 && failed === 0,
    failures: failures.map(({ orderId, buyerEmail, amountMinor, error }) => ({
      orderId,
      buyerEmail,
      amountMinor,
      error,
    })),
  };
}
