import { describe, expect, it } from 'vitest';
import type { State } from './machine';
import { transition } from './machine';
import { eventView, orderView, payingState, shop } from './test-fixtures';
import { view } from './views';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const TEST_NOTE = 'TEST — no real money; these tickets are not valid at the door';

describe('a test-mode event in the widget', () => {
  it('says TEST above the ticket list, and a live event does not', () => {
    const test: State = { name: 'ready', shop: shop({}, eventView({ testMode: true })) };
    const live: State = { name: 'ready', shop: shop() };
    expect(view(test, 'en', NOW)).toContain(TEST_NOTE);
    expect(view(test, 'de', NOW)).toContain('TEST – kein echtes Geld');
    expect(view(live, 'en', NOW)).not.toContain('TEST');
  });

  it('marks the confirmed tickets TEST, from the order the server answered', () => {
    const confirming = transition(payingState('succeed'), {
      type: 'payment_sent',
      status: 'succeeded',
    });
    const paid = transition(confirming, {
      type: 'order_polled',
      order: orderView('paid', { testMode: true }),
    });
    expect(paid).toMatchObject({ name: 'confirmed', testMode: true });
    expect(view(paid, 'en', NOW)).toContain(TEST_NOTE);
    const live = transition(confirming, { type: 'order_polled', order: orderView('paid') });
    expect(view(live, 'en', NOW)).not.toContain('TEST');
  });
});
