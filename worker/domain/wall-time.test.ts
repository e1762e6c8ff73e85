import { describe, expect, it } from 'vitest';
import { fromWallTime, toWallTime } from './wall-time';

describe('wall times in a time zone', () => {
  it('reads an instant as the local time at the venue, in winter and in summer', () => {
    expect(toWallTime('2027-03-01T19:00:00Z', 'Europe/Berlin')).toBe('2027-03-01T20:00');
    expect(toWallTime('2027-07-01T19:00:00Z', 'Europe/Berlin')).toBe('2027-07-01T21:00');
    expect(toWallTime('2027-07-01T19:00:00Z', 'America/New_York')).toBe('2027-07-01T15:00');
    expect(toWallTime('2027-07-01T19:30:00Z', 'Asia/Kolkata')).toBe('2027-07-02T01:00');
  });

  it('turns a wall time back into the same instant', () => {
    for (const [iso, tz] of [
      ['2027-03-01T19:00:00.000Z', 'Europe/Berlin'],
      ['2027-07-01T19:00:00.000Z', 'Europe/Berlin'],
      ['2027-12-31T23:45:00.000Z', 'Pacific/Auckland'],
      ['2027-01-15T08:00:00.000Z', 'UTC'],
    ] as const) {
      expect(fromWallTime(toWallTime(iso, tz), tz)).toBe(iso);
    }
  });

  it('moves a time skipped by the spring-forward jump to just after it', () => {
    // Berlin jumps from 02:00 to 03:00 on 28 March 2027.
    expect(fromWallTime('2027-03-28T02:30', 'Europe/Berlin')).toBe('2027-03-28T01:30:00.000Z');
  });

  it('takes the first of two identical wall times at the fall-back', () => {
    // Berlin repeats 02:00-03:00 on 31 October 2027: first in summer time (UTC+2).
    expect(fromWallTime('2027-10-31T02:30', 'Europe/Berlin')).toBe('2027-10-31T00:30:00.000Z');
  });

  it('refuses what is not a wall time', () => {
    for (const bad of ['', '2027-02-30T10:00', '2027-01-01T24:00', '2027-01-01 10:00', 'soon']) {
      expect(fromWallTime(bad, 'Europe/Berlin')).toBeNull();
    }
  });
});
