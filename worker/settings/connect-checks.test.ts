import { describe, expect, it } from 'vitest';
import { checkSettings } from './checks';

/** The Stripe Connect and platform-fee settings in `checkSettings` (doctor and startup log). */
const issuesOf = (values: Record<string, string>, environment = 'production') =>
  checkSettings({ environment, values })
    .filter((i) => /CONNECT|OPERATOR|PLATFORM_FEE|REFUND_APPLICATION/.test(i.setting))
    .map((i) => `${i.setting} ${i.level}`);

const LIVE_KEY = { STRIPE_SECRET_KEY: 'sk_live_51Habcdefgh' };

describe('checkSettings: Stripe Connect and the platform fee', () => {
  it('warns when Stripe is set up without the Connect endpoint secret (outside development)', () => {
    expect(issuesOf(LIVE_KEY)).toEqual(['STRIPE_CONNECT_WEBHOOK_SECRET warn']);
    expect(issuesOf(LIVE_KEY, 'development')).toEqual([]);
    expect(issuesOf({})).toEqual([]);
  });

  it('flags a Connect secret that is not whsec_', () => {
    expect(issuesOf({ ...LIVE_KEY, STRIPE_CONNECT_WEBHOOK_SECRET: 'secret' })).toEqual([
      'STRIPE_CONNECT_WEBHOOK_SECRET error',
    ]);
  });

  it('flags a short operator key (the operator API stays off)', () => {
    expect(issuesOf({ OPERATOR_API_KEY: 'short' })).toEqual(['OPERATOR_API_KEY error']);
    expect(issuesOf({ OPERATOR_API_KEY: 'k'.repeat(32) })).toEqual([]);
  });

  it('flags malformed fee settings by name', () => {
    expect(
      issuesOf({
        PLATFORM_FEE_PERCENT_BPS: '2.5',
        PLATFORM_FEE_MAX_MINOR: 'lots',
        STRIPE_REFUND_APPLICATION_FEE: 'yes',
      }),
    ).toEqual([
      'PLATFORM_FEE_PERCENT_BPS error',
      'PLATFORM_FEE_MAX_MINOR error',
      'STRIPE_REFUND_APPLICATION_FEE error',
    ]);
    expect(issuesOf({ PLATFORM_FEE_MIN_MINOR: '500', PLATFORM_FEE_MAX_MINOR: '100' })).toEqual([
      'PLATFORM_FEE_* error',
    ]);
  });
});
