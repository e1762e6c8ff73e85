import { describe, expect, it } from 'vitest';
import {
  creditCap,
  observedRatePerMinute,
  planTick,
  TICK_MS,
  type TickInput,
} from './admission-tick';

/** Runs `ticks` ticks `stepMs` apart on a simulated clock; slots never come back. */
function simulate(
  ticks: number,
  stepMs: number,
  room: { admitPerMinute: number; activeLimit: number; waiting: number },
) {
  let credit = 0;
  let lastTickMs: number | null = null;
  let admitted = 0;
  let active = 0;
  let peakActive = 0;
  const perTick: number[] = [];
  for (let i = 0; i < ticks; i++) {
    const now = 1_000_000 + i * stepMs;
    const input: TickInput = {
      now,
      lastTickMs,
      credit,
      admitPerMinute: room.admitPerMinute,
      freeSlots: room.activeLimit - active,
      waiting: room.waiting - admitted,
    };
    const plan = planTick(input);
    credit = plan.credit;
    lastTickMs = now;
    admitted += plan.admit;
    active += plan.admit;
    peakActive = Math.max(peakActive, active);
    perTick.push(plan.admit);
  }
  return { admitted, peakActive, perTick };
}

describe('planTick', () => {
  it.each([60, 100, 250, 1000, 1500, 6000])(
    'admits %i/min within 5% over a simulated minute of 1 s ticks',
    (admitPerMinute) => {
      const { admitted } = simulate(60, TICK_MS, {
        admitPerMinute,
        activeLimit: 1_000_000,
        waiting: 1_000_000,
      });
      expect(Math.abs(admitted - admitPerMinute)).toBeLessThanOrEqual(admitPerMinute * 0.05);
    },
  );

  it('keeps the fraction: 1000/min admits 16 or 17 a tick, never 16 every time', () => {
    const { perTick, admitted } = simulate(60, TICK_MS, {
      admitPerMinute: 1000,
      activeLimit: 1_000_000,
      waiting: 1_000_000,
    });
    expect(new Set(perTick)).toEqual(new Set([16, 17]));
    expect(admitted).toBeGreaterThanOrEqual(999);
  });

  it('never admits past the free slots', () => {
    const { admitted, peakActive } = simulate(60, TICK_MS, {
      admitPerMinute: 6000,
      activeLimit: 150,
      waiting: 10_000,
    });
    expect(peakActive).toBe(150);
    expect(admitted).toBe(150);
  });

  it('never admits more than are waiting', () => {
    const { admitted } = simulate(60, TICK_MS, {
      admitPerMinute: 1000,
      activeLimit: 1000,
      waiting: 42,
    });
    expect(admitted).toBe(42);
  });

  it('a stalled alarm bursts at most a few seconds of admissions', () => {
    const plan = planTick({
      now: 10 * 60_000,
      lastTickMs: 0,
      credit: 0,
      admitPerMinute: 1200,
      freeSlots: 1000,
      waiting: 1000,
    });
    expect(plan.admit).toBe(Math.floor(creditCap(1200)));
    expect(plan.admit).toBe(60);
  });

  it('a slow rate still admits: the cap never drops below one admission', () => {
    const { admitted } = simulate(60, TICK_MS, {
      admitPerMinute: 10,
      activeLimit: 100,
      waiting: 100,
    });
    expect(admitted).toBe(10);
  });

  it('a clock that goes backwards earns nothing', () => {
    const plan = planTick({
      now: 1000,
      lastTickMs: 5000,
      credit: 0.5,
      admitPerMinute: 600,
      freeSlots: 10,
      waiting: 10,
    });
    expect(plan).toEqual({ admit: 0, credit: 0.5 });
  });

  it('no free slots: nothing moves, credit is kept up to the cap', () => {
    const plan = planTick({
      now: 2000,
      lastTickMs: 1000,
      credit: 0,
      admitPerMinute: 600,
      freeSlots: -3,
      waiting: 10,
    });
    expect(plan).toEqual({ admit: 0, credit: 10 });
  });
});

describe('observedRatePerMinute', () => {
  it('measures over the span the room has been admitting, at most a minute', () => {
    expect(observedRatePerMinute(0, null, 5000)).toBe(0);
    expect(observedRatePerMinute(1000, 0, 59_000)).toBe(1000);
    expect(observedRatePerMinute(170, 0, 9_000)).toBe(1020);
  });
});
