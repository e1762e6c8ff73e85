import { describe, expect, it } from 'vitest';
import { etaSeconds, peopleAhead, pollAfterSeconds, rankOf } from './queue-order';

function ranks(size: number, seed: number): number[] {
  return Array.from({ length: size }, (_, i) => rankOf(i + 1, { seed, size }));
}

function isPermutation(values: number[]): boolean {
  const seen = new Uint8Array(values.length + 1);
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1 || v > values.length || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

describe('rankOf', () => {
  it.each([
    1, 2, 3, 4, 5, 7, 8, 9, 10, 31, 32, 33, 100, 1000, 4095, 4096, 4097, 65_535, 65_536, 65_537,
  ])('maps 1..%i onto 1..size, nobody lost, nobody twice', (size) => {
    for (const seed of [0, 1, 0xdeadbeef, 0xffffffff]) {
      expect(isPermutation(ranks(size, seed))).toBe(true);
    }
  });

  it('shuffles: differs from arrival order for every size >= 10', () => {
    for (const size of [10, 11, 50, 257, 1000]) {
      for (const seed of [0, 7, 123_456_789, 0xcafebabe]) {
        const order = ranks(size, seed);
        const inPlace = order.filter((rank, i) => rank === i + 1).length;
        // A random permutation keeps about one element in place; identity keeps all.
        expect(inPlace).toBeLessThan(size / 2);
      }
    }
  });

  it('different seeds give different orders', () => {
    const a = ranks(1000, 1);
    const b = ranks(1000, 2);
    const c = ranks(1000, 0x80000001);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
    expect(b).not.toEqual(c);
  });

  it('is deterministic from (seed, size) alone', () => {
    expect(ranks(500, 42)).toEqual(ranks(500, 42));
    // A seed stored as a signed 32-bit integer means the same draw as its unsigned twin.
    expect(ranks(100, -1)).toEqual(ranks(100, 0xffffffff));
  });

  it('keeps arrival order after the pre-queue, and without a draw', () => {
    const lottery = { seed: 99, size: 100 };
    expect(rankOf(101, lottery)).toBe(101);
    expect(rankOf(5000, lottery)).toBe(5000);
    expect(rankOf(17, null)).toBe(17);
    expect(rankOf(1, { seed: 99, size: 1 })).toBe(1);
  });

  it('spreads early arrivals: the first tenth of the pre-queue is not the first tenth of ranks', () => {
    const early = Array.from({ length: 1000 }, (_, i) =>
      rankOf(i + 1, { seed: 2024, size: 10_000 }),
    );
    const stillFirst = early.filter((rank) => rank <= 1000).length;
    // A fair shuffle leaves about 100 of them in the first tenth.
    expect(stillFirst).toBeGreaterThan(50);
    expect(stillFirst).toBeLessThan(200);
  });
});

describe('position helpers', () => {
  it('peopleAhead counts those between the watermark and the buyer', () => {
    expect(peopleAhead(10, 0)).toBe(9);
    expect(peopleAhead(10, 9)).toBe(0);
    expect(peopleAhead(10, 10)).toBe(0);
    expect(peopleAhead(10, 50)).toBe(0);
  });

  it('etaSeconds: ahead at the rate, never negative, a stalled room still estimates', () => {
    expect(etaSeconds(0, 1000)).toBe(0);
    expect(etaSeconds(1000, 1000)).toBe(60);
    expect(etaSeconds(1, 1000)).toBe(1);
    expect(etaSeconds(10, 0)).toBe(600);
  });

  it('pollAfterSeconds: fast near the front, slow far back, bounded', () => {
    expect(pollAfterSeconds(0)).toBe(2);
    expect(pollAfterSeconds(15)).toBe(2);
    expect(pollAfterSeconds(60)).toBe(6);
    expect(pollAfterSeconds(3600)).toBe(30);
    for (let eta = 0; eta < 10_000; eta += 7) {
      const poll = pollAfterSeconds(eta);
      expect(poll).toBeGreaterThanOrEqual(2);
      expect(poll).toBeLessThanOrEqual(30);
    }
  });
});
