import { describe, expect, it } from 'vitest';
import { formatMoney, priceItems, UnpriceableItemError } from './pricing';

const types = [
  { id: 'tt_ga', name: 'General admission', priceMinor: 3900 },
  { id: 'tt_vip', name: 'VIP', priceMinor: 9900 },
  { id: 'tt_free', name: 'Guest list', priceMinor: 0 },
];

describe('priceItems', () => {
  it('sums lines in integer minor units', () => {
    const priced = priceItems(
      [
        { ticketTypeId: 'tt_ga', quantity: 2 },
        { ticketTypeId: 'tt_vip', quantity: 1 },
      ],
      types,
    );
    expect(priced.totalMinor).toBe(17_700);
    expect(priced.lines[0]).toEqual({
      ticketTypeId: 'tt_ga',
      name: 'General admission',
      quantity: 2,
      unitPriceMinor: 3900,
      lineTotalMinor: 7800,
    });
  });

  it('prices free tickets at zero', () => {
    expect(priceItems([{ ticketTypeId: 'tt_free', quantity: 3 }], types).totalMinor).toBe(0);
  });

  it('refuses unknown types and bad quantities', () => {
    expect(() => priceItems([{ ticketTypeId: 'tt_nope', quantity: 1 }], types)).toThrow(
      UnpriceableItemError,
    );
    expect(() => priceItems([{ ticketTypeId: 'tt_ga', quantity: 0 }], types)).toThrow(
      UnpriceableItemError,
    );
    expect(() => priceItems([{ ticketTypeId: 'tt_ga', quantity: 1.5 }], types)).toThrow(
      UnpriceableItemError,
    );
  });
});

describe('formatMoney', () => {
  it('uses the currency minor unit', () => {
    expect(formatMoney(3900, 'EUR', 'en')).toBe('€39.00');
    expect(formatMoney(3900, 'JPY', 'en')).toBe('¥3,900');
    expect(formatMoney(1234, 'EUR', 'de')).toMatch(/^12,34\s€$/);
  });
});
