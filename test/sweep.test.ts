import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { EXPIRY_GRACE_MS, REQUEUE_AFTER_MS, REQUEUE_LIMIT, sweep } from '../worker/consumers/sweep';
import { createDb } from '../worker/db/client';
import worker from '../worker/index';
import { OUTBOX_SWEEP_LIMIT } from '../worker/notifications/outbox';
import { claimOrganizerRefund } from '../worker/orders/refund-claims';
import {
  REFUND_GIVE_UP_MS,
  REFUND_RETRY_AFTER_MS,
  REFUND_SWEEP_LIMIT,
} from '../worker/orders/refund-retry';
import { createOrganizer, createPublishedEvent } from './support/api';
import { countRows, getOrder, pendingOrder } from './support/purchase';
import { envWithQueues } from './support/queues';
import { ledger, paidOrder } from './support/refunds';

const db = createDb(env.DB);
const iso = (ms: number) => new Date(ms).toISOString();

async function column<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ v: T }>();
  return row?.v;
}

function insertPaymentEvent(id: string, receivedAt: string) {
  return env.DB.prepare(
    "INSERT INTO payment_events (id, provider, provider_event_id, type, kind, payload, created_at) VALUES (?, 'sandbox', ?, 'charge.updated', 'ignored', '{}', ?)",
  ).bind(id, `evt_${id}`, receivedAt);
}

const requeuedIds = (sent: unknown[]) =>
  sent.map((body) => (body as { paymentEventId: string }).paymentEventId);

describe('the sweep, at its boundaries', () => {
  it('retries a pending refund claim only after the retry age, and never one too old to retry', async () => {
    const { auth, organizerId } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const { order, paymentId } = await paidOrder(event);
    const claim = await claimOrganizerRefund(db, {
      refundId: 're_sweep_age',
      orderId: order.orderId,
      organizerId,
      amountMinor: 1000,
    });
    const created = Date.parse(claim?.createdAt ?? '');
    const queues = envWithQueues();

    await sweep(queues.env, created + REFUND_RETRY_AFTER_MS);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      pendingClaims: 1,
      atProvider: 0,
    });
    const due = await sweep(queues.env, created + REFUND_RETRY_AFTER_MS + 1);
    expect(due.refundsRetried).toBe(1);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      pendingClaims: 0,
      atProvider: 1000,
      recorded: 1000,
    });

    // A claim older than the provider keeps idempotency keys: reported, not retried.
    await claimOrganizerRefund(db, {
      refundId: 're_sweep_too_old',
      orderId: order.orderId,
      organizerId,
      amountMinor: 500,
    });
    const old = Date.now() - REFUND_GIVE_UP_MS - 1_000;
    await env.DB.prepare("UPDATE refunds SET created_at = ? WHERE id = 're_sweep_too_old'")
      .bind(iso(old))
      .run();
    const result = await sweep(queues.env, Date.now());
    expect(result.refundsStuck).toBe(1);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      pendingClaims: 1,
      atProvider: 1000,
    });
  });

  it('retries at most its limit of refund claims per run, oldest first', async () => {
    const { auth, organizerId } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const { order, paymentId } = await paidOrder(event);
    const base = Date.now() - 10 * 60_000;
    const count = REFUND_SWEEP_LIMIT + 1;
    await env.DB.batch(
      Array.from({ length: count }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO refunds (id, order_id, seq, amount_minor, reason, state, organizer_id, created_at) VALUES (?, ?, ?, 1, 'organizer', 'pending', ?, ?)",
        ).bind(`re_limit_${i}`, order.orderId, i + 1, organizerId, iso(base + i)),
      ),
    );
    const result = await sweep(envWithQueues().env, Date.now());
    expect(result.refundsRetried).toBe(REFUND_SWEEP_LIMIT);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      pendingClaims: 1,
      atProvider: REFUND_SWEEP_LIMIT,
    });
    expect(
      await column<string>('SELECT state AS v FROM refunds WHERE id = ?', `re_limit_${count - 1}`),
    ).toBe('pending');
  });

  it('expires an unpaid order only once the grace period after its expiry is over', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 1);
    const expiresAt = Date.parse(
      (await column<string>('SELECT expires_at AS v FROM orders WHERE id = ?', order.orderId)) ??
        '',
    );
    const queues = envWithQueues();
    await sweep(queues.env, expiresAt + EXPIRY_GRACE_MS);
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('pending_payment');
    await sweep(queues.env, expiresAt + EXPIRY_GRACE_MS + 1);
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('expired');
  });

  it('re-queues an unprocessed provider event only after the re-queue age', async () => {
    const received = Date.now() - 60_000;
    await insertPaymentEvent('pe_age', iso(received)).run();
    const early = envWithQueues();
    await sweep(early.env, received + REQUEUE_AFTER_MS);
    expect(requeuedIds(early.sent.payments)).not.toContain('pe_age');
    const due = envWithQueues();
    await sweep(due.env, received + REQUEUE_AFTER_MS + 1);
    expect(requeuedIds(due.sent.payments)).toContain('pe_age');
    await env.DB.prepare("UPDATE payment_events SET processed_at = ? WHERE id = 'pe_age'")
      .bind(iso(Date.now()))
      .run();
  });

  it('re-queues at most its limit of provider events per run, oldest first', async () => {
    // Only this test's events are unprocessed.
    await env.DB.prepare('UPDATE payment_events SET processed_at = ? WHERE processed_at IS NULL')
      .bind(iso(Date.now()))
      .run();
    const base = Date.now() - 10 * 60_000;
    const count = REQUEUE_LIMIT + 1;
    await env.DB.batch(
      Array.from({ length: count }, (_, i) => insertPaymentEvent(`pe_limit_${i}`, iso(base + i))),
    );
    const queues = envWithQueues();
    const result = await sweep(queues.env, Date.now());
    expect(result.requeued).toBe(REQUEUE_LIMIT);
    const ids = requeuedIds(queues.sent.payments);
    expect(ids).toHaveLength(REQUEUE_LIMIT);
    expect(ids).not.toContain(`pe_limit_${count - 1}`);
    expect(new Set(ids)).toEqual(
      new Set(Array.from({ length: REQUEUE_LIMIT }, (_, i) => `pe_limit_${i}`)),
    );
  });

  it('enqueues at most its limit of unsent outbox notifications per run', async () => {
    const base = Date.now() - 10 * 60_000;
    const count = OUTBOX_SWEEP_LIMIT + 1;
    await env.DB.batch(
      Array.from({ length: count }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO notification_outbox (message_key, kind, order_id, created_at) VALUES (?, 'order_confirmation', ?, ?)",
        ).bind(`order_confirmation:ord_outbox_${i}`, `ord_outbox_${i}`, iso(base + i)),
      ),
    );
    const queues = envWithQueues();
    const result = await sweep(queues.env, Date.now());
    expect(result.notificationsEnqueued).toBe(OUTBOX_SWEEP_LIMIT);
    expect(queues.sent.notifications).toHaveLength(OUTBOX_SWEEP_LIMIT);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM notification_outbox WHERE enqueued_at IS NULL'),
    ).toBe(1);
  });
});

describe('the scheduled handler', () => {
  it('runs the sweep at the cron time: expires, finishes refund claims, sends the outbox', async () => {
    const { auth, organizerId } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const abandoned = await pendingOrder(event, 'ga', 1);
    const { order, paymentId } = await paidOrder(event);
    const claim = await claimOrganizerRefund(db, {
      refundId: 're_scheduled',
      orderId: order.orderId,
      organizerId,
      amountMinor: 700,
    });
    // The confirmation's send "was lost": unenqueued, a while ago.
    await env.DB.prepare(
      'UPDATE notification_outbox SET enqueued_at = NULL, created_at = ? WHERE order_id = ?',
    )
      .bind(iso(Date.now() - 5 * 60_000), order.orderId)
      .run();

    const ctx = createExecutionContext();
    const cronTime = Date.now() + 60 * 60_000;
    await worker.scheduled(
      createScheduledController({ scheduledTime: cronTime, cron: '* * * * *' }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);

    expect((await getOrder(abandoned.orderId, abandoned.orderToken)).body.status).toBe('expired');
    expect(await column<string>('SELECT state AS v FROM refunds WHERE id = ?', claim?.id)).toBe(
      'succeeded',
    );
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 700,
      recorded: 700,
      status: 'partially_refunded',
    });
    expect(
      await column<string | null>(
        'SELECT enqueued_at AS v FROM notification_outbox WHERE order_id = ?',
        order.orderId,
      ),
    ).toEqual(expect.any(String));
  });
});
