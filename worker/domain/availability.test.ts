import { describe, expect, it } from 'vitest';
import { availabilityStatus, isOnSale } from './availability';

describe('availabilityStatus', () => {
  it('gives reasons', () => {
    expect(availabilityStatus({ capacity: 500, available: 412 }, true)).toBe('available');
    expect(availabilityStatus({ capacity: 500, available: 50 }, true)).toBe('few_left');
    expect(availabilityStatus({ capacity: 500, available: 51 }, true)).toBe('available');
    expect(availabilityStatus({ capacity: 20, available: 5 }, true)).toBe('few_left');
    expect(availabilityStatus({ capacity: 500, available: 0 }, true)).toBe('sold_out');
    expect(availabilityStatus({ capacity: 500, available: 412 }, false)).toBe('not_on_sale');
  });
});

describe('isOnSale', () => {
  const now = Date.parse('2027-01-01T12:00:00Z');
  it('respects status and the sale window', () => {
    expect(isOnSale({ status: 'on_sale', salesStartAt: null, salesEndAt: null }, now)).toBe(true);
    expect(isOnSale({ status: 'draft', salesStartAt: null, salesEndAt: null }, now)).toBe(false);
    expect(
      isOnSale({ status: 'on_sale', salesStartAt: '2027-01-01T12:00:01Z', salesEndAt: null }, now),
    ).toBe(false);
    expect(
      isOnSale({ status: 'on_sale', salesStartAt: null, salesEndAt: '2027-01-01T12:00:00Z' }, now),
    ).toBe(false);
    expect(
      isOnSale(
        {
          status: 'on_sale',
          salesStartAt: '2027-01-01T11:00:00Z',
          salesEndAt: '2027-01-02T00:00:00Z',
        },
        now,
      ),
    ).toBe(true);
  });
});
