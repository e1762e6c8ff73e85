import {
  abortAllDurableObjects,
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
} from 'cloudflare:test';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import type { PaymentMessage } from '../worker/consumers/messages';
import worker from '../worker/index';
import { call, createOrganizer, createPublishedEvent, typeId, waitFor } from './support/api';
import {
  checkoutHold,
  countRows,
  expireAllHolds,
  getOrder,
  holdTickets,
  pendingOrder,
  postWebhook,
  sandbox,
  signedSandboxWebhook,
  waitForStatus,
} from './support/purchase';

async function ticketCount(orderId: string): Promise<number> {
  return countRows('SELECT COUNT(*) AS n FROM tickets WHERE order_id = ?', orderId);
}

async function deliver(messages: PaymentMessage[]) {
  const batch = createMessageBatch<PaymentMessage>(
    'tessera-payments',
    messages.map((body, i) => ({
      id: `m${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const stripeWebhooks = new Stripe('sk_test_offline', {
  httpClient: Stripe.createFetchHttpClient(),
}).webhooks;

async function unprocessedPaymentEvents(): Promise<number> {
  return countRows('SELECT COUNT(*) AS n FROM payment_events WHERE processed_at IS NULL');
}

/** The same signed event under a fresh event id (a second report of the same payment). */
async function underAnotherEventId(webhook: { body: string }) {
  const body = JSON.stringify({ ...JSON.parse(webhook.body), id: `evt_${crypto.randomUUID()}` });
  const signature = await stripeWebhooks.generateTestHeaderStringAsync({
    payload: body,
    secret: env.SANDBOX_WEBHOOK_SECRET,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { body, signature };
}

/**
 * Waits until the PAYMENTS consumer has run past everything sent so far: a sentinel sent last
 * (a failure report for an order already paid, which changes nothing) must come out
 * processed, and so must every other recorded event. A double-processing consumer has had
 * its chance by then.
 */
async function paymentsQueueDrained(paidPaymentId: string): Promise<void> {
  const sentinel = await signedSandboxWebhook(paidPaymentId, 'fail');
  expect((await postWebhook(sentinel)).body).toMatchObject({ result: 'queued' });
  const sentinelId = (JSON.parse(sentinel.body) as { id: string }).id;
  await waitFor(async () => {
    const row = await env.DB.prepare(
      'SELECT processed_at FROM payment_events WHERE provider_event_id = ?',
    )
      .bind(sentinelId)
      .first<{ processed_at: string | null }>();
    return row?.processed_at != null && (await unprocessedPaymentEvents()) === 0;
  });
}

describe('payment faults', () => {
  it('the same webhook three times (and concurrently): one paid order, one set of tickets', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 3);
    const webhook = await signedSandboxWebhook(order.payment.paymentId, 'succeed');

    const answers = await Promise.all([
      postWebhook(webhook),
      postWebhook(webhook),
      postWebhook(webhook),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => (a.body as { result: string }).result).sort()).toEqual([
      'duplicate',
      'duplicate',
      'queued',
    ]);

    await waitForStatus(order.orderId, order.orderToken, 'paid');
    expect(
      await countRows('SELECT COUNT(*) AS n FROM payment_events WHERE order_id = ?', order.orderId),
    ).toBe(1);
    expect(await ticketCount(order.orderId)).toBe(3);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))).toMatchObject({
      sold: 3,
      held: 0,
    });
  });

  it('a redelivered queue message, even after a crash before the event was marked done, changes nothing', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'vip', 2);
    await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
    const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
    const eventRow = await env.DB.prepare('SELECT id FROM payment_events WHERE order_id = ?')
      .bind(order.orderId)
      .first<{ id: string }>();
    const message = { paymentEventId: eventRow?.id ?? '' };

    // Plain redelivery of a processed event, twice in one batch.
    const result = await deliver([message, message]);
    expect(result.explicitAcks).toHaveLength(2);
    // A crash after the order was paid but before the event was marked processed.
    await env.DB.prepare('UPDATE payment_events SET processed_at = NULL WHERE id = ?')
      .bind(message.paymentEventId)
      .run();
    await deliver([message]);

    const after = await getOrder(order.orderId, order.orderToken);
    expect(after.body.status).toBe('paid');
    expect(after.body.tickets.map((t) => t.id)).toEqual(paid.tickets.map((t) => t.id));
    expect(await ticketCount(order.orderId)).toBe(2);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'vip'))).toMatchObject({
      sold: 2,
      held: 0,
    });
  });

  it('a forged signature answers 400 and writes nothing', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event);
    const webhook = await signedSandboxWebhook(order.payment.paymentId, 'succeed');
    const before = await countRows('SELECT COUNT(*) AS n FROM payment_events');
    const tampered = webhook.body.replace('"amount":7800', '"amount":1');
    for (const forged of [
      { body: tampered, signature: webhook.signature },
      {
        body: webhook.body,
        signature: webhook.signature.replace(
          /v1=([0-9a-f])/,
          (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`,
        ),
      },
      { body: webhook.body, signature: '' },
    ]) {
      const answer = await postWebhook(forged);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await countRows('SELECT COUNT(*) AS n FROM payment_events')).toBe(before);
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('pending_payment');
  });

  it('a failed payment keeps the order pending with the reason, and a later success pays it', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event);
    await call('POST', `/sandbox/pay/${order.payment.paymentId}`, { body: { outcome: 'fail' } });
    const failed = await waitFor(async () => {
      const res = await call<{ status: string; lastPaymentError: string | null }>(
        'GET',
        `/api/v1/orders/${order.orderId}`,
        {
          headers: { authorization: `Bearer ${order.orderToken}` },
        },
      );
      return res.body.lastPaymentError ? res.body : undefined;
    });
    expect(failed).toMatchObject({
      status: 'pending_payment',
      lastPaymentError: expect.stringMatching(/declined/),
    });
    await call('POST', `/sandbox/pay/${order.payment.paymentId}`, { body: { outcome: 'succeed' } });
    const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
    expect(paid.tickets).toHaveLength(2);
  });

  it('a payment after the hold expired re-reserves when there is room', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'vip', 2);
    await expireAllHolds(event.id);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'vip'))).toMatchObject({
      held: 0,
      sold: 0,
    });

    await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
    const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
    expect(paid.tickets).toHaveLength(2);
    const after = await inventoryFor(env, event.id).availability();
    expect(after?.ticketTypes.find((t) => t.id === typeId(event, 'vip'))).toMatchObject({
      held: 0,
      sold: 2,
    });
  });

  it('a payment after expiry with nothing left: refund_pending -> refunded, no ticket, nothing oversold', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, {
      ticketTypes: [{ key: 'ga', name: 'General admission', priceMinor: 2500, capacity: 4 }],
      quotas: [],
    });
    const late = await pendingOrder(event, 'ga', 2);
    await expireAllHolds(event.id);
    // Meanwhile another buyer takes every ticket and pays.
    const other = await pendingOrder(event, 'ga', 4);
    await postWebhook(await signedSandboxWebhook(other.payment.paymentId, 'succeed'));
    await waitForStatus(other.orderId, other.orderToken, 'paid');
    // The sweep may already have expired the late order; the payment must still be handled.
    await env.DB.prepare("UPDATE orders SET status = 'expired' WHERE id = ?")
      .bind(late.orderId)
      .run();

    await postWebhook(await signedSandboxWebhook(late.payment.paymentId, 'succeed'));
    const refunded = await waitForStatus(late.orderId, late.orderToken, 'refunded');
    expect(refunded.tickets).toEqual([]);
    expect(await ticketCount(late.orderId)).toBe(0);
    const payment = await sandbox().find(late.payment.paymentId);
    expect(payment).toMatchObject({ status: 'succeeded', refundedMinor: 5000 });
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM refunds WHERE order_id = ? AND reason = 'late_payment'",
        late.orderId,
      ),
    ).toBe(1);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes[0]).toMatchObject({ capacity: 4, sold: 4, held: 0, available: 0 });
    // Every event recorded so far was processed: the first delivery is done.
    expect(await unprocessedPaymentEvents()).toBe(0);

    // The same webhook replayed, and the same payment reported under another event id (both
    // reach the consumer only if the intake lets them): still one refund, no ticket.
    const replay = await signedSandboxWebhook(late.payment.paymentId, 'succeed');
    expect((await postWebhook(replay)).status).toBe(200);
    expect((await postWebhook(await underAnotherEventId(replay))).status).toBe(200);
    await paymentsQueueDrained(other.payment.paymentId);
    expect((await getOrder(other.orderId, other.orderToken)).body.status).toBe('paid');

    expect(await unprocessedPaymentEvents()).toBe(0);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM payment_events WHERE order_id = ?', late.orderId),
    ).toBe(2);
    expect(await sandbox().find(late.payment.paymentId)).toMatchObject({ refundedMinor: 5000 });
    expect(
      await countRows(
        'SELECT COUNT(*) AS n FROM sandbox_refunds WHERE payment_id = ?',
        late.payment.paymentId,
      ),
    ).toBe(1);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM refunds WHERE order_id = ?', late.orderId),
    ).toBe(1);
    expect(await getOrder(late.orderId, late.orderToken)).toMatchObject({
      body: { status: 'refunded', tickets: [] },
    });
    expect(await ticketCount(late.orderId)).toBe(0);
    const still = await inventoryFor(env, event.id).availability();
    expect(still?.ticketTypes[0]).toMatchObject({ capacity: 4, sold: 4, held: 0, available: 0 });
  });

  it('a Durable Object restart keeps holds, sales and check-ins', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const hold = await holdTickets(event, 'ga', 3);
    await abortAllDurableObjects();
    const after = await call<{ state: string }>('GET', `/api/v1/holds/${hold.body.holdId}`);
    expect(after.body.state).toBe('active');
    const checkout = await checkoutHold(hold.body.holdId);
    expect(checkout.status).toBe(201);
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))).toMatchObject({
      held: 3,
    });
  });
});

describe('amounts', () => {
  it('a succeeded payment for another amount issues no tickets', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const order = await pendingOrder(event, 'ga', 2);
    // The provider reports less than the order's total (a signed, otherwise valid event).
    await env.DB.prepare('UPDATE sandbox_payments SET amount_minor = 100 WHERE id = ?')
      .bind(order.payment.paymentId)
      .run();
    await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
    await waitFor(async () => {
      const row = await env.DB.prepare('SELECT outcome FROM payment_events WHERE order_id = ?')
        .bind(order.orderId)
        .first<{ outcome: string | null }>();
      return row?.outcome === 'amount_mismatch';
    });
    expect((await getOrder(order.orderId, order.orderToken)).body.status).toBe('pending_payment');
    expect(await ticketCount(order.orderId)).toBe(0);
  });
});
