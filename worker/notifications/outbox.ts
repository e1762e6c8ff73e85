import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { notificationKey, type OrderNotification } from '../consumers/messages';

/** What goes through the outbox: mails caused by an order's state change (a resend is asked for). */
type OutboxNotification = Exclude<OrderNotification, { kind: 'order_confirmation_resend' }>;

import type { Db } from '../db/client';
import { notificationOutbox } from '../db/schema';

/** An outbox row still unenqueued after this long is enqueued by the sweep (a crash). */
export const OUTBOX_RESEND_AFTER_MS = 60_000;
/** Rows the sweep enqueues per run: one `sendBatch` holds at most 100 messages. */
export const OUTBOX_SWEEP_LIMIT = 100;

/**
 * The outbox row for a notification, to put in the same `db.batch` as the state change that
 * causes it: either both are written or neither. Idempotent by the notification's key.
 */
export function outboxInsert(db: Db, message: OutboxNotification) {
  return db
    .insert(notificationOutbox)
    .values({
      messageKey: notificationKey(message),
      kind: message.kind,
      orderId: message.orderId,
      refundId: 'refundId' in message ? message.refundId : null,
    })
    .onConflictDoNothing();
}

/**
 * After the batch: send the messages and mark their rows enqueued. A failed send is logged and
 * left to the sweep; a crash between send and mark only means one more (deduplicated) send.
 */
export async function enqueueOutboxed(
  env: Env,
  db: Db,
  messages: readonly OutboxNotification[],
): Promise<boolean> {
  if (messages.length === 0) return true;
  try {
    await env.NOTIFICATIONS.sendBatch(messages.map((body) => ({ body })));
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'notification enqueue failed; the sweep sends it',
        keys: messages.map(notificationKey),
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return false;
  }
  // One statement per row: D1 binds at most 100 parameters per statement.
  const enqueuedAt = new Date().toISOString();
  const [first, ...rest] = messages.map((message) =>
    db
      .update(notificationOutbox)
      .set({ enqueuedAt })
      .where(eq(notificationOutbox.messageKey, notificationKey(message))),
  );
  if (first) await db.batch([first, ...rest]);
  return true;
}

/**
 * A redelivered payment event for an order already paid: make sure its confirmation is in the
 * outbox (orders paid before the outbox existed) and enqueue it unless that already happened.
 */
export async function ensureOutboxed(env: Env, db: Db, message: OutboxNotification): Promise<void> {
  const [, rows] = await db.batch([
    outboxInsert(db, message),
    db
      .select({ enqueuedAt: notificationOutbox.enqueuedAt })
      .from(notificationOutbox)
      .where(eq(notificationOutbox.messageKey, notificationKey(message))),
  ]);
  if (!rows[0]?.enqueuedAt) await enqueueOutboxed(env, db, [message]);
}

/** The sweep's part: enqueue the oldest rows still unenqueued after `OUTBOX_RESEND_AFTER_MS`. */
export async function enqueueStaleOutbox(env: Env, db: Db, now: number): Promise<number> {
  const rows = await db
    .select({
      kind: notificationOutbox.kind,
      orderId: notificationOutbox.orderId,
      refundId: notificationOutbox.refundId,
    })
    .from(notificationOutbox)
    .where(
      and(
        isNull(notificationOutbox.enqueuedAt),
        lt(notificationOutbox.createdAt, new Date(now - OUTBOX_RESEND_AFTER_MS).toISOString()),
      ),
    )
    .orderBy(asc(notificationOutbox.createdAt))
    .limit(OUTBOX_SWEEP_LIMIT);
  const stale = rows.map(asNotification);
  const sent = await enqueueOutboxed(env, db, stale);
  return sent ? stale.length : 0;
}

/** An outbox row as the message it stands for. */
function asNotification(row: {
  kind: OutboxNotification['kind'];
  orderId: string;
  refundId: string | null;
}): OutboxNotification {
  if (row.kind === 'refund_issued' || row.kind === 'event_canceled') {
    return { kind: row.kind, orderId: row.orderId, refundId: row.refundId ?? '' };
  }
  return { kind: row.kind, orderId: row.orderId };
}
