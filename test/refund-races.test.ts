import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { sweep } from '../worker/consumers/sweep';
import { createDb } from '../worker/db/client';
import { claimOrganizerRefund } from '../worker/orders/refund-claims';
import { REFUND_RETRY_AFTER_MS } from '../worker/orders/refund-retry';
import { RefundDeclined } from '../worker/payments/provider';
import { SandboxProvider } from '../worker/payments/sandbox';
import { createOrganizer, createPublishedEvent, typeId } from './support/api';
import { checkoutHold, holdTickets, sandbox } from './support/purchase';
import { ledger, paidOrder, requestRefund } from './support/refunds';

const db = createDb(env.DB);
/** A sweep run late enough to retry every claim made so far. */
const sweepLater = () => sweep(env, Date.now() + REFUND_RETRY_AFTER_MS + 1_000);

afterEach(() => {
  vi.restoreAllMocks();
});

async function setup() {
  const { auth, organizerId } = await createOrganizer();
  const event = await createPublishedEvent(auth);
  return { auth, organizerId, event, ...(await paidOrder(event)) };
}

/**
 * Holds provider refund calls until `parties` of them arrived, so racing requests really are
 * in flight together. A party that never comes (its claim was refused) releases the gate
 * after a short wait instead of blocking the test.
 */
function holdProviderCalls(parties: number): void {
  const original = SandboxProvider.prototype.refund;
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  setTimeout(() => open(), 500);
  vi.spyOn(SandboxProvider.prototype, 'refund').mockImplementation(async function (
    this: SandboxProvider,
    input,
  ) {
    arrived += 1;
    if (arrived >= parties) open();
    await gate;
    return original.call(this, input);
  });
}

/** Eight different partial amounts, 10,800 together: more than the 7,800 paid. */
const EIGHT_AMOUNTS = [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700];

describe('concurrent refunds never refund more than recorded, nor more than paid', () => {
  it('eight concurrent partial refunds: the provider refunds exactly what the order records', async () => {
    const { auth, order, paymentId } = await setup();
    const answers = await Promise.all(
      EIGHT_AMOUNTS.map((amount) => requestRefund(auth, order.orderId, amount)),
    );
    const money = await ledger(order.orderId, paymentId);
    expect(money.atProvider).toBe(money.recorded);
    const granted = answers.filter((a) => a.status === 200);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      // Too much for what is left; or, once the grants add up to the whole total, the order
      // is refunded and refuses any further refund (which interleaving wins is up to timing).
      const fullyRefunded = money.recorded === money.paid;
      expect([refused.status, refused.body.code]).toEqual(
        fullyRefunded && refused.status === 409
          ? [409, 'invalid_state']
          : [422, 'refund_exceeds_paid'],
      );
    }
    const grantedMinor = granted.reduce((sum, a) => sum + a.body.refund.amountMinor, 0);
    expect(money.recorded).toBe(grantedMinor);
    expect(money.providerRefunds).toBe(granted.length);
    expect(money.recorded).toBeLessThanOrEqual(money.paid);
    // Claims are checked against what is left: at least the first few must get through.
    expect(granted.length).toBeGreaterThanOrEqual(5);
    expect(money.pendingClaims).toBe(0);
  });

  it('the same with the provider unreachable once: 202 pending, the sweep refunds it exactly once', async () => {
    const { auth, order, paymentId } = await setup();
    vi.spyOn(SandboxProvider.prototype, 'refund').mockRejectedValueOnce(
      new Error('connection reset by peer'),
    );
    const answers = await Promise.all(
      EIGHT_AMOUNTS.map((amount) => requestRefund(auth, order.orderId, amount)),
    );
    const open = answers.filter((a) => a.status === 202);
    expect(open).toHaveLength(1);
    expect(open[0]?.body.refund.state).toBe('pending');
    const accepted = answers.filter((a) => a.status === 200 || a.status === 202);
    const claimedMinor = accepted.reduce((sum, a) => sum + a.body.refund.amountMinor, 0);
    expect(claimedMinor).toBeLessThanOrEqual(7800);
    const before = await ledger(order.orderId, paymentId);
    expect(before.atProvider).toBe(before.recorded);
    expect(before.pendingClaims).toBe(1);

    const swept = await sweepLater();
    expect(swept.refundsRetried).toBe(1);
    const after = await ledger(order.orderId, paymentId);
    expect(after).toMatchObject({ pendingClaims: 0, recorded: claimedMinor });
    expect(after.atProvider).toBe(claimedMinor);
    expect(after.providerRefunds).toBe(accepted.length);
    const openKey = open[0]?.body.refund.id ?? '';
    expect(
      (await sandbox().refundsOf(paymentId)).filter((r) => r.idempotencyKey === openKey),
    ).toHaveLength(1);
    // Another run finds nothing left to do.
    expect((await sweepLater()).refundsRetried).toBe(0);
    expect((await ledger(order.orderId, paymentId)).atProvider).toBe(claimedMinor);
  });

  it('a crash between claim and provider call: the claim holds its amount, the sweep refunds it once', async () => {
    const { auth, organizerId, event, order, paymentId } = await setup();
    // The request died right after its claim was written.
    const claim = await claimOrganizerRefund(db, {
      refundId: 're_crashed_before_provider',
      orderId: order.orderId,
      organizerId,
      amountMinor: 5000,
    });
    expect(claim?.state).toBe('pending');
    // Meanwhile a full refund gets only what the claim leaves.
    const rest = await requestRefund(auth, order.orderId);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ status: 'partially_refunded', refundedMinor: 2800 });
    expect(rest.body.refund.amountMinor).toBe(2800);

    await sweepLater();
    const money = await ledger(order.orderId, paymentId);
    expect(money).toMatchObject({
      atProvider: 7800,
      recorded: 7800,
      providerRefunds: 2,
      pendingClaims: 0,
      status: 'refunded',
    });
    // Fully refunded once the last claim settled: the tickets are back on sale.
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))?.sold).toBe(0);
  });

  it('a crash after the provider refunded but before settling: the sweep settles it without a second refund', async () => {
    const { organizerId, order, paymentId } = await setup();
    const claim = await claimOrganizerRefund(db, {
      refundId: 're_crashed_after_provider',
      orderId: order.orderId,
      organizerId,
      amountMinor: 1500,
    });
    // The provider call went through; the Worker died before the settle batch.
    const { refundId } = await sandbox().refund({
      paymentId,
      orderId: order.orderId,
      amountMinor: 1500,
      currency: 'EUR',
      idempotencyKey: claim?.id ?? '',
    });
    expect((await ledger(order.orderId, paymentId)).recorded).toBe(0);

    await sweepLater();
    const money = await ledger(order.orderId, paymentId);
    expect(money).toMatchObject({
      atProvider: 1500,
      recorded: 1500,
      providerRefunds: 1,
      pendingClaims: 0,
      status: 'partially_refunded',
    });
    const row = await env.DB.prepare('SELECT provider_refund_id FROM refunds WHERE id = ?')
      .bind(claim?.id)
      .first<{ provider_refund_id: string }>();
    expect(row?.provider_refund_id).toBe(refundId);
  });

  it('a full refund racing a partial one: together exactly what was paid, tickets released', async () => {
    for (let round = 0; round < 3; round++) {
      const { auth, event, order, paymentId } = await setup();
      holdProviderCalls(2);
      const [full, part] = await Promise.all([
        requestRefund(auth, order.orderId),
        requestRefund(auth, order.orderId, 1000),
      ]);
      expect(full.status).toBe(200);
      expect([200, 409, 422]).toContain(part.status);
      const money = await ledger(order.orderId, paymentId);
      expect(money).toMatchObject({ atProvider: 7800, recorded: 7800, status: 'refunded' });
      expect(money.providerRefunds).toBe(part.status === 200 ? 2 : 1);
      const snapshot = await inventoryFor(env, event.id).availability();
      expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))?.sold).toBe(0);
      vi.restoreAllMocks();
    }
  });
});

describe('refund claims', () => {
  it('a refund the provider declines is recorded as failed, and its amount can be refunded again', async () => {
    const { auth, order, paymentId } = await setup();
    vi.spyOn(SandboxProvider.prototype, 'refund').mockRejectedValueOnce(
      new RefundDeclined('Sandbox: declined for the test.'),
    );
    const declined = await requestRefund(auth, order.orderId, 3000);
    expect(declined.status).toBe(502);
    expect(declined.body).toMatchObject({
      code: 'payment_provider_error',
      refund: { state: 'failed', amountMinor: 3000 },
    });
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 0, recorded: 0 });

    const full = await requestRefund(auth, order.orderId);
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ status: 'refunded', refundedMinor: 7800 });
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 7800 });
  });

  it('the same Idempotency-Key answers the same refund; another amount with it is refused', async () => {
    const { auth, order, paymentId } = await setup();
    const key = { 'idempotency-key': 'refund-click-1' };
    const answers = await Promise.all([
      requestRefund(auth, order.orderId, 1000, key),
      requestRefund(auth, order.orderId, 1000, key),
      requestRefund(auth, order.orderId, 1000, key),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.refund.id)).size).toBe(1);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 1000,
      recorded: 1000,
      providerRefunds: 1,
    });
    const reused = await requestRefund(auth, order.orderId, 2000, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('a free order is refunded once, for nothing, and its tickets go back on sale', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth, {
      ticketTypes: [{ key: 'guest', name: 'Guest list', priceMinor: 0, capacity: 10 }],
      quotas: [],
    });
    const hold = await holdTickets(event, 'guest', 2);
    const free = await checkoutHold(hold.body.holdId);
    expect(free.body.status).toBe('paid');
    const answers = await Promise.all([
      requestRefund(auth, free.body.orderId),
      requestRefund(auth, free.body.orderId),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 200)?.body).toMatchObject({
      status: 'refunded',
      refundedMinor: 0,
      ticketsReleased: true,
    });
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes[0]?.sold).toBe(0);
  });

  it('the sandbox provider honours idempotency keys and refuses more than the payment', async () => {
    const { order, paymentId } = await setup();
    const provider = sandbox();
    const input = {
      paymentId,
      orderId: order.orderId,
      amountMinor: 5000,
      currency: 'EUR',
      idempotencyKey: 'k-1',
    };
    const first = await provider.refund(input);
    expect(await provider.refund(input)).toEqual(first);
    expect(await provider.refundsOf(paymentId)).toHaveLength(1);
    await expect(
      provider.refund({ ...input, amountMinor: 2801, idempotencyKey: 'k-2' }),
    ).rejects.toBeInstanceOf(RefundDeclined);
    expect((await provider.find(paymentId))?.refundedMinor).toBe(5000);
  });
});
