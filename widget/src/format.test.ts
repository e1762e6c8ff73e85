import { describe, expect, it } from 'vitest';
import { failureOf } from './api';
import {
  formatCount,
  formatCountdown,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPrice,
  minutesLeft,
} from './format';
import { clampQuantity, itemsTotalMinor, maxQuantity, selectedItems } from './selection';
import { shop } from './test-fixtures';

// Intl output uses narrow no-break spaces in places; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatting', () => {
  it('formats minor units in the buyer language, by the currency minor unit', () => {
    expect(formatMoney(7800, 'EUR', 'en')).toBe('€78.00');
    expect(plain(formatMoney(7800, 'EUR', 'de'))).toBe('78,00 €');
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
    expect(formatPrice(0, 'EUR', 'de')).toBe('Kostenlos');
    expect(formatCount(1234, 'de')).toBe('1.234');
  });

  it('counts down as m:ss and announces whole minutes started', () => {
    expect(formatCountdown(600_000)).toBe('10:00');
    expect(formatCountdown(61_001)).toBe('1:02');
    expect(formatCountdown(-5)).toBe('0:00');
    expect(minutesLeft(540_001)).toBe(10);
    expect(minutesLeft(540_000)).toBe(9);
    expect(minutesLeft(-1)).toBe(0);
  });

  it('says a date in the event time zone, naming it', () => {
    const start = '2029-06-01T08:00:00Z';
    expect(plain(formatDateTime(start, 'Europe/Berlin', 'en'))).toBe(
      'June 1, 2029 at 10:00 AM GMT+2',
    );
    expect(formatDateTime(start, 'Europe/Berlin', 'de')).toBe('1. Juni 2029 um 10:00 MESZ');
  });

  it('words a wait, rounded up', () => {
    expect(formatDuration(45, 'en')).toBe('45 seconds');
    expect(formatDuration(61, 'en')).toBe('2 minutes');
    expect(formatDuration(120, 'de')).toBe('2 Minuten');
    expect(formatDuration(7200, 'en')).toBe('2 hours');
  });
});

describe('selection', () => {
  it('limits each type by what is left and the order maximum', () => {
    expect(maxQuantity(shop(), 'tt_vip')).toBe(3);
    expect(maxQuantity(shop({ tt_ga: 9 }), 'tt_vip')).toBe(1);
    expect(clampQuantity(shop(), 'tt_ga', Number.NaN)).toBe(0);
  });

  it('turns the choice into hold items and a total', () => {
    const chosen = shop({ tt_vip: 1, tt_ga: 2, tt_x: 0 });
    expect(selectedItems(chosen)).toEqual([
      { ticketTypeId: 'tt_ga', quantity: 2 },
      { ticketTypeId: 'tt_vip', quantity: 1 },
    ]);
    expect(itemsTotalMinor(chosen.event, selectedItems(chosen))).toBe(3900 * 2 + 9900);
  });
});

describe('API problems', () => {
  it('maps stable codes to what the buyer is told', () => {
    expect(failureOf(409, { code: 'sold_out' })).toBe('sold_out');
    expect(failureOf(409, { code: 'hold_expired' })).toBe('hold_expired');
    expect(failureOf(403, { code: 'admission_required' })).toBe('admission_required');
    expect(failureOf(422, { code: 'max_per_order_exceeded' })).toBe('too_many');
    expect(failureOf(422, { code: 'validation_failed', errors: [{ path: 'buyer.email' }] })).toBe(
      'invalid',
    );
    expect(failureOf(422, { code: 'validation_failed', errors: [{ path: 'promoCode' }] })).toBe(
      'bad_promo',
    );
    expect(failureOf(404, { code: 'not_found' })).toBe('not_found');
    expect(failureOf(404, null)).toBe('not_found');
  });

  it('tells a rate limit and the per-buyer hold cap apart from a network problem', () => {
    expect(failureOf(429, { code: 'rate_limited' })).toBe('rate_limited');
    expect(failureOf(429, null)).toBe('rate_limited');
    expect(failureOf(409, { code: 'hold_limit_reached', limit: 20, held: 20 })).toBe('hold_limit');
  });

  it('treats anything unknown as a network problem to retry', () => {
    expect(failureOf(500, { code: 'internal_error' })).toBe('network');
    expect(failureOf(502, 'Bad gateway')).toBe('network');
  });
});
