import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type OrderStatus } from '../db/schema';
import { canTransition, TRANSITIONS } from './order-states';

const ALL: readonly OrderStatus[] = ORDER_STATUSES;

describe('order state machine', () => {
  it('never leaves a final state, but for a refund the provider fails after accepting it', () => {
    for (const transition of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      expect(canTransition('refunded', transition)).toBe(transition === 'refundReversed');
    }
  });

  it('a refund failed later reopens only what was refunded', () => {
    expect(ALL.filter((s) => canTransition(s, 'refundReversed')).sort()).toEqual([
      'partially_refunded',
      'refunded',
    ]);
  });

  it('pays only unpaid orders', () => {
    const payable = ALL.filter((s) => canTransition(s, 'pay'));
    expect(payable.sort()).toEqual(['canceled', 'expired', 'pending_payment']);
  });

  it('expires and cancels only pending orders', () => {
    expect(ALL.filter((s) => canTransition(s, 'expire'))).toEqual(['pending_payment']);
    expect(ALL.filter((s) => canTransition(s, 'cancel'))).toEqual(['pending_payment']);
  });

  it('refunds only what was paid', () => {
    expect(ALL.filter((s) => canTransition(s, 'refundFully')).sort()).toEqual([
      'paid',
      'partially_refunded',
    ]);
    expect(ALL.filter((s) => canTransition(s, 'refundCompleted'))).toEqual(['refund_pending']);
  });
});
