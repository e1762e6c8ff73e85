import { describe, expect, it } from 'vitest';
import type { RoomState } from '../../durable-objects/waiting-room/types';
import { rankOf } from '../domain/queue-order';
import { admittedView, progressOf, standingOf, waitingView } from './position';

function room(overrides: Partial<RoomState> = {}): RoomState {
  return {
    eventId: 'evt_00000000000000000000',
    mode: 'always',
    active: true,
    phase: 'queue',
    salesStartAt: null,
    preQueueOpensAt: null,
    joined: 100,
    watermark: 10,
    lottery: null,
    admitRatePerMinute: 60,
    activeShoppers: 10,
    activeLimit: 10,
    admitPerMinute: 60,
    asOf: '2027-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('standingOf', () => {
  it('asks the DO only at or below the watermark', () => {
    expect(standingOf(room(), 10)).toEqual({ kind: 'admittable', rank: 10 });
    expect(standingOf(room(), 11)).toEqual({ kind: 'waiting', rank: 11 });
    expect(standingOf(room({ phase: 'pre_queue', watermark: 0 }), 1)).toEqual({
      kind: 'pre_queue',
    });
    expect(standingOf(room({ active: false, phase: 'off' }), 50)).toEqual({ kind: 'free' });
  });

  it('ranks by the lottery for the pre-queue and by arrival after it', () => {
    const lottery = { seed: 12345, size: 50 };
    const drawn = room({ lottery, watermark: 0 });
    const ranks = Array.from({ length: 50 }, (_, i) => {
      const standing = standingOf(drawn, i + 1);
      return standing.kind === 'waiting' ? standing.rank : -1;
    });
    expect(ranks).toEqual(Array.from({ length: 50 }, (_, i) => rankOf(i + 1, lottery)));
    expect(standingOf(drawn, 51)).toEqual({ kind: 'waiting', rank: 51 });
  });
});

describe('waitingView', () => {
  it('position, people ahead, eta from the observed rate, and the queue length', () => {
    const view = waitingView(room(), { seq: 40, joinedAtWatermark: 0 }, 'tok');
    expect(view).toMatchObject({
      state: 'waiting',
      position: 30,
      peopleAhead: 29,
      etaSeconds: 29,
      queueLength: 90,
      pollAfterSeconds: expect.any(Number),
    });
  });

  it('falls back to the configured rate before any admission was observed', () => {
    const view = waitingView(
      room({ admitRatePerMinute: 0, admitPerMinute: 600, watermark: 0 }),
      { seq: 101, joinedAtWatermark: 0 },
      'tok',
    );
    expect(view.etaSeconds).toBe(10);
  });

  it('the pre-queue has no position yet and waits until sales open', () => {
    const now = Date.parse('2027-01-01T00:00:00Z');
    const view = waitingView(
      room({ phase: 'pre_queue', watermark: 0, salesStartAt: '2027-01-01T00:05:00Z' }),
      { seq: 3, joinedAtWatermark: 0 },
      'tok',
      now,
    );
    expect(view).toMatchObject({ position: null, peopleAhead: null, etaSeconds: 300 });
  });

  it('admitted: position 0, progress 1, and the admission when there is one', () => {
    const grant = { token: 'adm', expiresAt: '2027-01-01T00:15:00Z' };
    expect(admittedView(room(), 'tok', grant)).toMatchObject({
      state: 'admitted',
      position: 0,
      progress: 1,
      admissionToken: 'adm',
      admissionExpiresAt: grant.expiresAt,
    });
    expect(admittedView(room(), 'tok').admissionToken).toBeUndefined();
  });
});

describe('progressOf', () => {
  it('runs from 0 at joining to just under 1 at the front', () => {
    expect(progressOf(101, 50, 50)).toBe(0);
    expect(progressOf(101, 75, 50)).toBe(0.49);
    expect(progressOf(101, 100, 50)).toBe(0.98);
    expect(progressOf(101, 101, 50)).toBe(1);
  });

  it('the first in line starts empty; a late joiner never starts full', () => {
    expect(progressOf(1, 0, 0)).toBe(0);
    expect(progressOf(10_001, 10_000, 10_000)).toBe(0);
  });
});
