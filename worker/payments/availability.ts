import { isDevelopment, optionalSetting } from '../config';
import type { ProviderName } from './provider';

/**
 * Whether, and through whom, this deployment takes payments. The sandbox lets a buyer mark
 * their own order paid, so outside development it is used only when the operator opts in
 * (`ALLOW_SANDBOX_PAYMENTS = "true"`, for a demo or staging); then every hosted page and buyer
 * email says so. Without Stripe and without the opt-in there is no provider: checkout answers
 * 503 `payments_not_configured` and the sandbox's routes answer 404.
 */
export interface PaymentsSetup {
  /** Null: no payment can be taken here. */
  provider: ProviderName | null;
  /** Payments here move no real money and must be shown as such (the sandbox by opt-in). */
  testPayments: boolean;
}

/** The words every hosted page and buyer email shows while payments are test payments. */
export const TEST_PAYMENTS_NOTICE =
  'TEST PAYMENTS — no real money; this deployment uses the sandbox';

/** The only value that opts in: anything else (a typo, "1", "yes") leaves the sandbox off. */
const OPT_IN = 'true';

export function sandboxOptedIn(env: Env): boolean {
  return optionalSetting(env, 'ALLOW_SANDBOX_PAYMENTS') === OPT_IN;
}

export function paymentsSetup(env: Env): PaymentsSetup {
  if (optionalSetting(env, 'STRIPE_SECRET_KEY')) {
    // A key without its webhook secret could charge buyers but never confirm an order; one
    // without the publishable key could create payments no browser can pay.
    const complete =
      optionalSetting(env, 'STRIPE_WEBHOOK_SECRET') !== undefined &&
      optionalSetting(env, 'STRIPE_PUBLISHABLE_KEY') !== undefined;
    return { provider: complete ? 'stripe' : null, testPayments: false };
  }
  if (isDevelopment(env)) return { provider: 'sandbox', testPayments: false };
  if (sandboxOptedIn(env)) return { provider: 'sandbox', testPayments: true };
  return { provider: null, testPayments: false };
}

/** An order paid through the sandbox outside development: its emails carry the banner too. */
export function isShownAsTestPayment(env: Env, orderProvider: string): boolean {
  return orderProvider === 'sandbox' && !isDevelopment(env);
}

/** The settings this deployment lacks to take real payments and link to itself. */
export function missingSettings(env: Env): string[] {
  const missing: string[] = [];
  const hasStripeKey = optionalSetting(env, 'STRIPE_SECRET_KEY') !== undefined;
  const development = isDevelopment(env);
  if (!hasStripeKey && !development && !sandboxOptedIn(env)) missing.push('STRIPE_SECRET_KEY');
  if (
    optionalSetting(env, 'STRIPE_WEBHOOK_SECRET') === undefined &&
    (hasStripeKey || missing.length > 0)
  ) {
    missing.push('STRIPE_WEBHOOK_SECRET');
  }
  if (hasStripeKey && optionalSetting(env, 'STRIPE_PUBLISHABLE_KEY') === undefined) {
    missing.push('STRIPE_PUBLISHABLE_KEY');
  }
  if (!development && !optionalSetting(env, 'PUBLIC_ORIGIN')) missing.push('PUBLIC_ORIGIN');
  return missing;
}

export interface SettingsReport {
  level: 'warn' | 'error';
  line: Record<string, unknown>;
}

/** What the log should say about this deployment's settings, or null when all is well. */
export function settingsReport(env: Env): SettingsReport | null {
  const setup = paymentsSetup(env);
  const missing = missingSettings(env);
  const environment: string = env.ENVIRONMENT;
  if (!setup.provider) {
    return {
      level: 'error',
      line: {
        level: 'error',
        message:
          'payments are not configured: checkout answers 503 payments_not_configured. Set the Stripe secrets, or ALLOW_SANDBOX_PAYMENTS = "true" for a demo without real money.',
        environment,
        missing,
      },
    };
  }
  if (!setup.testPayments && missing.length === 0) return null;
  return {
    level: 'warn',
    line: {
      level: 'warn',
      message: setup.testPayments
        ? 'TEST PAYMENTS: the sandbox takes payments here (ALLOW_SANDBOX_PAYMENTS); no real money moves'
        : 'settings missing: links in emails cannot be built (PUBLIC_ORIGIN)',
      environment,
      missing,
    },
  };
}

const reported = new Set<string>();
/** A deployment's env is one object per isolate: after the first look, nothing to compute. */
const checked = new WeakSet<Env>();

/**
 * Logs `settingsReport` once per isolate (per distinct report, so a test that swaps the
 * environment still sees its own). Called on the first request, queue batch and cron run.
 */
export function reportSettingsOnce(env: Env): void {
  if (checked.has(env)) return;
  checked.add(env);
  const report = settingsReport(env);
  if (!report) return;
  const text = JSON.stringify(report.line);
  if (reported.has(text)) return;
  reported.add(text);
  if (report.level === 'error') console.error(text);
  else console.warn(text);
}
