import type { OrderStatus } from '../db/schema';

/**
 * The order state machine (DESIGN.md). Every write is conditional on one of the named
 * source states; anything else is logged and left alone, never forced.
 */
export const TRANSITIONS = {
  /** Payment confirmed and tickets sold. A late payment may still sell an expired order. */
  pay: { from: ['pending_payment', 'expired', 'canceled'], to: 'paid' },
  /** Paid too late, nothing left to sell: refund automatically. */
  lateRefund: { from: ['pending_payment', 'expired', 'canceled'], to: 'refund_pending' },
  refundCompleted: { from: ['refund_pending'], to: 'refunded' },
  expire: { from: ['pending_payment'], to: 'expired' },
  cancel: { from: ['pending_payment'], to: 'canceled' },
  refundFully: { from: ['paid', 'partially_refunded'], to: 'refunded' },
  refundPartly: { from: ['paid', 'partially_refunded'], to: 'partially_refunded' },
  /**
   * A refund the provider accepted failed later: the order counts only what stays refunded
   * (`paid` again when nothing does).
   */
  refundReversed: { from: ['partially_refunded', 'refunded'], to: 'partially_refunded' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;

export type Transition = keyof typeof TRANSITIONS;

export function canTransition(status: OrderStatus, transition: Transition): boolean {
  return sourceStates(transition).includes(status);
}

/** The states a transition may start from: the condition of its conditional write. */
export function sourceStates(transition: Transition): OrderStatus[] {
  return [...TRANSITIONS[transition].from];
}

/** States in which the buyer holds valid tickets. */
export const TICKETED_STATES: readonly OrderStatus[] = ['paid', 'partially_refunded'];
