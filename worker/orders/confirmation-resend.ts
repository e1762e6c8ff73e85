import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { problem } from '../domain/errors';
import { newId } from '../domain/ids';
import { TICKETED_STATES } from '../domain/order-states';
import type { OrderRow } from './order-record';

/** How many times a buyer may have the confirmation sent again within the window. */
export const RESENDS_PER_WINDOW = 3;
export const RESEND_WINDOW_MS = 60 * 60 * 1000;

/** The audit action a granted resend is recorded (and counted) by. */
export const RESEND_ACTION = 'order.confirmation_resend';

export type ResendOutcome =
  | { ok: true; requestId: string }
  | { ok: false; retryAfterSeconds: number };

/**
 * The buyer asks for the confirmation email again. It goes to the order's own address only,
 * at most `RESENDS_PER_WINDOW` times an hour per order: one conditional INSERT records the
 * request in the audit log only while fewer than that were granted in the last hour (D1
 * runs it as one statement, so concurrent requests cannot overshoot). A granted request
 * goes through NOTIFICATIONS like the first confirmation, keyed by its own id, so a
 * redelivered message sends once. A refused one writes and sends nothing.
 */
export async function requestConfirmationResend(
  env: Env,
  db: Db,
  order: OrderRow,
  now: number = Date.now(),
): Promise<ResendOutcome> {
  if (!TICKETED_STATES.includes(order.status)) {
    throw problem('invalid_state', 'Only a paid order has a confirmation to send again.');
  }
  const requestId = newId('au');
  const since = new Date(now - RESEND_WINDOW_MS).toISOString();
  const granted = await db.run(sql`
    INSERT INTO audit_log (id, organizer_id, action, subject_id, data, created_at)
    SELECT ${requestId}, ${order.organizerId}, ${RESEND_ACTION}, ${order.id},
           ${JSON.stringify({ by: 'buyer' })}, ${new Date(now).toISOString()}
    WHERE (SELECT COUNT(*) FROM audit_log
           WHERE subject_id = ${order.id} AND action = ${RESEND_ACTION} AND created_at > ${since})
          < ${RESENDS_PER_WINDOW}`);
  if (granted.meta.changes !== 1) {
    return { ok: false, retryAfterSeconds: await secondsUntilNextSlot(db, order.id, since, now) };
  }
  await env.NOTIFICATIONS.send({ kind: 'order_confirmation_resend', orderId: order.id, requestId });
  return { ok: true, requestId };
}

/** When the oldest resend in the window leaves it. */
async function secondsUntilNextSlot(
  db: Db,
  orderId: string,
  since: string,
  now: number,
): Promise<number> {
  const row = await db.get<{ oldest: string | null }>(sql`
    SELECT MIN(created_at) AS oldest FROM audit_log
    WHERE subject_id = ${orderId} AND action = ${RESEND_ACTION} AND created_at > ${since}`);
  const frees = row?.oldest ? Date.parse(row.oldest) + RESEND_WINDOW_MS : now;
  return Math.max(1, Math.ceil((frees - now) / 1000));
}
