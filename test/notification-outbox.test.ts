import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { NotificationMessage } from '../worker/consumers/messages';
import { sweep } from '../worker/consumers/sweep';
import { createDb } from '../worker/db/client';
import worker from '../worker/index';
import { OUTBOX_RESEND_AFTER_MS } from '../worker/notifications/outbox';
import { fulfilPayment } from '../worker/orders/fulfilment';
import { createOrganizer, createPublishedEvent, waitFor } from './support/api';
import { countRows, getOrder, pendingOrder } from './support/purchase';
import { envWithQueues } from './support/queues';

const db = createDb(env.DB);

function mailsFor(orderId: string): Promise<number> {
  return countRows(
    'SELECT COUNT(*) AS n FROM mail_outbox WHERE message_key = ?',
    `order_confirmation:${orderId}`,
  );
}

/** Delivers notification messages to the Worker's queue handler, as a redelivery would. */
async function redeliver(messages: NotificationMessage[]) {
  const batch = createMessageBatch<NotificationMessage>(
    'tessera-notifications',
    messages.map((body, i) => ({
      id: `n${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 2,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe('the notification outbox', () => {
  it('an order paid whose confirmation send is lost: the sweep enqueues it, one email, none on redelivery', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 1);
    // The consumer marks the order paid, then its NOTIFICATIONS send is lost (as in a crash).
    const lost = envWithQueues({ failing: true });
    expect(await fulfilPayment(lost.env, db, order.orderId, order.payment.paymentId)).toBe('paid');
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('paid');
    const row = await env.DB.prepare(
      'SELECT created_at, enqueued_at FROM notification_outbox WHERE message_key = ?',
    )
      .bind(`order_confirmation:${order.orderId}`)
      .first<{ created_at: string; enqueued_at: string | null }>();
    expect(row).toMatchObject({ enqueued_at: null });
    expect(await mailsFor(order.orderId)).toBe(0);

    // Too early: the sweep leaves a row its own request may still be sending.
    const createdMs = Date.parse(row?.created_at ?? '');
    const early = envWithQueues();
    await sweep(early.env, createdMs + OUTBOX_RESEND_AFTER_MS);
    expect(early.sent.notifications).toEqual([]);

    const result = await sweep(env, createdMs + OUTBOX_RESEND_AFTER_MS + 1);
    expect(result.notificationsEnqueued).toBe(1);
    await waitFor(async () => (await mailsFor(order.orderId)) > 0);
    expect(await mailsFor(order.orderId)).toBe(1);

    // Redelivery and another sweep send nothing more.
    const redelivered = await redeliver([{ kind: 'order_confirmation', orderId: order.orderId }]);
    expect(redelivered.explicitAcks).toHaveLength(1);
    const again = envWithQueues();
    expect((await sweep(again.env, Date.now() + 60 * 60_000)).notificationsEnqueued).toBe(0);
    expect(await mailsFor(order.orderId)).toBe(1);
  });

  it('a paid order records its confirmation in the outbox and marks it enqueued', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 1);
    const queues = envWithQueues();
    await fulfilPayment(queues.env, db, order.orderId, order.payment.paymentId);
    expect(queues.sent.notifications).toEqual([
      { kind: 'order_confirmation', orderId: order.orderId },
    ]);
    const row = await env.DB.prepare(
      'SELECT enqueued_at FROM notification_outbox WHERE message_key = ?',
    )
      .bind(`order_confirmation:${order.orderId}`)
      .first<{ enqueued_at: string | null }>();
    expect(row?.enqueued_at).toEqual(expect.any(String));
  });
});
