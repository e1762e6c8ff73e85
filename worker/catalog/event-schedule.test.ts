import { describe, expect, it } from 'vitest';
import { instantRangeProblem, scheduleErrors } from './event-schedule';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const paths = (errors: { path: string }[]) => errors.map((e) => e.path);

describe('instantRangeProblem', () => {
  it('accepts dates from 2000 up to ten years ahead', () => {
    for (const iso of ['2000-01-01T00:00:00Z', '2020-05-01T10:00:00Z', '2036-11-30T12:00:00Z']) {
      expect(instantRangeProblem(iso, NOW)).toBeNull();
    }
  });

  it('refuses year 0000, the last century and more than ten years ahead', () => {
    for (const iso of ['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2036-11-30T12:00:01Z']) {
      expect(instantRangeProblem(iso, NOW)).toMatch(/between the year 2000 and 10 years/);
    }
  });
});

describe('scheduleErrors', () => {
  const event = {
    startsAt: '2027-03-01T19:00:00Z',
    endsAt: '2027-03-01T23:00:00Z',
    salesStartAt: null,
    salesEndAt: null,
  };
  const check = (changes: object, startsInFuture = true) =>
    paths(scheduleErrors({ ...event, ...changes }, NOW, { startsInFuture }));

  it('accepts an event ahead with sales up to its end (door sales)', () => {
    expect(check({ salesStartAt: '2026-12-01T00:00:00Z', salesEndAt: event.endsAt })).toEqual([]);
  });

  it('a start that has passed is refused only when the start is being set or published', () => {
    expect(check({ startsAt: '2026-11-30T11:59:59Z', endsAt: null })).toEqual(['startsAt']);
    expect(check({ startsAt: '2026-11-30T11:59:59Z', endsAt: null }, false)).toEqual([]);
  });

  it('the end comes after the start, the sales end after the sales start', () => {
    expect(check({ endsAt: event.startsAt })).toEqual(['endsAt']);
    expect(
      check({ salesStartAt: '2027-01-02T00:00:00Z', salesEndAt: '2027-01-01T00:00:00Z' }),
    ).toEqual(['salesEndAt']);
  });

  it('sales open before, and close by, the end of the event (its start without endsAt)', () => {
    expect(check({ salesStartAt: event.endsAt })).toEqual(['salesStartAt']);
    expect(check({ salesEndAt: '2027-03-01T23:00:01Z' })).toEqual(['salesEndAt']);
    expect(check({ endsAt: null, salesEndAt: '2027-03-01T19:00:01Z' })).toEqual(['salesEndAt']);
    expect(check({ endsAt: null, salesEndAt: event.startsAt })).toEqual([]);
  });

  it('checks only the rules whose dates are given (a patch)', () => {
    expect(
      paths(scheduleErrors({ salesEndAt: '2099-01-01T00:00:00Z' }, NOW, { startsInFuture: true })),
    ).toEqual([]);
  });
});
