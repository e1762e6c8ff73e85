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
    ? new StripeProvider(stripe.secretKey, stripe.webhookSecret)
    : null;
}
