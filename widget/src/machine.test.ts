import { describe, expect, it } from 'vitest';
import { type Event, initialState, MAX_CONFIRM_POLLS, type State, transition } from './machine';
import {
  checkoutView,
  detailsState,
  eventView,
  hold,
  orderView,
  payingState,
  queueView,
  shop,
} from './test-fixtures';

const run = (state: State, ...events: Event[]) => events.reduce(transition, state);
const buyer = { name: 'Ada', email: 'ada@example.com' };
const ready = (quantities: Record<string, number> = {}, event = eventView()): State => ({
  name: 'ready',
  shop: shop(quantities, event),
});
const typeStatus = (...statuses: ('available' | 'few_left' | 'sold_out' | 'not_on_sale')[]) =>
  eventView({
    ticketTypes: statuses.map((status, i) => ({
      id: `tt_${i}`,
      name: `T${i}`,
      priceMinor: 100,
      status,
      available: status === 'sold_out' ? 0 : 5,
    })),
  });

describe('loading', () => {
  it('shows the catalog once it arrives', () => {
    expect(transition(initialState, { type: 'loaded', event: eventView() })).toEqual(ready());
  });

  it('keeps an admission and the promo code in the shop', () => {
    const next = transition(
      { name: 'loading', admission: 'adm' },
      { type: 'loaded', event: eventView(), promo: 'EARLY' },
    );
    expect(next).toEqual({ name: 'ready', shop: { ...shop(), admission: 'adm', promo: 'EARLY' } });
  });

  it('is sold out when every type is, not on sale when nothing else can be bought', () => {
    const load = (event = eventView()) => transition(initialState, { type: 'loaded', event });
    expect(load(typeStatus('sold_out', 'sold_out')).name).toBe('sold_out');
    expect(load(typeStatus('not_on_sale', 'not_on_sale')).name).toBe('not_on_sale');
    expect(load(typeStatus('sold_out', 'not_on_sale')).name).toBe('not_on_sale');
    expect(load(typeStatus()).name).toBe('not_on_sale');
    expect(load(typeStatus('sold_out', 'few_left')).name).toBe('ready');
  });

  it('joins the waiting room first when it is active', () => {
    const event = eventView({ waitingRoom: { active: true } });
    expect(transition(initialState, { type: 'loaded', event })).toEqual({
      name: 'queued',
      shop: shop({}, event),
      queue: null,
      resume: 'choose',
    });
    const admitted = transition({ name: 'loading', admission: 'adm' }, { type: 'loaded', event });
    expect(admitted).toEqual({ name: 'ready', shop: { ...shop({}, event), admission: 'adm' } });
  });

  it('offers a retry after a network failure and an unknown event', () => {
    const failed = transition(initialState, { type: 'failed', kind: 'network' });
    expect(failed).toEqual({ name: 'error', kind: 'network', resume: initialState });
    expect(transition(failed, { type: 'retry' })).toEqual(initialState);
    const missing = transition(initialState, { type: 'failed', kind: 'not_found' });
    expect(missing).toEqual({ name: 'error', kind: 'not_found' });
    expect(transition(missing, { type: 'retry' })).toEqual({ name: 'loading' });
  });

  it('ignores events that do not belong to it', () => {
    expect(transition(initialState, { type: 'choose' })).toBe(initialState);
    expect(transition(initialState, { type: 'expired' })).toBe(initialState);
  });
});

describe('choosing tickets', () => {
  const set = (state: State, ticketTypeId: string, quantity: number) =>
    transition(state, { type: 'set_quantity', ticketTypeId, quantity });
  const quantities = (state: State) => (state.name === 'ready' ? state.shop.quantities : null);

  it('clamps quantities to what is left, to maxPerOrder and to whole positive numbers', () => {
    expect(quantities(set(ready(), 'tt_vip', 5))).toEqual({ tt_vip: 3 });
    expect(quantities(set(ready({ tt_ga: 8 }), 'tt_vip', 3))).toEqual({ tt_ga: 8, tt_vip: 2 });
    expect(quantities(set(ready({ tt_ga: 1 }), 'tt_ga', -1))).toEqual({ tt_ga: 0 });
    expect(quantities(set(ready(), 'tt_ga', 2.7))).toEqual({ tt_ga: 2 });
    expect(quantities(set(ready(), 'tt_unknown', 1))).toEqual({ tt_unknown: 0 });
  });

  it('allows none of a sold-out type and 10 per order when the event does not say', () => {
    expect(quantities(set(ready({}, typeStatus('sold_out', 'available')), 'tt_0', 1))).toEqual({
      tt_0: 0,
    });
    const { maxPerOrder: _none, ...open } = eventView();
    const big = { ...open, ticketTypes: [{ ...open.ticketTypes[0], available: 50 }] };
    expect(quantities(set(ready({}, big as typeof open), 'tt_ga', 25))).toEqual({ tt_ga: 10 });
  });

  it('holds the selection, or queues first when the room is active without an admission', () => {
    expect(transition(ready(), { type: 'choose' })).toEqual(ready());
    expect(transition(ready({ tt_ga: 0 }), { type: 'choose' })).toEqual(ready({ tt_ga: 0 }));
    expect(transition(ready({ tt_ga: 2 }), { type: 'choose' })).toEqual({
      name: 'holding',
      shop: shop({ tt_ga: 2 }),
    });
    const event = eventView({ waitingRoom: { active: true } });
    expect(transition(ready({ tt_ga: 2 }, event), { type: 'choose' })).toEqual({
      name: 'queued',
      shop: shop({ tt_ga: 2 }, event),
      queue: null,
      resume: 'hold',
    });
    const admitted: State = {
      name: 'ready',
      shop: { ...shop({ tt_ga: 2 }, event), admission: 'a' },
    };
    expect(transition(admitted, { type: 'choose' }).name).toBe('holding');
  });
});

describe('waiting room', () => {
  const event = eventView({ waitingRoom: { active: true } });
  const queued = (resume: 'choose' | 'hold'): State => ({
    name: 'queued',
    shop: shop({ tt_ga: 2 }, event),
    queue: null,
    resume,
  });

  it('shows position, people ahead, wait and progress from each answer', () => {
    const next = transition(queued('choose'), { type: 'queue_update', queue: queueView() });
    expect(next).toMatchObject({
      name: 'queued',
      queue: { position: 40, peopleAhead: 39, etaSeconds: 120, pollAfterSeconds: 5, progress: 0.2 },
    });
    const odd = queueView({ peopleAhead: undefined, pollAfterSeconds: 0, progress: 3 });
    expect(transition(next, { type: 'queue_update', queue: odd })).toMatchObject({
      queue: { peopleAhead: 39, pollAfterSeconds: 1, progress: 1 },
    });
    const preQueue = queueView({ position: null, peopleAhead: null, phase: 'pre_queue' });
    expect(transition(next, { type: 'queue_update', queue: preQueue })).toMatchObject({
      queue: { position: null, peopleAhead: null },
    });
  });

  it('on admission reloads the catalog, or goes on holding what was chosen', () => {
    const admitted = queueView({ state: 'admitted', position: 0, admissionToken: 'adm' });
    expect(transition(queued('choose'), { type: 'queue_update', queue: admitted })).toEqual({
      name: 'loading',
      admission: 'adm',
    });
    expect(transition(queued('hold'), { type: 'queue_update', queue: admitted })).toEqual({
      name: 'holding',
      shop: { ...shop({ tt_ga: 2 }, event), admission: 'adm' },
    });
    const noToken = queueView({ state: 'admitted', position: 0 });
    expect(transition(queued('choose'), { type: 'queue_update', queue: noToken })).toEqual({
      name: 'loading',
    });
  });

  it('shops on without an admission when the room turned off meanwhile', () => {
    const open = eventView({ waitingRoom: { active: false } });
    expect(transition(queued('choose'), { type: 'failed', kind: 'room_off' })).toEqual({
      name: 'ready',
      shop: shop({ tt_ga: 2 }, open),
    });
    expect(transition(queued('hold'), { type: 'failed', kind: 'room_off' })).toEqual({
      name: 'holding',
      shop: shop({ tt_ga: 2 }, open),
    });
  });

  it('keeps its place through a network failure', () => {
    const failed = transition(queued('choose'), { type: 'failed', kind: 'network' });
    expect(failed).toEqual({ name: 'error', kind: 'network', resume: queued('choose') });
    expect(transition(failed, { type: 'retry' })).toEqual(queued('choose'));
  });

  it('a hold refused for want of an admission queues and then holds the same selection', () => {
    const holding: State = {
      name: 'holding',
      shop: { ...shop({ tt_ga: 2 }, event), admission: 'old' },
    };
    const next = transition(holding, { type: 'failed', kind: 'admission_required' });
    expect(next).toEqual(queued('hold'));
  });
});

describe('holding', () => {
  const holding: State = { name: 'holding', shop: shop({ tt_ga: 2 }) };

  it('asks for the buyer once the hold is there', () => {
    expect(transition(holding, { type: 'hold_created', hold, idempotencyKey: 'key-1' })).toEqual(
      detailsState(),
    );
    expect(transition(holding, { type: 'choose' })).toBe(holding);
  });

  it('sold out while choosing: the way forward refreshes the list', () => {
    const failed = transition(holding, {
      type: 'failed',
      kind: 'sold_out',
      ticketTypeIds: ['tt_ga'],
    });
    expect(failed).toEqual({
      name: 'error',
      kind: 'sold_out',
      resume: { name: 'loading', limits: { tt_ga: 1 } },
    });
    // The refreshed read may be a second stale: it never shows more than the hold proved.
    const refreshed = run(failed, { type: 'retry' }, { type: 'loaded', event: eventView() });
    expect(refreshed).toMatchObject({ name: 'ready' });
    const types = refreshed.name === 'ready' ? refreshed.shop.event.ticketTypes : [];
    expect(types.map((t) => [t.available, t.status])).toEqual([
      [1, 'available'],
      [3, 'few_left'],
    ]);
  });

  it('after a refused single ticket the type reads sold out; all gone is the sold-out state', () => {
    const one: State = { name: 'holding', shop: shop({ tt_ga: 1, tt_vip: 1 }) };
    const failed = transition(one, {
      type: 'failed',
      kind: 'sold_out',
      ticketTypeIds: ['tt_ga', 'tt_vip'],
    });
    const refreshed = run(failed, { type: 'retry' }, { type: 'loaded', event: eventView() });
    expect(refreshed).toEqual({ name: 'sold_out', shop: expect.anything() });
  });

  it('too many: back to the same selection to change it', () => {
    const failed = transition(holding, { type: 'failed', kind: 'too_many' });
    expect(transition(failed, { type: 'retry' })).toEqual({
      name: 'ready',
      shop: shop({ tt_ga: 2 }),
    });
  });

  it('other refusals end in their error; a network failure retries the hold', () => {
    for (const kind of ['not_on_sale', 'in_use', 'not_found'] as const) {
      expect(transition(holding, { type: 'failed', kind })).toEqual({ name: 'error', kind });
    }
    const failed = transition(holding, { type: 'failed', kind: 'network' });
    expect(transition(failed, { type: 'retry' })).toEqual(holding);
    const odd = transition(holding, { type: 'failed', kind: 'invalid' });
    expect(odd).toEqual({ name: 'error', kind: 'network', resume: { name: 'loading' } });
  });
});

describe('details', () => {
  it('sends the buyer once and then pays, or confirms a free order at once', () => {
    const busy = transition(detailsState(), { type: 'submit_details', buyer });
    expect(busy).toEqual(detailsState(buyer));
    expect(transition(busy, { type: 'submit_details', buyer: { name: 'X', email: 'x@x' } })).toBe(
      busy,
    );
    expect(transition(busy, { type: 'checkout_done', order: checkoutView() })).toEqual(
      payingState(),
    );
    const free = checkoutView({ status: 'paid', totalMinor: 0, payment: null });
    expect(transition(busy, { type: 'checkout_done', order: free })).toMatchObject({
      name: 'confirming',
      attempt: 0,
      order: free,
    });
    expect(transition(detailsState(), { type: 'checkout_done', order: checkoutView() })).toEqual(
      detailsState(),
    );
  });

  it('changing tickets releases the hold and keeps the selection', () => {
    expect(transition(detailsState(), { type: 'release' })).toEqual({
      name: 'ready',
      shop: shop({ tt_ga: 2 }),
      releaseHoldId: 'hold_1',
    });
    const busy = detailsState(buyer);
    expect(transition(busy, { type: 'release' })).toBe(busy);
  });

  it('hold expiry: the way forward is choosing again', () => {
    const expired = transition(detailsState(), { type: 'expired' });
    expect(expired).toEqual({ name: 'error', kind: 'hold_expired' });
    expect(transition(expired, { type: 'retry' })).toEqual({ name: 'loading' });
    const busy = detailsState(buyer);
    expect(transition(busy, { type: 'expired' })).toBe(busy);
    expect(transition(busy, { type: 'failed', kind: 'hold_expired' })).toEqual(expired);
  });

  it('refused details come back to the form with a notice; a refused promo is dropped', () => {
    const withPromo: State = {
      ...detailsState(buyer),
      shop: { ...shop({ tt_ga: 2 }), promo: 'X' },
    };
    expect(transition(detailsState(buyer), { type: 'failed', kind: 'invalid' })).toEqual({
      ...detailsState(),
      notice: 'invalid',
    });
    const noPromo = transition(withPromo, { type: 'failed', kind: 'bad_promo' });
    expect(noPromo).toEqual({ ...detailsState(), notice: 'promo' });
    expect(transition(noPromo, { type: 'submit_details', buyer })).toEqual(detailsState(buyer));
  });

  it('a network failure retries the same checkout (same idempotency key)', () => {
    const failed = transition(detailsState(buyer), { type: 'failed', kind: 'network' });
    expect(transition(failed, { type: 'retry' })).toEqual(detailsState(buyer));
  });
});

describe('paying', () => {
  it('sends one outcome, then confirms a success', () => {
    const sent = transition(payingState(), { type: 'pay', outcome: 'succeed' });
    expect(sent).toEqual(payingState('succeed'));
    expect(transition(sent, { type: 'pay', outcome: 'fail' })).toBe(sent);
    const { outcome: _o, ...rest } = payingState();
    expect(transition(sent, { type: 'payment_sent', status: 'succeeded' })).toEqual({
      ...rest,
      name: 'confirming',
      attempt: 0,
    });
    expect(transition(payingState(), { type: 'payment_sent', status: 'succeeded' })).toEqual(
      payingState(),
    );
  });

  it('payment failed: the way forward is trying again with the same order', () => {
    const failed = transition(payingState('fail'), { type: 'payment_sent', status: 'failed' });
    expect(failed).toMatchObject({ name: 'error', kind: 'payment_failed' });
    expect(transition(failed, { type: 'retry' })).toEqual(payingState());
  });

  it('expires only before the payment was sent', () => {
    expect(transition(payingState(), { type: 'expired' })).toEqual({
      name: 'error',
      kind: 'hold_expired',
    });
    expect(transition(payingState('succeed'), { type: 'expired' })).toEqual(payingState('succeed'));
  });
});

describe('confirming', () => {
  const confirming = (attempt = 0) =>
    run(
      payingState('succeed'),
      { type: 'payment_sent', status: 'succeeded' },
      ...Array(attempt).fill({
        type: 'order_polled',
        order: orderView('pending_payment'),
      }),
    );

  it('polls until the order is paid, then shows its tickets and order page', () => {
    expect(confirming(2)).toMatchObject({ name: 'confirming', attempt: 2 });
    const page = 'https://t.example/orders/ord_1?token=tok&from=api';
    const paid = orderView('paid', { orderPageUrl: page });
    expect(transition(confirming(1), { type: 'order_polled', order: paid })).toEqual({
      name: 'confirmed',
      order: checkoutView(),
      tickets: paid.tickets,
      orderUrl: page,
      testMode: false,
    });
    expect(
      transition(confirming(), { type: 'order_polled', order: orderView('paid') }),
    ).toMatchObject({
      orderUrl: checkoutView().orderUrl,
    });
  });

  it('tells the buyer when confirming takes long, and checks again on retry', () => {
    const slow = confirming(MAX_CONFIRM_POLLS - 1);
    const failed = transition(slow, { type: 'order_polled', order: orderView('pending_payment') });
    expect(failed).toMatchObject({ name: 'error', kind: 'pending' });
    expect(transition(failed, { type: 'retry' })).toMatchObject({ name: 'confirming', attempt: 0 });
  });

  it('an expired or late order ends in words, not codes', () => {
    const polled = (status: string) =>
      transition(confirming(), { type: 'order_polled', order: orderView(status) });
    expect(polled('expired')).toEqual({ name: 'error', kind: 'hold_expired' });
    expect(polled('canceled')).toEqual({ name: 'error', kind: 'hold_expired' });
    expect(polled('refund_pending')).toEqual({ name: 'error', kind: 'late_payment' });
  });
});

describe('the end and the way back', () => {
  it('confirmed stays until the buyer starts over', () => {
    const done: State = { name: 'confirmed', order: checkoutView(), tickets: [], orderUrl: '' };
    expect(transition(done, { type: 'retry' })).toBe(done);
    expect(transition(done, { type: 'restart' })).toEqual({ name: 'loading' });
  });

  it('sold out and not on sale can check again', () => {
    for (const name of ['sold_out', 'not_on_sale'] as const) {
      const closed: State = { name, shop: shop() };
      expect(transition(closed, { type: 'choose' })).toBe(closed);
      expect(transition(closed, { type: 'retry' })).toEqual({ name: 'loading' });
    }
  });

  it('a whole purchase, event by event', () => {
    const end = run(
      initialState,
      { type: 'loaded', event: eventView() },
      { type: 'set_quantity', ticketTypeId: 'tt_ga', quantity: 1 },
      { type: 'set_quantity', ticketTypeId: 'tt_ga', quantity: 2 },
      { type: 'choose' },
      { type: 'hold_created', hold, idempotencyKey: 'key-1' },
      { type: 'submit_details', buyer },
      { type: 'checkout_done', order: checkoutView() },
      { type: 'pay', outcome: 'succeed' },
      { type: 'payment_sent', status: 'succeeded' },
      { type: 'order_polled', order: orderView('pending_payment') },
      { type: 'order_polled', order: orderView('paid') },
    );
    expect(end).toMatchObject({ name: 'confirmed', tickets: [{ id: 'tkt_1' }] });
  });
});
