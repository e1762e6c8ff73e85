/**
 * Every setting a deployment needs, checked in one pure function: the Worker's startup log
 * (payments/availability.ts: reportSettingsOnce) and `npm run doctor` (scripts/doctor.mjs)
 * both call it. No Workers or Node APIs here, so both can load it.
 */

export type IssueLevel = 'error' | 'warn';

export interface SettingIssue {
  /** The setting's name (`STRIPE_SECRET_KEY`), as the operator sets it. */
  setting: string;
  level: IssueLevel;
  message: string;
}

export interface SettingsInput {
  /** `ENVIRONMENT`: `development`, `staging` or `production`. */
  environment: string;
  values: Readonly<Record<string, string | undefined>>;
  /**
   * False when the caller cannot see deployed secrets (the doctor reading wrangler.toml for
   * `--env production`): absent secrets are then unknown, not missing.
   */
  secretsVisible?: boolean;
}

/** The secrets `wrangler.toml` requires: the Worker does not start right without them. */
export const REQUIRED_SECRETS = [
  'TICKET_SIGNING_JWK',
  'SANDBOX_WEBHOOK_SECRET',
  'ORDER_TOKEN_SECRET',
  'QUEUE_TOKEN_SECRET',
  'SESSION_SECRET',
] as const;

/** The settings that are secrets (`wrangler secret put`); the rest are vars. */
export const SECRET_SETTINGS: readonly string[] = [
  ...REQUIRED_SECRETS,
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'MAIL_API_KEY',
  'DEV_API_KEY',
  'OPERATOR_API_KEY',
];

/** HMAC keys shorter than this are guessable in practice (README "Deploy" makes 64 hex). */
export const MIN_HMAC_SECRET_LENGTH = 32;

export type StripeKeyMode = 'live' | 'test';

/** `sk_live_…` / `sk_test_…` (or a restricted `rk_` key): its mode, or null when malformed. */
export function stripeSecretKeyMode(value: string): StripeKeyMode | null {
  const match = /^(?:sk|rk)_(live|test)_[0-9A-Za-z]{8,}$/.exec(value);
  return match ? (match[1] as StripeKeyMode) : null;
}

export function stripePublishableKeyMode(value: string): StripeKeyMode | null {
  const match = /^pk_(live|test)_[0-9A-Za-z]{8,}$/.exec(value);
  return match ? (match[1] as StripeKeyMode) : null;
}

export const isWebhookSecret = (value: string): boolean =>
  /^whsec_[0-9A-Za-z+/=]{16,}$/.test(value);

/** An `https://host[:port]` origin with nothing after it (http only for localhost). */
export function originProblem(value: string, requireHttps: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (
    url.origin === 'null' ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    return `must be an origin only, e.g. https://tickets.example.com (got ${JSON.stringify(value)})`;
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && (requireHttps || !local)) return 'must use https';
  return null;
}

/** TICKET_SIGNING_JWK: one private Ed25519 JWK with a kid, or an array whose first one is. */
export function signingJwkProblem(value: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return 'is not JSON';
  }
  const keys: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (keys.length === 0) return 'is an empty list';
  for (const [i, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null) return `key ${i} is not a JWK object`;
    const { kty, crv, x, d, kid } = key as Record<string, unknown>;
    if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') {
      return `key ${i} is not an Ed25519 key (kty "OKP", crv "Ed25519")`;
    }
    if (typeof kid !== 'string' || kid === '') return `key ${i} has no kid`;
    if (i === 0 && typeof d !== 'string') return 'the first key must be the private key (d)';
  }
  return null;
}

const MAIL_FROM = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;

/** Every missing or malformed setting, errors first. An empty list: all is well. */
export function checkSettings(input: SettingsInput): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const add = (setting: string, level: IssueLevel, message: string) =>
    issues.push({ setting, level, message });
  const get = (name: string): string | undefined => {
    const value = input.values[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const secretsVisible = input.secretsVisible ?? true;
  const development = input.environment === 'development';

  if (!['development', 'staging', 'production'].includes(input.environment)) {
    add('ENVIRONMENT', 'warn', `"${input.environment}" is unknown: treated as not development`);
  }
  checkRequiredSecrets(get, add, secretsVisible);
  checkStripe(get, add, { development, secretsVisible });

  const origin = get('PUBLIC_ORIGIN');
  if (origin === undefined) {
    if (!development) add('PUBLIC_ORIGIN', 'error', 'not set: links in emails cannot be built');
  } else {
    const problem = originProblem(origin, !development);
    if (problem) add('PUBLIC_ORIGIN', 'error', problem);
  }

  const mailKey = get('MAIL_API_KEY');
  const mailFrom = get('MAIL_FROM');
  if (mailFrom !== undefined && !MAIL_FROM.test(mailFrom)) {
    add('MAIL_FROM', 'error', 'must be an address, or "Name <address>"');
  }
  if (mailFrom !== undefined && mailKey === undefined && secretsVisible) {
    add('MAIL_API_KEY', 'error', 'MAIL_FROM is set without MAIL_API_KEY: no mail is sent');
  } else if (mailKey !== undefined && mailFrom === undefined) {
    add('MAIL_FROM', 'error', 'MAIL_API_KEY is set without MAIL_FROM: no mail is sent');
  } else if (mailFrom === undefined && !development) {
    add('MAIL_API_KEY', 'warn', 'mail not configured: sign-in links and tickets are not sent');
  }

  const signup = get('SIGNUP_MODE');
  if (signup !== undefined && signup !== 'open' && signup !== 'invite_only') {
    add('SIGNUP_MODE', 'warn', `"${signup}" is unknown: treated as invite_only`);
  }
  if (get('ALLOW_SANDBOX_PAYMENTS') !== undefined) {
    add('ALLOW_SANDBOX_PAYMENTS', 'warn', 'no longer read: test mode is set per event');
  }
  const operatorKey = get('OPERATOR_API_KEY');
  if (operatorKey !== undefined && operatorKey.length < MIN_HMAC_SECRET_LENGTH) {
    // http/operator-auth.ts treats it as unset: the operator's routes stay closed (404).
    add(
      'OPERATOR_API_KEY',
      'error',
      `shorter than ${MIN_HMAC_SECRET_LENGTH} characters: the operator routes stay closed`,
    );
  }
  if (get('DEV_API_KEY') !== undefined && !development) {
    add('DEV_API_KEY', 'warn', 'ignored outside development');
  }
  return [
    ...issues.filter((i) => i.level === 'error'),
    ...issues.filter((i) => i.level === 'warn'),
  ];
}

type Get = (name: string) => string | undefined;
type Add = (setting: string, level: IssueLevel, message: string) => void;

function checkRequiredSecrets(get: Get, add: Add, secretsVisible: boolean): void {
  for (const name of REQUIRED_SECRETS) {
    const value = get(name);
    if (value === undefined) {
      if (secretsVisible) add(name, 'error', 'required secret not set');
      continue;
    }
    if (name === 'TICKET_SIGNING_JWK') {
      const problem = signingJwkProblem(value);
      if (problem) add(name, 'error', problem);
    } else if (name === 'SANDBOX_WEBHOOK_SECRET') {
      if (!isWebhookSecret(value)) add(name, 'error', 'must be whsec_ and 16+ characters');
    } else if (value.length < MIN_HMAC_SECRET_LENGTH) {
      add(name, 'error', `must be at least ${MIN_HMAC_SECRET_LENGTH} characters`);
    }
  }
}

function checkStripe(
  get: Get,
  add: Add,
  { development, secretsVisible }: { development: boolean; secretsVisible: boolean },
): void {
  const key = get('STRIPE_SECRET_KEY');
  const webhook = get('STRIPE_WEBHOOK_SECRET');
  const publishable = get('STRIPE_PUBLISHABLE_KEY');
  const keyMode = key === undefined ? null : stripeSecretKeyMode(key);
  const publishableMode = publishable === undefined ? null : stripePublishableKeyMode(publishable);

  if (key === undefined) {
    if (!development && secretsVisible) {
      add(
        'STRIPE_SECRET_KEY',
        'warn',
        'not set: only test-mode events can sell here (live events can not be published)',
      );
    }
  } else if (!keyMode) {
    add('STRIPE_SECRET_KEY', 'error', 'must start with sk_live_ or sk_test_');
  } else if (keyMode === 'test' && !development) {
    add('STRIPE_SECRET_KEY', 'warn', 'a test key: only test-mode events can sell here');
  } else if (keyMode === 'live' && development) {
    add('STRIPE_SECRET_KEY', 'warn', 'a live key in development charges real cards');
  }
  if (webhook === undefined) {
    if (key !== undefined) add('STRIPE_WEBHOOK_SECRET', 'error', 'not set: no order is confirmed');
  } else if (!isWebhookSecret(webhook)) {
    add('STRIPE_WEBHOOK_SECRET', 'error', 'must start with whsec_');
  } else if (key === undefined && secretsVisible) {
    add('STRIPE_WEBHOOK_SECRET', 'warn', 'set without STRIPE_SECRET_KEY: unused');
  }
  if (publishable === undefined) {
    if (key !== undefined) {
      add('STRIPE_PUBLISHABLE_KEY', 'warn', 'not set: the payment form cannot load Stripe.js');
    }
  } else if (!publishableMode) {
    add('STRIPE_PUBLISHABLE_KEY', 'error', 'must start with pk_live_ or pk_test_');
  } else if (keyMode && publishableMode !== keyMode) {
    add(
      'STRIPE_PUBLISHABLE_KEY',
      'error',
      `a ${publishableMode} key beside a ${keyMode} secret key: both must be live or both test`,
    );
  }
}
