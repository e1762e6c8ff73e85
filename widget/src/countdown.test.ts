import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown } from './countdown';

describe('Countdown', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder() {
    const seen = { seconds: [] as number[], minutes: [] as number[], ends: 0 };
    const countdown = new Countdown({
      second: (left) => seen.seconds.push(left),
      minute: (minutes) => seen.minutes.push(minutes),
      end: () => {
        seen.ends += 1;
      },
    });
    return { seen, countdown };
  }

  it('ticks each second, announces each new minute once, and ends at the deadline', () => {
    const { seen, countdown } = recorder();
    countdown.sync(3 * 60_000);
    vi.advanceTimersByTime(3 * 60_000);
    expect(seen.seconds).toHaveLength(181);
    expect(seen.minutes).toEqual([3, 2, 1]);
    expect(seen.ends).toBe(1);
  });

  it('keeps one timer across syncs and stops when the deadline goes away', () => {
    const { seen, countdown } = recorder();
    countdown.sync(10 * 60_000);
    countdown.sync(15 * 60_000); // the payment window extends the hold
    vi.advanceTimersByTime(1000);
    expect(seen.minutes).toEqual([10, 15]);
    expect(seen.seconds).toHaveLength(3);
    countdown.sync(null);
    vi.advanceTimersByTime(60_000);
    expect(seen.seconds).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
