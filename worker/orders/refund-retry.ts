import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { refunds } from '../db/schema';
import { executeRefund } from './refund-execution';

/** A pending claim older than this is retried by the sweep (its request died or gave up). */
export const REFUND_RETRY_AFTER_MS = 60_000;
/**
 * Past this age the sweep stops retrying and reports the claim: Stripe keeps idempotency keys
 * for 24 hours, after which a retry could refund a second time.
 */
export const REFUND_GIVE_UP_MS = 23 * 60 * 60_000;
/** Claims the sweep retries per run: each is a provider call. */
export const REFUND_SWEEP_LIMIT = 20;

/**
 * The sweep's part: execute claims left pending by a crash or an open provider answer, oldest
 * first, with the same idempotency key. Claims too old to retry safely are counted and logged.
 */
export async function retryPendingRefunds(
  env: Env,
  db: Db,
  now: number,
): Promise<{ retried: number; stuck: number }> {
  const [due, [stuck]] = await db.batch([
    db
      .select()
      .from(refunds)
      .where(
        and(
          eq(refunds.state, 'pending'),
          lt(refunds.createdAt, new Date(now - REFUND_RETRY_AFTER_MS).toISOString()),
          gte(refunds.createdAt, new Date(now - REFUND_GIVE_UP_MS).toISOString()),
        ),
      )
      .orderBy(asc(refunds.createdAt))
      .limit(REFUND_SWEEP_LIMIT),
    db
      .select({ n: sql<number>`COUNT(*)` })
      .from(refunds)
      .where(
        and(
          eq(refunds.state, 'pending'),
          lt(refunds.createdAt, new Date(now - REFUND_GIVE_UP_MS).toISOString()),
        ),
      ),
  ]);
  const results = await Promise.allSettled(due.map((claim) => executeRefund(env, db, claim)));
  for (const [i, result] of results.entries()) {
    if (result.status === 'rejected') {
      console.error(
        JSON.stringify({
          level: 'error',
          refundId: due[i]?.id,
          message: 'refund retry failed',
          error: String(result.reason),
        }),
      );
    }
  }
  const stuckCount = stuck?.n ?? 0;
  if (stuckCount > 0) {
    console.error(
      JSON.stringify({ level: 'error', message: 'refunds pending too long to retry', stuckCount }),
    );
  }
  return { retried: due.length, stuck: stuckCount };
}
