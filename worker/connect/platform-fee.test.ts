import { describe, expect, it } from 'vitest';
import {
  applicationFeeMinor,
  defaultPlatformFee,
  type PlatformFee,
  platformFeeProblem,
  refundApplicationFeeSetting,
} from './platform-fee';

const fee = (changes: Partial<PlatformFee> = {}): PlatformFee => ({
  percentBps: 250,
  fixedMinor: 30,
  minMinor: 0,
  maxMinor: null,
  ...changes,
});

describe('applicationFeeMinor', () => {
  it('is the percentage plus the fixed part', () => {
    // 2.5 % of 7,800 is 195; + 30.
    expect(applicationFeeMinor(7800, fee())).toBe(225);
  });

  it('rounds the percentage half up on whole minor units', () => {
    // 2.5 % of 1,990 = 49.75 -> 50; of 1,980 = 49.5 -> 50; of 1,979 = 49.475 -> 49.
    expect(applicationFeeMinor(1990, fee({ fixedMinor: 0 }))).toBe(50);
    expect(applicationFeeMinor(1980, fee({ fixedMinor: 0 }))).toBe(50);
    expect(applicationFeeMinor(1979, fee({ fixedMinor: 0 }))).toBe(49);
  });

  it('is raised to the minimum and cut to the maximum', () => {
    expect(applicationFeeMinor(100, fee({ minMinor: 50 }))).toBe(50);
    expect(applicationFeeMinor(1_000_000, fee({ maxMinor: 1000 }))).toBe(1000);
  });

  it('is never more than the amount, whatever the minimum and fixed part say', () => {
    expect(applicationFeeMinor(20, fee({ minMinor: 50 }))).toBe(20);
    expect(applicationFeeMinor(10, fee())).toBe(10);
    expect(applicationFeeMinor(0, fee({ minMinor: 50 }))).toBe(0);
  });

  it('works in whole yen for a zero-decimal currency (the units are the order’s own)', () => {
    // ¥1,500 at 2.5 % + ¥30: 37.5 -> 38, + 30.
    expect(applicationFeeMinor(1500, fee())).toBe(68);
  });

  it('stays exact at the largest payment (no float drift)', () => {
    expect(applicationFeeMinor(99_999_999, fee({ fixedMinor: 0, percentBps: 1 }))).toBe(10_000);
    expect(applicationFeeMinor(99_999_999, fee({ fixedMinor: 0, percentBps: 10_000 }))).toBe(
      99_999_999,
    );
  });

  it('refuses a negative or fractional amount', () => {
    expect(() => applicationFeeMinor(-1, fee())).toThrow(RangeError);
    expect(() => applicationFeeMinor(1.5, fee())).toThrow(RangeError);
  });
});

describe('platformFeeProblem', () => {
  it.each([
    [fee({ percentBps: 10_001 }), /percentBps/],
    [fee({ percentBps: -1 }), /percentBps/],
    [fee({ fixedMinor: 0.5 }), /fixedMinor/],
    [fee({ minMinor: -5 }), /minMinor/],
    [fee({ minMinor: 100, maxMinor: 50 }), /below minMinor/],
  ])('names what is wrong with %o', (input, message) => {
    expect(platformFeeProblem(input)).toMatch(message);
  });

  it('accepts a sound fee', () => {
    expect(platformFeeProblem(fee({ minMinor: 50, maxMinor: 50 }))).toBeNull();
  });
});

describe('defaultPlatformFee (the PLATFORM_FEE_* settings)', () => {
  it('reads every setting; unset ones are 0 and no maximum', () => {
    expect(defaultPlatformFee({})).toEqual({
      ok: true,
      fee: { percentBps: 0, fixedMinor: 0, minMinor: 0, maxMinor: null },
    });
    expect(
      defaultPlatformFee({
        PLATFORM_FEE_PERCENT_BPS: '250',
        PLATFORM_FEE_FIXED_MINOR: '30',
        PLATFORM_FEE_MIN_MINOR: '50',
        PLATFORM_FEE_MAX_MINOR: '2000',
      }),
    ).toEqual({ ok: true, fee: { percentBps: 250, fixedMinor: 30, minMinor: 50, maxMinor: 2000 } });
  });

  it('is unusable when a setting is malformed, naming it', () => {
    expect(defaultPlatformFee({ PLATFORM_FEE_PERCENT_BPS: '2.5%' })).toEqual({
      ok: false,
      problems: ['PLATFORM_FEE_PERCENT_BPS (not a whole number: "2.5%")'],
    });
    expect(defaultPlatformFee({ PLATFORM_FEE_PERCENT_BPS: '20000' })).toMatchObject({
      ok: false,
    });
  });
});

describe('refundApplicationFeeSetting', () => {
  it('defaults to true and reads true/false; anything else is malformed', () => {
    expect(refundApplicationFeeSetting(undefined)).toBe(true);
    expect(refundApplicationFeeSetting('false')).toBe(false);
    expect(refundApplicationFeeSetting('true')).toBe(true);
    expect(refundApplicationFeeSetting('no')).toBeNull();
  });
});
