import { describe, expect, it } from 'vitest';
import { checkSettings, SETTING_NAMES, type SettingsInput, signingJwkProblem } from './checks';

const JWK = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'pub', d: 'priv', kid: 'k1' });
const HMAC = 'a'.repeat(64);
const SECRETS = {
  TICKET_SIGNING_JWK: JWK,
  SANDBOX_WEBHOOK_SECRET: `whsec_${'b'.repeat(48)}`,
  ORDER_TOKEN_SECRET: HMAC,
  QUEUE_TOKEN_SECRET: HMAC,
  SESSION_SECRET: HMAC,
};
const STRIPE_LIVE = {
  STRIPE_SECRET_KEY: 'sk_live_51Habcdefgh',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdefgh',
  STRIPE_PUBLISHABLE_KEY: 'pk_live_51Habcdefgh',
};
const COMPLETE = {
  ...SECRETS,
  ...STRIPE_LIVE,
  PUBLIC_ORIGIN: 'https://tickets.example.com',
  MAIL_API_KEY: 're_abc',
  MAIL_FROM: 'Tessera <tickets@example.com>',
  STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect0123456789abcdef',
};

const check = (values: Record<string, string>, more: Partial<SettingsInput> = {}) =>
  checkSettings({ environment: 'production', values, ...more });
/** `SETTING level` for each issue, to compare whole lists at a glance. */
const summary = (values: Record<string, string>, more: Partial<SettingsInput> = {}) =>
  check(values, more).map((i) => `${i.setting} ${i.level}`);

describe('checkSettings', () => {
  it('finds nothing wrong with a complete production', () => {
    expect(check(COMPLETE)).toEqual([]);
  });

  it('lists every missing setting of an empty production, errors first', () => {
    expect(summary({})).toEqual([
      'TICKET_SIGNING_JWK error',
      'SANDBOX_WEBHOOK_SECRET error',
      'ORDER_TOKEN_SECRET error',
      'QUEUE_TOKEN_SECRET error',
      'SESSION_SECRET error',
      'PUBLIC_ORIGIN error',
      'STRIPE_SECRET_KEY warn',
      'MAIL_API_KEY warn',
    ]);
  });

  it('reads only settings named in SETTING_NAMES (what the Worker and the doctor collect)', () => {
    const complete = {
      ...COMPLETE,
      SIGNUP_MODE: 'open',
      DEV_API_KEY: 'k',
      ALLOW_SANDBOX_PAYMENTS: '1',
    };
    const reported = Object.keys(complete).concat(
      summary({}).map((line) => line.split(' ')[0] ?? ''),
    );
    for (const name of reported) expect(SETTING_NAMES).toContain(name);
  });

  it('asks neither Stripe, PUBLIC_ORIGIN nor mail in development', () => {
    expect(check(SECRETS, { environment: 'development' })).toEqual([]);
  });

  it.each([
    ['a malformed secret key', { STRIPE_SECRET_KEY: 'sk_51Habcdefgh' }, 'STRIPE_SECRET_KEY error'],
    [
      'a malformed webhook secret',
      { STRIPE_WEBHOOK_SECRET: 'secret' },
      'STRIPE_WEBHOOK_SECRET error',
    ],
    [
      'a malformed publishable key',
      { STRIPE_PUBLISHABLE_KEY: 'pub' },
      'STRIPE_PUBLISHABLE_KEY error',
    ],
    [
      'a test publishable key beside a live secret key',
      { STRIPE_PUBLISHABLE_KEY: 'pk_test_51Habcdefgh' },
      'STRIPE_PUBLISHABLE_KEY error',
    ],
    [
      'test keys in production (only test-mode events can sell)',
      { STRIPE_SECRET_KEY: 'sk_test_51Habcdefgh', STRIPE_PUBLISHABLE_KEY: 'pk_test_51Habcdefgh' },
      'STRIPE_SECRET_KEY warn',
    ],
    ['an http origin', { PUBLIC_ORIGIN: 'http://tickets.example.com' }, 'PUBLIC_ORIGIN error'],
    [
      'an origin with a path',
      { PUBLIC_ORIGIN: 'https://example.com/tickets' },
      'PUBLIC_ORIGIN error',
    ],
    ['an origin that is no URL', { PUBLIC_ORIGIN: 'tickets.example.com' }, 'PUBLIC_ORIGIN error'],
    ['a mail sender that is no address', { MAIL_FROM: 'Tessera' }, 'MAIL_FROM error'],
    ['a short session secret', { SESSION_SECRET: 'short' }, 'SESSION_SECRET error'],
    [
      'a sandbox secret without whsec_',
      { SANDBOX_WEBHOOK_SECRET: HMAC },
      'SANDBOX_WEBHOOK_SECRET error',
    ],
    ['the retired opt-in', { ALLOW_SANDBOX_PAYMENTS: 'true' }, 'ALLOW_SANDBOX_PAYMENTS warn'],
    ['an unknown signup mode', { SIGNUP_MODE: 'everyone' }, 'SIGNUP_MODE warn'],
    ['a short operator key', { OPERATOR_API_KEY: 'op_short' }, 'OPERATOR_API_KEY error'],
  ])('flags %s', (_name, change, expected) => {
    expect(summary({ ...COMPLETE, ...change })).toEqual([expected]);
  });

  it('flags a Stripe key without its webhook secret, and mail half set', () => {
    const { STRIPE_WEBHOOK_SECRET: _w, MAIL_FROM: _f, ...rest } = COMPLETE;
    expect(summary(rest)).toEqual(['STRIPE_WEBHOOK_SECRET error', 'MAIL_FROM error']);
  });

  it('does not call secrets missing when it can not see them (doctor --env production)', () => {
    expect(
      summary(
        { PUBLIC_ORIGIN: 'https://tickets.example.com', MAIL_FROM: 'a@example.com' },
        { secretsVisible: false },
      ),
    ).toEqual([]);
  });

  it('warns about an unknown ENVIRONMENT (it is treated as not development)', () => {
    expect(summary(COMPLETE, { environment: 'prod' })).toEqual(['ENVIRONMENT warn']);
  });
});

describe('signingJwkProblem', () => {
  it.each([
    ['not JSON', '{', 'is not JSON'],
    [
      'an RSA key',
      JSON.stringify({ kty: 'RSA', kid: 'k' }),
      'key 0 is not an Ed25519 key (kty "OKP", crv "Ed25519")',
    ],
    ['no kid', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'a', d: 'b' }), 'key 0 has no kid'],
    [
      'a public key first',
      JSON.stringify([{ kty: 'OKP', crv: 'Ed25519', x: 'a', kid: 'k' }]),
      'the first key must be the private key (d)',
    ],
  ])('%s', (_name, value, problem) => {
    expect(signingJwkProblem(value)).toBe(problem);
  });

  it('accepts one private key, or a list whose first key is private', () => {
    const publicKey = { kty: 'OKP', crv: 'Ed25519', x: 'old', kid: 'k0' };
    expect(signingJwkProblem(JWK)).toBeNull();
    expect(signingJwkProblem(JSON.stringify([JSON.parse(JWK), publicKey]))).toBeNull();
  });
});
