import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cancellationProgress } from '../worker/cancellation/progress';
import { cancellationRefundId, startCancellation } from '../worker/cancellation/run';
import { inventoryFor } from '../worker/catalog/inventory';
import type { CancellationMessage } from '../worker/consumers/messages';
import { createDb } from '../worker/db/client';
import { claimOrganizerRefund } from '../worker/orders/refund-claims';
import { RefundDeclined, type RefundInput } from '../worker/payments/provider';
import { SandboxProvider } from '../worker/payments/sandbox';
import { call, createOrganizer, createPublishedEvent, typeId, waitFor } from './support/api';
import {
  deliverCancellations,
  recordingCancellations,
  seedPaidOrders,
} from './support/cancellation';
import { countRows, holdTickets, sandbox } from './support/purchase';

const db = createDb(env.DB);

afterEach(() => {
  vi.restoreAllMocks();
});

async function eventWithPaidOrders(count: number, prefix: string) {
  const { auth, organizerId } = await createOrganizer();
  const event = await createPublishedEvent(auth);
  const orderIds = await seedPaidOrders(
    { id: event.id, organizerId, ticketTypeId: typeId(event, 'ga'), priceMinor: 3900 },
    count,
    prefix,
  );
  return { auth, organizerId, event, orderIds };
}

/** Provider refund calls by idempotency key; `fault` may throw for a call instead. */
function countProviderCalls(fault?: (input: RefundInput, call: number) => Error | null) {
  const calls = new Map<string, number>();
  const original = SandboxProvider.prototype.refund;
  vi.spyOn(SandboxProvider.prototype, 'refund').mockImplementation(async function (
    this: SandboxProvider,
    input,
  ) {
    const n = (calls.get(input.idempotencyKey) ?? 0) + 1;
    calls.set(input.idempotencyKey, n);
    const error = fault?.(input, n);
    if (error) throw error;
    return original.call(this, input);
  });
  return calls;
}

/** Refunds at the sandbox provider for these orders: per payment, with their keys. */
async function providerRefunds(orderIds: string[]) {
  const rows = await env.DB.prepare(
    `SELECT payment_id, COUNT(*) AS n, SUM(amount_minor) AS total, MIN(idempotency_key) AS key
     FROM sandbox_refunds WHERE payment_id IN (SELECT payment_id FROM orders WHERE event_id = (SELECT event_id FROM orders WHERE id = ?))
     GROUP BY payment_id`,
  )
    .bind(orderIds[0])
    .all<{ payment_id: string; n: number; total: number; key: string }>();
  return rows.results;
}

const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );

describe('cancel event', () => {
  it('300 paid orders, interrupted and resumed: each refunded exactly once, totals right', async () => {
    const { organizerId, event, orderIds } = await eventWithPaidOrders(300, 'cx300');
    const who = { organizerId, actor: 'key_test' };
    const queue = recordingCancellations();
    const started = await startCancellation(queue.env, db, who, event.id);
    expect(started.queued).toBe(300);
    expect(queue.sent).toHaveLength(300);
    expect(await cancellationProgress(db, event.id)).toMatchObject({
      total: 300,
      refunded: 0,
      pending: 300,
    });

    // Ten orders meet a provider that times out once (the outcome is open).
    const flaky = new Set(orderIds.slice(100, 110).map((id) => cancellationRefundId(id, 1)));
    const calls = countProviderCalls((input, n) =>
      flaky.has(input.idempotencyKey) && n === 1 ? new Error('connection reset by peer') : null,
    );

    // The first half goes through in batches of ten.
    const retried: CancellationMessage[] = [];
    for (const batch of chunks(queue.sent.slice(0, 150), 10)) {
      const result = await deliverCancellations(batch);
      retried.push(...result.retried);
    }
    expect(retried.map((m) => m.orderId).sort()).toEqual(orderIds.slice(100, 110));

    // The Worker dies in the middle of the next batch: one order was claimed and never sent,
    // two were refunded at the provider but never settled; nothing was acked.
    const [crashedClaim, ...crashedAfterProvider] = orderIds.slice(150, 153);
    for (const orderId of [crashedClaim, ...crashedAfterProvider]) {
      const claim = await claimOrganizerRefund(db, {
        refundId: cancellationRefundId(orderId ?? '', 1),
        orderId: orderId ?? '',
        organizerId,
        amountMinor: null,
        reason: 'event_canceled',
      });
      if (orderId !== crashedClaim && claim) {
        await sandbox().refund({
          paymentId: `pay_sandbox_${orderId}`,
          orderId: claim.orderId,
          amountMinor: claim.amountMinor,
          currency: 'EUR',
          idempotencyKey: claim.id,
        });
      }
    }
    const midway = await cancellationProgress(db, event.id);
    expect(midway).toMatchObject({ total: 300, refunded: 140, failed: 0, pending: 160 });

    // Resumed: starting again queues what is not settled, and the queue redelivers the
    // earlier messages too (at least once), the first half included.
    const resumed = recordingCancellations();
    expect((await startCancellation(resumed.env, db, who, event.id)).queued).toBe(160);
    const redelivered = [...queue.sent, ...retried, ...resumed.sent];
    for (const batch of chunks(redelivered, 10)) {
      const result = await deliverCancellations(batch, 2);
      expect(result.retried).toEqual([]);
    }

    const progress = await cancellationProgress(db, event.id);
    expect(progress).toMatchObject({
      total: 300,
      refunded: 300,
      failed: 0,
      pending: 0,
      done: true,
      failures: [],
    });
    // At the provider: one refund per order, of its whole total, under its claim's id.
    const refunds = await providerRefunds(orderIds);
    expect(refunds).toHaveLength(300);
    for (const row of refunds) {
      expect(row).toMatchObject({ n: 1, total: 3900 });
      expect(row.key).toBe(cancellationRefundId(row.payment_id.replace('pay_sandbox_', ''), 1));
    }
    // Provider calls per key: once, except the ten open ones (asked again with the same key)
    // and the two the crash had sent already (the redelivery asks again, the same refund).
    for (const [key, n] of calls) {
      const expected =
        flaky.has(key) ||
        crashedAfterProvider.some((id) => key === cancellationRefundId(id ?? '', 1))
          ? 2
          : 1;
      expect([key, n]).toEqual([key, expected]);
    }
    expect(calls.size).toBe(300 - 2 + 2);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM orders WHERE event_id = ? AND status = 'refunded' AND refunded_minor = 3900",
        event.id,
      ),
    ).toBe(300);
    // One cancellation mail per order, and the tickets are refused at the door.
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE kind = 'event_canceled' AND order_id IN (SELECT id FROM orders WHERE event_id = ?)",
        event.id,
      ),
    ).toBe(300);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM tickets WHERE event_id = ? AND status = 'revoked'",
        event.id,
      ),
    ).toBe(300);
  }, 300_000);

  it('failures are listed and retryable: a retry refunds them once, with a new claim', async () => {
    const { organizerId, event, orderIds } = await eventWithPaidOrders(6, 'cxfail');
    const declined = new Set(orderIds.slice(0, 2).map((id) => cancellationRefundId(id, 1)));
    countProviderCalls((input) =>
      declined.has(input.idempotencyKey) ? new RefundDeclined('Sandbox: declined.') : null,
    );
    const queue = recordingCancellations();
    await startCancellation(queue.env, db, { organizerId, actor: 'key_test' }, event.id);
    await deliverCancellations(queue.sent);
    const progress = await cancellationProgress(db, event.id);
    expect(progress).toMatchObject({ total: 6, refunded: 4, failed: 2, pending: 0, done: false });
    expect(progress?.failures.map((f) => f.orderId)).toEqual(orderIds.slice(0, 2));
    expect(progress?.failures[0]?.amountMinor).toBe(3900);
    expect(progress?.failures[0]?.error).toContain('Sandbox: declined.');

    // A resume alone leaves failures be; the retry makes a new attempt.
    const resumed = recordingCancellations();
    expect(
      (await startCancellation(resumed.env, db, { organizerId, actor: 'k' }, event.id)).queued,
    ).toBe(0);
    const { retryFailedCancellations } = await import('../worker/cancellation/run');
    const retry = recordingCancellations();
    const [first, second] = await Promise.all([
      retryFailedCancellations(retry.env, db, event.id),
      retryFailedCancellations(retry.env, db, event.id),
    ]);
    expect((first?.queued ?? 0) + (second?.queued ?? 0)).toBe(2);
    await deliverCancellations([...retry.sent, ...retry.sent]);
    expect(await cancellationProgress(db, event.id)).toMatchObject({
      total: 6,
      refunded: 6,
      failed: 0,
      done: true,
    });
    const refunds = await providerRefunds(orderIds);
    expect(refunds.map((r) => [r.n, r.total])).toEqual(Array(6).fill([1, 3900]));
  });

  it('through the API: cancels the event, releases its holds, refunds through the queue, reports progress', async () => {
    const { auth, event, orderIds } = await eventWithPaidOrders(3, 'cxapi');
    const hold = await holdTickets(event, 'ga', 2);
    expect(hold.status).toBe(201);
    const path = `/api/v1/organizer/events/${event.id}/cancellation`;
    expect((await call('GET', path, { headers: auth })).status).toBe(404);
    const started = await call<{ total: number }>('POST', path, { headers: auth });
    expect([started.status, started.body.total]).toEqual([202, 3]);
    const done = await waitFor(async () => {
      const res = await call<{ done: boolean; refunded: number }>('GET', path, { headers: auth });
      return res.body.done ? res.body : undefined;
    });
    expect(done).toMatchObject({ total: 3, refunded: 3, failed: 0, pending: 0 });
    expect((await providerRefunds(orderIds)).length).toBe(3);
    // Canceled: its hold is gone, nothing more can be held, the storefront says so.
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))?.held).toBe(0);
    const refused = await holdTickets(event, 'ga', 1);
    expect([refused.status, (refused.body as unknown as { code: string }).code]).toEqual([
      409,
      'not_on_sale',
    ]);
    const storefront = await call<{ status: string }>('GET', `/api/v1/events/${event.slug}`);
    expect(storefront.body.status).toBe('canceled');
  });

  it('only whoever may publish and refund may start it; another workspace gets 404', async () => {
    const { auth, event } = await eventWithPaidOrders(1, 'cxrole');
    const stranger = await createOrganizer('Stranger');
    const path = `/api/v1/organizer/events/${event.id}/cancellation`;
    expect((await call('POST', path, { headers: stranger.auth })).status).toBe(404);
    expect((await call('POST', `${path}/retry`, { headers: stranger.auth })).status).toBe(404);
    expect((await call('GET', path, { headers: stranger.auth })).status).toBe(404);
    const event2 = await call<{ status: string }>('GET', `/api/v1/organizer/events/${event.id}`, {
      headers: auth,
    });
    expect(event2.body.status).toBe('on_sale');
  });
});
