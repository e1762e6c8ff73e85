import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { cancelEvent } from '../catalog/event-lifecycle';
import type { CancellationMessage } from '../consumers/messages';
import type { Db } from '../db/client';
import { auditLog, cancellationOrders, eventCancellations, orders, refunds } from '../db/schema';
import { newId } from '../domain/ids';
import { sourceStates } from '../domain/order-states';

/** The claim of an order's `attempt`-th cancellation refund: stable, so redeliveries find it. */
export const cancellationRefundId = (orderId: string, attempt: number) =>
  `re_cx${attempt}_${orderId}`;

/** `sendBatch` takes at most 100 messages. */
const SEND_CHUNK = 100;

export interface Starter {
  organizerId: string;
  actor: string;
}

/**
 * Cancels an event and refunds every paid order (DESIGN.md "Cancel event"). The event is
 * canceled first (no more holds, holds released in its Durable Object, the storefront says
 * so); then one row per paid order is written and one message per order queued. Starting
 * again resumes: rows are written once, and every order not settled yet is queued again
 * (the consumer is idempotent by the row's claim id). Answers how many orders were queued.
 */
export async function startCancellation(
  env: Env,
  db: Db,
  who: Starter,
  eventId: string,
): Promise<{ queued: number }> {
  await cancelEvent(db, env, who.organizerId, eventId);
  const now = new Date().toISOString();
  // Two idempotent writes; a crash between them is healed by starting again.
  const started = await db
    .insert(eventCancellations)
    .values({ eventId, organizerId: who.organizerId, actor: who.actor })
    .onConflictDoNothing()
    .returning({ eventId: eventCancellations.eventId });
  // Orders paid by now; one paid later (a late payment) is refunded by the late path.
  await db.run(sql`
    INSERT INTO ${cancellationOrders} (event_id, order_id, attempt, refund_id, updated_at)
    SELECT o.event_id, o.id, 1, 're_cx1_' || o.id, ${now}
    FROM ${orders} AS o
    WHERE o.event_id = ${eventId} AND o.organizer_id = ${who.organizerId}
      AND o.status IN (${sql.join(
        sourceStates('refundPartly').map((s) => sql`${s}`),
        sql`, `,
      )})
    ON CONFLICT (order_id) DO NOTHING`);
  if (started.length > 0) {
    await db.insert(auditLog).values({
      id: newId('au'),
      organizerId: who.organizerId,
      actor: who.actor,
      action: 'event.cancellation_started',
      subjectId: eventId,
    });
  }
  return { queued: await enqueueUnsettled(env, db, eventId) };
}

/**
 * Queues every order of the run whose current claim has not settled (none yet, or pending).
 * Orders whose claim failed wait for `retryFailedCancellations`.
 */
export async function enqueueUnsettled(env: Env, db: Db, eventId: string): Promise<number> {
  const open = await errorFreeOrderIds(
    db,
    eventId,
    sql`(${refunds.state} IS NULL OR ${refunds.state} = 'pending')`,
  );
  await sendOrders(env, eventId, open);
  return open.length;
}

/** The run's orders with no recorded error whose current claim (joined, maybe none) matches. */
async function errorFreeOrderIds(db: Db, eventId: string, claim: SQL): Promise<string[]> {
  const rows = await db
    .select({ orderId: cancellationOrders.orderId })
    .from(cancellationOrders)
    .leftJoin(refunds, eq(refunds.id, cancellationOrders.refundId))
    .where(
      and(
        eq(cancellationOrders.eventId, eventId),
        claim,
        sql`${cancellationOrders.lastError} IS NULL`,
      ),
    );
  return rows.map((r) => r.orderId);
}

/**
 * Gives every failed order of the run a new attempt (a new claim id: the failed claim freed
 * its amount) and queues it. Conditional on the attempt it failed in, so two retries at once
 * make one new attempt.
 */
export async function retryFailedCancellations(
  env: Env,
  db: Db,
  eventId: string,
): Promise<{ queued: number }> {
  const failed = await db
    .select({ orderId: cancellationOrders.orderId, attempt: cancellationOrders.attempt })
    .from(cancellationOrders)
    .leftJoin(refunds, eq(refunds.id, cancellationOrders.refundId))
    .where(
      and(
        eq(cancellationOrders.eventId, eventId),
        sql`(${refunds.state} = 'failed' OR (${cancellationOrders.lastError} IS NOT NULL AND ${refunds.id} IS NULL))`,
      ),
    );
  const now = new Date().toISOString();
  const retried: string[] = [];
  for (const row of failed) {
    const next = row.attempt + 1;
    const moved = await db
      .update(cancellationOrders)
      .set({
        attempt: next,
        refundId: cancellationRefundId(row.orderId, next),
        lastError: null,
        updatedAt: now,
      })
      .where(
        and(
          eq(cancellationOrders.orderId, row.orderId),
          eq(cancellationOrders.attempt, row.attempt),
        ),
      )
      .returning({ orderId: cancellationOrders.orderId });
    if (moved.length > 0) retried.push(row.orderId);
  }
  await sendOrders(env, eventId, retried);
  return { queued: retried.length };
}

async function sendOrders(env: Env, eventId: string, orderIds: string[]): Promise<void> {
  for (let i = 0; i < orderIds.length; i += SEND_CHUNK) {
    const chunk = orderIds.slice(i, i + SEND_CHUNK);
    await env.CANCELLATIONS.sendBatch(
      chunk.map((orderId) => ({ body: { eventId, orderId } satisfies CancellationMessage })),
    );
  }
}

/** The sweep's part: runs whose orders are still unclaimed after a while (lost messages). */
export async function resumeStalledCancellations(env: Env, db: Db, now: number): Promise<number> {
  const stalled = await db
    .selectDistinct({ eventId: cancellationOrders.eventId })
    .from(cancellationOrders)
    .leftJoin(refunds, eq(refunds.id, cancellationOrders.refundId))
    .where(
      and(
        sql`${refunds.id} IS NULL`,
        sql`${cancellationOrders.lastError} IS NULL`,
        sql`${cancellationOrders.updatedAt} < ${new Date(now - STALLED_AFTER_MS).toISOString()}`,
      ),
    )
    .limit(10);
  let queued = 0;
  for (const { eventId } of stalled) queued += await enqueueUnclaimed(env, db, eventId, now);
  return queued;
}

/** An order unclaimed this long after it was queued lost its message: queue it again. */
export const STALLED_AFTER_MS = 10 * 60_000;

async function enqueueUnclaimed(env: Env, db: Db, eventId: string, now: number): Promise<number> {
  const ids = await errorFreeOrderIds(db, eventId, sql`${refunds.id} IS NULL`);
  // Stamped first: the next sweep waits another while before it queues them again.
  for (let i = 0; i < ids.length; i += 90) {
    await db
      .update(cancellationOrders)
      .set({ updatedAt: new Date(now).toISOString() })
      .where(inArray(cancellationOrders.orderId, ids.slice(i, i + 90)));
  }
  await sendOrders(env, eventId, ids);
  return ids.length;
}
