import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { missingSettings, paymentsSetup, settingsReport } from './availability';

const as = (settings: Record<string, string>): Env => ({ ...env, ...settings });
const STRIPE = {
  STRIPE_SECRET_KEY: 'sk_test_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
};
const ORIGIN = { PUBLIC_ORIGIN: 'https://tickets.example.com' };

describe('paymentsSetup', () => {
  it.each([
    ['development, no Stripe', { ENVIRONMENT: 'development' }, 'sandbox', false],
    ['production, no Stripe', { ENVIRONMENT: 'production' }, null, false],
    ['staging, no Stripe', { ENVIRONMENT: 'staging' }, null, false],
    [
      'production, opted in',
      { ENVIRONMENT: 'production', ALLOW_SANDBOX_PAYMENTS: 'true' },
      'sandbox',
      true,
    ],
    [
      'production, opt-in "1"',
      { ENVIRONMENT: 'production', ALLOW_SANDBOX_PAYMENTS: '1' },
      null,
      false,
    ],
    ['production, Stripe', { ENVIRONMENT: 'production', ...STRIPE }, 'stripe', false],
    [
      'production, Stripe beside the opt-in',
      { ENVIRONMENT: 'production', ALLOW_SANDBOX_PAYMENTS: 'true', ...STRIPE },
      'stripe',
      false,
    ],
    [
      'development, a Stripe key without its webhook secret',
      { ENVIRONMENT: 'development', STRIPE_SECRET_KEY: 'sk_test_x' },
      null,
      false,
    ],
    [
      'production, Stripe secrets without the publishable key',
      { ENVIRONMENT: 'production', STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'w' },
      null,
      false,
    ],
  ])('%s', (_name, settings, provider, testPayments) => {
    expect(paymentsSetup(as(settings))).toEqual({ provider, testPayments });
  });
});

describe('missingSettings and the report', () => {
  it('names Stripe and PUBLIC_ORIGIN for production without them, as an error', () => {
    const production = as({ ENVIRONMENT: 'production' });
    expect(missingSettings(production)).toEqual([
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'PUBLIC_ORIGIN',
    ]);
    expect(settingsReport(production)?.level).toBe('error');
  });

  it('names the publishable key when Stripe is set up without it', () => {
    const { STRIPE_PUBLISHABLE_KEY: _pk, ...secrets } = STRIPE;
    expect(missingSettings(as({ ENVIRONMENT: 'production', ...secrets, ...ORIGIN }))).toEqual([
      'STRIPE_PUBLISHABLE_KEY',
    ]);
  });

  it('is quiet for a complete production and for development', () => {
    expect(settingsReport(as({ ENVIRONMENT: 'production', ...STRIPE, ...ORIGIN }))).toBeNull();
    expect(settingsReport(as({ ENVIRONMENT: 'development' }))).toBeNull();
  });

  it('warns while the sandbox takes payments by opt-in', () => {
    const demo = as({ ENVIRONMENT: 'staging', ALLOW_SANDBOX_PAYMENTS: 'true', ...ORIGIN });
    expect(missingSettings(demo)).toEqual([]);
    expect(settingsReport(demo)).toMatchObject({ level: 'warn', line: { missing: [] } });
  });
});
