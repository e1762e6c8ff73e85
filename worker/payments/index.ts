import { isDevelopment, optionalSetting } from '../config';
import type { Db } from '../db/client';
import { paymentsSetup } from './availability';
import type { PaymentProvider, ProviderName } from './provider';
import { SandboxProvider } from './sandbox';
import { StripeProvider } from './stripe';

/**
 * Stripe when its secrets are configured; otherwise the sandbox, in development or by the
 * operator's opt-in; otherwise none (see `paymentsSetup`).
 */
export function activeProviderName(env: Env): ProviderName | null {
  return paymentsSetup(env).provider;
}

export function sandboxProvider(env: Env, db: Db, origin: string): SandboxProvider {
  return new SandboxProvider(db, env.SANDBOX_WEBHOOK_SECRET, origin);
}

/** The provider for a name, or null when that provider is not enabled here. */
export function paymentProvider(
  env: Env,
  db: Db,
  origin: string,
  name: ProviderName | null = activeProviderName(env),
): PaymentProvider | null {
  if (!name || name !== activeProviderName(env)) return null;
  if (name === 'sandbox') return sandboxProvider(env, db, origin);
  const secretKey = optionalSetting(env, 'STRIPE_SECRET_KEY');
  const webhookSecret = optionalSetting(env, 'STRIPE_WEBHOOK_SECRET');
  return secretKey && webhookSecret
    ? new StripeProvider(secretKey, webhookSecret, {
        publishableKey: optionalSetting(env, 'STRIPE_PUBLISHABLE_KEY'),
        ...stripeStandIns(env),
      })
    : null;
}

/**
 * `STRIPE_API_URL` and `STRIPE_JS_URL` point Stripe's API and Stripe.js at local stand-ins
 * (the browser tests' harness). Honoured only in development: anywhere else they are ignored
 * and logged, so a stray setting can never send card data or API calls elsewhere.
 */
export function stripeStandIns(env: Env): { apiBaseUrl?: string; stripeJsUrl?: string } {
  const apiBaseUrl = optionalSetting(env, 'STRIPE_API_URL');
  const stripeJsUrl = optionalSetting(env, 'STRIPE_JS_URL');
  if (!apiBaseUrl && !stripeJsUrl) return {};
  if (!isDevelopment(env)) {
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'STRIPE_API_URL / STRIPE_JS_URL are development-only settings: ignored here',
      }),
    );
    return {};
  }
  return { ...(apiBaseUrl ? { apiBaseUrl } : {}), ...(stripeJsUrl ? { stripeJsUrl } : {}) };
}
