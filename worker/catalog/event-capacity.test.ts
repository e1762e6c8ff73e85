import { describe, expect, it } from 'vitest';
import { eventCapacity } from './event-capacity';

const types = (...capacities: number[]) =>
  capacities.map((capacity, i) => ({ id: `t${i}`, capacity }));

describe('eventCapacity', () => {
  it('is the sum of the ticket types without quotas', () => {
    expect(eventCapacity(types(100, 50), [])).toBe(150);
  });

  it('is the shared quota when it is smaller than its types together', () => {
    expect(eventCapacity(types(100, 50), [{ size: 120, ticketTypeIds: ['t0', 't1'] }])).toBe(120);
  });

  it('adds types outside any quota, and quotas that do not overlap', () => {
    const quotas = [
      { size: 15, ticketTypeIds: ['t0', 't1'] },
      { size: 100, ticketTypeIds: ['t2'] },
    ];
    expect(eventCapacity(types(10, 10, 3, 7), quotas)).toBe(15 + 3 + 7);
  });

  it('never counts a type above its smallest quota', () => {
    expect(eventCapacity(types(500), [{ size: 40, ticketTypeIds: ['t0'] }])).toBe(40);
  });

  it('stays an upper bound where quotas overlap', () => {
    // Truly 18 (8 + 2 + 8): never below what can sell, never the plain sum of 24.
    const quotas = [
      { size: 10, ticketTypeIds: ['t0', 't1'] },
      { size: 10, ticketTypeIds: ['t1', 't2'] },
    ];
    const capacity = eventCapacity(types(8, 8, 8), quotas);
    expect(capacity).toBeGreaterThanOrEqual(18);
    expect(capacity).toBeLessThan(24);
  });
});
