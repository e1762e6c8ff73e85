import type { EventView, OrderView, QueueView } from './api-types';
import type { FailureKind, QueueProgress, Shop, State } from './machine-types';
import { applyLimits } from './selection';

/** The machine's larger steps (machine.ts): after a read, a failure, an order poll. Pure. */

/** After this many order polls (about a second apart) the buyer is told it takes longer. */
export const MAX_CONFIRM_POLLS = 60;

const PAID = ['paid', 'partially_refunded'];
const GONE = ['expired', 'canceled'];

/** Where a freshly read catalog leads. */
export function afterLoad(
  loading: Extract<State, { name: 'loading' }>,
  read: EventView,
  promo?: string,
): State {
  const { admission, limits } = loading;
  const event = limits ? applyLimits(read, limits) : read;
  const shop: Shop = { event, quantities: {}, ...(admission ? { admission } : {}) };
  if (promo) shop.promo = promo;
  const types = event.ticketTypes;
  const buyable = types.some((t) => t.status === 'available' || t.status === 'few_left');
  if (!buyable) {
    const soldOut = types.length > 0 && types.every((t) => t.status === 'sold_out');
    return { name: soldOut ? 'sold_out' : 'not_on_sale', shop };
  }
  if (event.waitingRoom?.active && !admission) {
    return { name: 'queued', shop, queue: null, resume: 'choose' };
  }
  return { name: 'ready', shop };
}

export function queueProgress(queue: QueueView): QueueProgress {
  return {
    position: queue.position,
    peopleAhead: queue.peopleAhead ?? (queue.position === null ? null : queue.position - 1),
    etaSeconds: queue.etaSeconds,
    pollAfterSeconds: Math.max(1, queue.pollAfterSeconds),
    progress: Math.min(1, Math.max(0, queue.progress ?? 0)),
  };
}

/** A failed request: the state it happened in decides what the buyer sees next. */
export function onFailure(state: State, kind: FailureKind, ticketTypeIds: string[] = []): State {
  if (kind === 'network' || kind === 'rate_limited') return { name: 'error', kind, resume: state };
  if (kind === 'hold_limit' && state.name === 'holding') {
    return { name: 'error', kind, resume: { name: 'ready', shop: state.shop } };
  }
  if (kind === 'sold_out' && state.name === 'holding') {
    // The wanted quantity did not fit: fewer are left, even if the refreshed read lags behind.
    const { quantities } = state.shop;
    const limits = Object.fromEntries(ticketTypeIds.map((id) => [id, (quantities[id] ?? 1) - 1]));
    return { name: 'error', kind, resume: { name: 'loading', limits } };
  }
  if (kind === 'admission_required' && state.name === 'holding') {
    const { admission: _lapsed, ...shop } = state.shop;
    return { name: 'queued', shop, queue: null, resume: 'hold' };
  }
  if (kind === 'room_off' && state.name === 'queued') {
    // The room closed meanwhile: shop on without an admission (no reload, which could loop).
    const shop = { ...state.shop, event: { ...state.shop.event, waitingRoom: { active: false } } };
    return { name: state.resume === 'hold' ? 'holding' : 'ready', shop };
  }
  if (kind === 'invalid' && state.name === 'details') {
    return { ...state, buyer: null, notice: 'invalid' };
  }
  if (kind === 'bad_promo' && state.name === 'details') {
    const { promo: _refused, ...shop } = state.shop;
    return { ...state, shop, buyer: null, notice: 'promo' };
  }
  if (kind === 'too_many' && state.name === 'holding') {
    return { name: 'error', kind, resume: { name: 'ready', shop: state.shop } };
  }
  if (
    kind === 'admission_required' ||
    kind === 'invalid' ||
    kind === 'bad_promo' ||
    kind === 'room_off'
  ) {
    return { name: 'error', kind: 'network', resume: { name: 'loading' } };
  }
  return { name: 'error', kind };
}

export function afterPoll(state: Extract<State, { name: 'confirming' }>, order: OrderView): State {
  if (PAID.includes(order.status)) {
    return {
      name: 'confirmed',
      order: state.order,
      tickets: order.tickets,
      orderUrl: order.orderPageUrl ?? state.order.orderUrl ?? '',
      testMode: order.testMode === true || state.shop.event.testMode === true,
    };
  }
  if (GONE.includes(order.status)) return { name: 'error', kind: 'hold_expired' };
  if (order.status !== 'pending_payment') return { name: 'error', kind: 'late_payment' };
  if (state.attempt + 1 >= MAX_CONFIRM_POLLS) {
    return { name: 'error', kind: 'pending', resume: { ...state, attempt: 0 } };
  }
  return { ...state, attempt: state.attempt + 1 };
}
