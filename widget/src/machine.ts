import { afterLoad, afterPoll, onFailure, queueProgress } from './machine-steps';
import type { Event, State } from './machine-types';
import { clampQuantity, selectedItems } from './selection';

export { MAX_CONFIRM_POLLS } from './machine-steps';
export type * from './machine-types';

/**
 * The widget's purchase flow as a pure state machine: `transition(state, event)` never touches
 * the DOM, the network or the clock, so every step is unit-tested in Node. The element runs
 * the side effect that belongs to each state (widget/src/effects.ts) and feeds the answers
 * back in as events.
 */

export const initialState: State = { name: 'loading' };

/** The next state; an event that does not apply to the current state changes nothing. */
export function transition(state: State, event: Event): State {
  if (event.type === 'failed') return onFailure(state, event.kind, event.ticketTypeIds);
  if (event.type === 'restart') return { name: 'loading' };
  switch (state.name) {
    case 'loading':
      return event.type === 'loaded' ? afterLoad(state, event.event, event.promo) : state;
    case 'ready':
      if (event.type === 'set_quantity') {
        const quantity = clampQuantity(state.shop, event.ticketTypeId, event.quantity);
        const quantities = { ...state.shop.quantities, [event.ticketTypeId]: quantity };
        return { name: 'ready', shop: { ...state.shop, quantities } };
      }
      if (event.type === 'choose' && selectedItems(state.shop).length > 0) {
        const { shop } = state;
        return shop.event.waitingRoom?.active && !shop.admission
          ? { name: 'queued', shop, queue: null, resume: 'hold' }
          : { name: 'holding', shop };
      }
      return state;
    case 'queued':
      if (event.type !== 'queue_update') return state;
      if (event.queue.state === 'waiting') return { ...state, queue: queueProgress(event.queue) };
      {
        const admission = event.queue.admissionToken;
        if (state.resume === 'hold') {
          return { name: 'holding', shop: { ...state.shop, ...(admission ? { admission } : {}) } };
        }
        return admission ? { name: 'loading', admission } : { name: 'loading' };
      }
    case 'holding':
      if (event.type !== 'hold_created') return state;
      return {
        name: 'details',
        shop: state.shop,
        hold: event.hold,
        idempotencyKey: event.idempotencyKey,
        buyer: null,
      };
    case 'details':
      if (event.type === 'submit_details' && !state.buyer) {
        const { notice: _shown, ...rest } = state;
        return { ...rest, buyer: event.buyer };
      }
      if (event.type === 'checkout_done' && state.buyer) {
        const { shop, hold, idempotencyKey } = state;
        const base = { shop, hold, idempotencyKey, order: event.order };
        return event.order.status === 'pending_payment'
          ? { ...base, name: 'paying', outcome: null }
          : { ...base, name: 'confirming', attempt: 0 };
      }
      if (event.type === 'release' && !state.buyer) {
        return { name: 'ready', shop: state.shop, releaseHoldId: state.hold.holdId };
      }
      if (event.type === 'expired' && !state.buyer) return { name: 'error', kind: 'hold_expired' };
      return state;
    case 'paying':
      if (event.type === 'pay' && !state.outcome) return { ...state, outcome: event.outcome };
      // The sandbox's outcome was chosen with `pay`; Stripe's comes from its Payment Element.
      if (event.type === 'payment_sent' && (state.outcome || state.order.payment?.clientSecret)) {
        if (event.status === 'failed') {
          return { name: 'error', kind: 'payment_failed', resume: { ...state, outcome: null } };
        }
        const { outcome: _sent, ...rest } = state;
        return { ...rest, name: 'confirming', attempt: 0 };
      }
      if (event.type === 'expired' && !state.outcome)
        return { name: 'error', kind: 'hold_expired' };
      return state;
    case 'confirming':
      return event.type === 'order_polled' ? afterPoll(state, event.order) : state;
    case 'error':
      if (event.type !== 'retry') return state;
      return state.resume ?? { name: 'loading' };
    case 'sold_out':
    case 'not_on_sale':
      return event.type === 'retry' ? { name: 'loading' } : state;
    case 'confirmed':
      return state;
  }
}
