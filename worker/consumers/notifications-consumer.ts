import { eq } from 'drizzle-orm';
import { loadEvent } from '../catalog/event-record';
import { isDevelopment, optionalSetting } from '../config';
import { createDb, type Db } from '../db/client';
import { notificationDeliveries } from '../db/schema';
import { TICKETED_STATES } from '../domain/order-states';
import { isMagicLinkMessage, magicLinkMail } from '../notifications/account-mails';
import { mailerFor } from '../notifications/mailer';
import {
  eventCanceledMail,
  latePaymentRefundMail,
  refundIssuedMail,
} from '../notifications/refund-mails';
import {
  type MailEvent,
  orderConfirmationMail,
  type RenderedMail,
} from '../notifications/templates';
import { loadOrder, type OrderRecord } from '../orders/order-record';
import { orderTokenFor } from '../orders/order-token';
import { buyerOrderView, orderPageUrl } from '../orders/order-view';
import { mailRefundOf } from '../orders/refund-view';
import { type MagicLinkMessage, type NotificationMessage, notificationKey } from './messages';

const DEV_ORIGIN = 'http://localhost:8787';

/**
 * The origin of links in emails. There is no request to take it from here, so deployments
 * MUST set `PUBLIC_ORIGIN` (e.g. `https://tickets.example.com`); only development falls back
 * to `http://localhost:8787`. Anywhere else a missing value throws, and the message is
 * retried rather than mailed with links that lead nowhere.
 */
export function publicOriginFor(env: Env): string {
  const configured = optionalSetting(env, 'PUBLIC_ORIGIN');
  if (configured) return new URL(configured).origin;
  if (isDevelopment(env)) return DEV_ORIGIN;
  throw new Error('PUBLIC_ORIGIN must be set outside development (links in emails).');
}

/** Seconds before a failed message is tried again: 30 s doubling per attempt, at most 1 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

type Outcome = 'sent' | 'already_sent' | 'unknown_order' | 'not_applicable';

/**
 * The NOTIFICATIONS consumer. Each message is idempotent by its business key
 * (`notificationKey`): a key in `notification_deliveries` is never sent again, and the mailer
 * itself drops a repeated key, which covers a crash between sending and recording.
 * Messages are independent and run concurrently; each is acked or retried on its own.
 */
export async function handleNotificationBatch(
  batch: MessageBatch<NotificationMessage>,
  env: Env,
): Promise<void> {
  const db = createDb(env.DB);
  // The same key twice in one batch is one delivery: both copies share its outcome.
  const byKey = new Map<string, Message<NotificationMessage>[]>();
  for (const msg of batch.messages) {
    if (!isNotificationMessage(msg.body)) {
      // Retrying cannot fix a malformed body: log it for a human and drop it.
      log('error', 'notification_malformed', { messageId: msg.id, body: msg.body });
      msg.ack();
      continue;
    }
    const key = notificationKey(msg.body);
    byKey.set(key, [...(byKey.get(key) ?? []), msg]);
  }
  await Promise.allSettled(
    [...byKey].map(async ([key, msgs]) => {
      const first = msgs[0];
      if (!first) return;
      try {
        const outcome = await deliver(env, db, first.body, key);
        log(outcome === 'unknown_order' ? 'warn' : 'info', `notification_${outcome}`, { key });
        for (const msg of msgs) msg.ack();
      } catch (error) {
        const attempts = Math.max(...msgs.map((m) => m.attempts));
        log('error', 'notification_failed', {
          key,
          attempts,
          error: error instanceof Error ? error.message : String(error),
        });
        for (const msg of msgs) msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
      }
    }),
  );
}

async function deliver(
  env: Env,
  db: Db,
  message: NotificationMessage,
  key: string,
): Promise<Outcome> {
  const sent = await db
    .select({ key: notificationDeliveries.messageKey })
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.messageKey, key))
    .get();
  if (sent) return 'already_sent';
  if (message.kind === 'magic_link') {
    await mailerFor(env, db).send({
      messageKey: key,
      to: message.to,
      ...(await magicLinkMail(message)),
    });
    await db.insert(notificationDeliveries).values({ messageKey: key }).onConflictDoNothing();
    return 'sent';
  }
  const record = await loadOrder(db, message.orderId);
  if (!record) return 'unknown_order';
  const eventRecord = await loadEvent(db, record.order.eventId);
  // Orders reference their event; a missing one is a bug worth retrying and dead-lettering.
  if (!eventRecord) {
    throw new Error(`Event ${record.order.eventId} of order ${record.order.id} not found`);
  }
  const mail = await render(env, db, message, record, eventRecord.event);
  if (!mail) return 'not_applicable';
  await mailerFor(env, db).send({ messageKey: key, to: record.order.buyerEmail, ...mail });
  await db.insert(notificationDeliveries).values({ messageKey: key }).onConflictDoNothing();
  return 'sent';
}

/** The mail for a message, or null when the order is no longer in a state it describes. */
async function render(
  env: Env,
  db: Db,
  message: Exclude<NotificationMessage, MagicLinkMessage>,
  record: OrderRecord,
  event: MailEvent,
): Promise<RenderedMail | null> {
  const { order } = record;
  const origin = publicOriginFor(env);
  const token = await orderTokenFor(env, order.id);
  const orderUrl = orderPageUrl(origin, order.id, token);
  // A test-mode order's mails say TEST at the top, in every environment.
  const testPayments = order.testMode;
  switch (message.kind) {
    case 'order_confirmation':
    case 'order_confirmation_resend':
      // Refunded before the mail went out: a confirmation without tickets would mislead.
      if (!TICKETED_STATES.includes(order.status)) return null;
      return orderConfirmationMail({
        event,
        order: buyerOrderView(record, origin, token),
        orderUrl,
        testPayments,
      });
    case 'late_payment_refunded':
      if (order.status !== 'refunded') return null;
      return latePaymentRefundMail({ event, order, orderUrl, testPayments });
    case 'refund_issued':
    case 'event_canceled': {
      const refund = await mailRefundOf(db, record, message.refundId);
      if (!refund) return null;
      const mail = message.kind === 'event_canceled' ? eventCanceledMail : refundIssuedMail;
      return mail({ event, refund, orderUrl, testPayments });
    }
  }
}

function isNotificationMessage(body: unknown): body is NotificationMessage {
  if (typeof body !== 'object' || body === null) return false;
  if (isMagicLinkMessage(body)) return true;
  const { kind, orderId, requestId, refundId } = body as Record<string, unknown>;
  if (typeof orderId !== 'string') return false;
  if (kind === 'order_confirmation_resend') return typeof requestId === 'string';
  if (kind === 'refund_issued' || kind === 'event_canceled') return typeof refundId === 'string';
  return kind === 'order_confirmation' || kind === 'late_payment_refunded';
}

function log(
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
): void {
  const line = JSON.stringify({ level, message, queue: 'notifications', ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
