import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ConnectAccountRow } from '../connect/accounts';
import { liveSalesMissing, providerForOrder, settingsReport } from './availability';

const as = (settings: Record<string, string>): Env => ({ ...env, ...settings });
const LIVE = {
  STRIPE_SECRET_KEY: 'sk_live_0123456789abcdef',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefgh',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_0123456789abcdef',
};
const TEST = {
  STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefgh',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_0123456789abcdef',
};
const PRODUCTION = { ENVIRONMENT: 'production' };
const DEVELOPMENT = { ENVIRONMENT: 'development' };

describe('providerForOrder: chosen per order from the event test mode', () => {
  it.each([
    ['development, no Stripe, live event', DEVELOPMENT, false, 'sandbox'],
    ['development, no Stripe, test event', DEVELOPMENT, true, 'sandbox'],
    ['development, Stripe test keys, live event', { ...DEVELOPMENT, ...TEST }, false, 'stripe'],
    ['production, no Stripe, live event', PRODUCTION, false, null],
    ['production, no Stripe, test event', PRODUCTION, true, 'sandbox'],
    ['staging, no Stripe, test event', { ENVIRONMENT: 'staging' }, true, 'sandbox'],
    ['production, live keys, live event', { ...PRODUCTION, ...LIVE }, false, 'stripe'],
    [
      'production, live keys, test event: never real money',
      { ...PRODUCTION, ...LIVE },
      true,
      'sandbox',
    ],
    ['production, test keys, test event', { ...PRODUCTION, ...TEST }, true, 'stripe'],
    ['production, test keys, live event', { ...PRODUCTION, ...TEST }, false, null],
    [
      'production, a live key without its webhook secret',
      { ...PRODUCTION, STRIPE_SECRET_KEY: LIVE.STRIPE_SECRET_KEY },
      false,
      null,
    ],
    [
      'production, a malformed key',
      { ...PRODUCTION, ...LIVE, STRIPE_SECRET_KEY: 'sk_0123456789abcdef' },
      false,
      null,
    ],
    [
      'a live key without the publishable key: no payment form, no live sales',
      {
        ...PRODUCTION,
        STRIPE_SECRET_KEY: LIVE.STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefgh',
      },
      false,
      null,
    ],
    [
      'the old opt-in is no longer read',
      { ...PRODUCTION, ALLOW_SANDBOX_PAYMENTS: 'true' },
      false,
      null,
    ],
  ])('%s', (_name, settings, testMode, provider) => {
    expect(providerForOrder(as(settings), testMode)).toBe(provider);
  });
});

describe('liveSalesMissing: the seam every live sale goes through', () => {
  it('names each missing setting outside development', () => {
    expect(liveSalesMissing(as(PRODUCTION))).toEqual([
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'STRIPE_PUBLISHABLE_KEY',
    ]);
    expect(liveSalesMissing(as({ ...PRODUCTION, ...TEST }))).toEqual([
      'STRIPE_SECRET_KEY (a test key: sk_live_…)',
    ]);
    expect(liveSalesMissing(as({ ...PRODUCTION, ...LIVE }))).toEqual([]);
  });

  it('asks nothing in development (the sandbox stands in)', () => {
    expect(liveSalesMissing(as(DEVELOPMENT))).toEqual([]);
  });
});

describe('settingsReport', () => {
  it('is an error naming the missing settings for production without Stripe and origin', () => {
    const report = settingsReport(as(PRODUCTION));
    expect(report?.level).toBe('error');
    expect(report?.line.missing).toEqual(
      expect.arrayContaining(['STRIPE_SECRET_KEY', 'PUBLIC_ORIGIN', 'MAIL_API_KEY']),
    );
    expect(report?.line.message).toContain('live sales are off');
  });

  it('names the publishable key when Stripe is set up without it', () => {
    const { STRIPE_PUBLISHABLE_KEY: _pk, ...secrets } = LIVE;
    expect(liveSalesMissing(as({ ...PRODUCTION, ...secrets }))).toEqual(['STRIPE_PUBLISHABLE_KEY']);
  });

  it('is quiet for a complete production and for development', () => {
    const complete = {
      ...PRODUCTION,
      ...LIVE,
      STRIPE_PUBLISHABLE_KEY: 'pk_live_0123456789abcdef',
      PUBLIC_ORIGIN: 'https://tickets.example.com',
      MAIL_API_KEY: 're_123',
      MAIL_FROM: 'Tessera <tickets@example.com>',
      DEV_API_KEY: '',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect0123456789abcdef',
    };
    expect(settingsReport(as(complete))).toBeNull();
    expect(settingsReport(as(DEVELOPMENT))).toBeNull();
  });
});

describe('liveSalesMissing with a workspace Connect account', () => {
  const account = (changes: Partial<ConnectAccountRow>): ConnectAccountRow => ({
    organizerId: 'org_1',
    accountId: 'acct_1TLive',
    livemode: true,
    chargesEnabled: true,
    payoutsEnabled: true,
    detailsSubmitted: true,
    currentlyDue: [],
    pastDue: [],
    disabledReason: null,
    stateAt: 0,
    createdAt: '',
    updatedAt: '',
    ...changes,
  });
  const live = as({ ...PRODUCTION, ...LIVE });

  it('asks for an account able to take charges, in words', () => {
    expect(liveSalesMissing(live, null)).toEqual([
      'a Stripe account for payouts (the workspace owner connects one under Payouts)',
    ]);
    expect(
      liveSalesMissing(
        live,
        account({
          chargesEnabled: false,
          pastDue: ['external_account'],
          disabledReason: 'requirements.past_due',
        }),
      ),
    ).toEqual([
      'a Stripe account able to take charges (Stripe still needs a bank account for payouts; Stripe paused the account: information is overdue)',
    ]);
    expect(liveSalesMissing(live, account({ livemode: false }))).toHaveLength(1);
    expect(liveSalesMissing(live, account({}))).toEqual([]);
  });

  it('names a malformed fee setting', () => {
    expect(
      liveSalesMissing(as({ ...PRODUCTION, ...LIVE, PLATFORM_FEE_FIXED_MINOR: '-1' })),
    ).toEqual(['PLATFORM_FEE_FIXED_MINOR (not a whole number: "-1")']);
  });
});
