import { describe, expect, it } from 'vitest';
import { announcement, hostEvents } from './element-effects';
import { errorWords } from './i18n';
import type { Event, State } from './machine';
import { checkoutView, orderView, payingState } from './test-fixtures';

describe('the polite live region', () => {
  const paying = payingState();
  const confirmed: State = { name: 'confirmed', order: checkoutView(), tickets: [], orderUrl: '' };

  it('is replaced when the order is confirmed (no countdown left behind)', () => {
    const event: Event = { type: 'order_polled', order: orderView('paid') };
    expect(announcement(paying, confirmed, event, 'en')).toBe('Thank you! Here are your tickets.');
    expect(announcement(paying, confirmed, event, 'de')).toBe(
      'Vielen Dank! Hier sind Ihre Tickets.',
    );
  });

  it('says a declined payment', () => {
    const declined: State = { name: 'error', kind: 'payment_failed', resume: paying };
    expect(announcement(paying, declined, { type: 'payment_sent', status: 'failed' }, 'en')).toBe(
      'Your payment did not go through. Your tickets are still reserved.',
    );
  });
});

describe('words for refusals that are not network problems', () => {
  it.each(['en', 'de'] as const)(
    'has its own %s words for the hold cap and the rate limit',
    (lang) => {
      const network = errorWords(lang, 'network').message;
      for (const kind of ['hold_limit', 'rate_limited'] as const) {
        const words = errorWords(lang, kind);
        expect(words.message).not.toBe(network);
        expect(words.message).not.toMatch(/^err_/);
        expect(words.action).not.toMatch(/^act_/);
      }
    },
  );
});

describe('the host page events', () => {
  const paying = payingState();
  const confirmed = (testMode: boolean): State => ({
    name: 'confirmed',
    order: checkoutView(),
    tickets: [],
    orderUrl: '',
    testMode,
  });

  it("say whether a completed order is a test-mode one, so the page's analytics can leave it out", () => {
    const [[name, detail] = []] = hostEvents(paying, confirmed(true), true);
    expect(name).toBe('order-completed');
    expect(detail).toMatchObject({ testMode: true });
    expect(hostEvents(paying, confirmed(false), true)[0]?.[1]).toMatchObject({ testMode: false });
  });
});
