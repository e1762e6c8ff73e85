import { describe, expect, it, vi } from 'vitest';
import { ApiFailure, type StorefrontApi } from './api';
import { type EffectContext, effectFor } from './effects';
import type { State } from './machine';
import { loadQueueToken, saveQueueToken } from './queue-store';
import {
  checkoutView,
  detailsState,
  eventView,
  hold,
  payingState,
  queueView,
  shop,
} from './test-fixtures';

/** A storefront API whose every call fails unless the test gives it an answer. */
function fakeApi(answers: Partial<Record<keyof StorefrontApi, (...args: never[]) => unknown>>) {
  const api = {} as Record<string, unknown>;
  for (const name of [
    'event',
    'joinQueue',
    'queueStatus',
    'hold',
    'release',
    'checkout',
    'sandboxPay',
    'order',
  ]) {
    api[name] = vi.fn(
      answers[name as keyof StorefrontApi] ?? (() => Promise.reject(new ApiFailure('network'))),
    );
  }
  return api as unknown as {
    [K in keyof StorefrontApi]: ReturnType<typeof vi.fn> & StorefrontApi[K];
  };
}

function context(api: ReturnType<typeof fakeApi>, promo?: string): EffectContext {
  return { api, eventRef: 'night-owls-live', promo, sleep: () => Promise.resolve() };
}

const runEffect = (state: State, ctx: EffectContext) => effectFor(state, ctx)?.() ?? null;

describe('effects', () => {
  it('loading reads the event once, with the promo code from the attribute', async () => {
    const api = fakeApi({ event: () => Promise.resolve(eventView()) });
    expect(await runEffect({ name: 'loading' }, context(api, 'EARLY'))).toEqual({
      type: 'loaded',
      event: eventView(),
      promo: 'EARLY',
    });
    expect(api.event).toHaveBeenCalledWith('night-owls-live');
  });

  it('holding sends the admission and makes one idempotency key per hold', async () => {
    const api = fakeApi({ hold: () => Promise.resolve(hold) });
    const state: State = { name: 'holding', shop: { ...shop({ tt_ga: 2 }), admission: 'adm' } };
    const first = await runEffect(state, context(api));
    const second = await runEffect(state, context(api));
    expect(api.hold).toHaveBeenCalledWith('evt_1', [{ ticketTypeId: 'tt_ga', quantity: 2 }], 'adm');
    expect(first).toMatchObject({ type: 'hold_created', hold });
    const key = (event: unknown) => (event as { idempotencyKey: string }).idempotencyKey;
    expect(key(first)).toMatch(/^wgt_[0-9a-f]{32}$/);
    expect(key(first)).not.toBe(key(second));
  });

  it('a refused request becomes a failed event with its kind and the sold-out types', async () => {
    const api = fakeApi({ hold: () => Promise.reject(new ApiFailure('sold_out', 409, ['tt_ga'])) });
    const state: State = { name: 'holding', shop: shop({ tt_ga: 2 }) };
    expect(await runEffect(state, context(api))).toEqual({
      type: 'failed',
      kind: 'sold_out',
      ticketTypeIds: ['tt_ga'],
    });
    const broken = fakeApi({ hold: () => Promise.reject(new TypeError('boom')) });
    expect(await runEffect(state, context(broken))).toEqual({ type: 'failed', kind: 'network' });
  });

  it('checkout repeats the same idempotency key and pays with the sandbox', async () => {
    const api = fakeApi({
      checkout: () => Promise.resolve(checkoutView()),
      sandboxPay: () => Promise.resolve({ status: 'failed' }),
    });
    const buyer = { name: 'Ada', email: 'ada@example.com' };
    expect(effectFor(detailsState(), context(api))).toBeNull();
    await runEffect(detailsState(buyer), context(api));
    await runEffect(detailsState(buyer), context(api));
    expect(api.checkout.mock.calls).toEqual([
      ['key-1', 'hold_1', buyer, undefined],
      ['key-1', 'hold_1', buyer, undefined],
    ]);
    expect(effectFor(payingState(), context(api))).toBeNull();
    expect(await runEffect(payingState('fail'), context(api))).toEqual({
      type: 'payment_sent',
      status: 'failed',
    });
    expect(api.sandboxPay).toHaveBeenCalledWith('pay_1', 'fail');
  });

  it('the waiting room joins with the stored token, polls with it, and rejoins when refused', async () => {
    const queued = (queue: null | { pollAfterSeconds: number }): State => ({
      name: 'queued',
      shop: shop({}, eventView({ id: 'evt_wr' })),
      queue: queue && { position: 3, peopleAhead: 2, etaSeconds: 9, progress: 0, ...queue },
      resume: 'choose',
    });
    saveQueueToken('evt_wr', 'stored');
    const api = fakeApi({
      joinQueue: () => Promise.resolve(queueView({ queueToken: 'fresh' })),
      queueStatus: () => Promise.reject(new ApiFailure('network', 401)),
    });
    await runEffect(queued(null), context(api));
    expect(api.joinQueue).toHaveBeenCalledWith('evt_wr', 'stored');
    expect(loadQueueToken('evt_wr')).toBe('fresh');

    const event = await runEffect(queued({ pollAfterSeconds: 5 }), context(api));
    expect(api.queueStatus).toHaveBeenCalledWith('evt_wr', 'fresh');
    expect(api.joinQueue).toHaveBeenLastCalledWith('evt_wr', null);
    expect(event).toMatchObject({ type: 'queue_update', queue: { queueToken: 'fresh' } });

    const down = fakeApi({ queueStatus: () => Promise.reject(new ApiFailure('network', 0)) });
    expect(await runEffect(queued({ pollAfterSeconds: 5 }), context(down))).toEqual({
      type: 'failed',
      kind: 'network',
      ticketTypeIds: [],
    });
    expect(down.joinQueue).not.toHaveBeenCalled();
  });
});
