import { isDevelopment, optionalSetting } from '../config';
import type { Db } from '../db/client';
import { stripeSettings } from './availability';
import type { PaymentProvider, ProviderName } from './provider';
import { SandboxProvider } from './sandbox';
import { StripeProvider } from './stripe';

export function sandboxProvider(env: Env, db: Db, origin: string): SandboxProvider {
  return new SandboxProvider(db, env.SANDBOX_WEBHOOK_SECRET, origin);
}

/**
 * The provider of that name, or null when it is not set up here. Orders record their
 * provider, so both can be live at once: each settles (and refunds) the orders that used it.
 * The sandbox is always constructed; which orders it may serve is the sandbox gate's call
 * (payments/sandbox-gate.ts). Which provider a new order gets: `providerForOrder`.
 */
export function paymentProvider(
  env: Env,
  db: Db,
  origin: string,
  name: ProviderName,
): PaymentProvider | null {
  if (name === 'sandbox') return sandboxProvider(env, db, origin);
  const stripe = stripeSettings(env);
  return stripe.usable && stripe.secretKey && stripe.webhookSecret
    ? new StripeProvider(stripe.secretKey, stripe.webhookSecret, {
        publishableKey: stripe.publishableKey,
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
