import type Stripe from 'stripe';
import { problem } from '../domain/errors';
import { stripeStandIns } from '../payments';
import { stripeSettings } from '../payments/availability';
import { newStripeClient, stripeCall } from '../payments/stripe';
import { type AccountSnapshot, accountSnapshotSchema } from './accounts';
import { parseOrThrowError } from './parse';

/**
 * The Stripe Connect calls Tessera makes with the platform's secret key: create an Express
 * account, an onboarding link for it, and read it back. Stripe's errors become 502
 * `payment_provider_error` (payments/stripe.ts: stripeCall).
 */
export class ConnectClient {
  readonly #stripe: Stripe;
  readonly livemode: boolean;

  constructor(secretKey: string, livemode: boolean, apiBaseUrl?: string | undefined) {
    this.#stripe = newStripeClient(secretKey, apiBaseUrl);
    this.livemode = livemode;
  }

  /**
   * An Express account for a workspace, asking for card payments and transfers. The key is
   * the workspace's (and the key mode's): a double click makes one account, not two.
   */
  async createExpressAccount(input: {
    organizerId: string;
    country: string | null;
    email: string;
  }): Promise<AccountSnapshot> {
    const account = await stripeCall(() =>
      this.#stripe.accounts.create(
        {
          type: 'express',
          ...(input.country ? { country: input.country } : {}),
          email: input.email,
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
          metadata: { organizerId: input.organizerId },
        },
        {
          idempotencyKey: `connect-account:${input.organizerId}:${this.livemode ? 'live' : 'test'}`,
        },
      ),
    );
    return parseOrThrowError(accountSnapshotSchema, account, 'Stripe account');
  }

  /** A one-time onboarding link (Stripe: valid for minutes; `refreshUrl` asks for a new one). */
  async onboardingLink(accountId: string, refreshUrl: string, returnUrl: string): Promise<string> {
    const link = await stripeCall(() =>
      this.#stripe.accountLinks.create({
        account: accountId,
        type: 'account_onboarding',
        refresh_url: refreshUrl,
        return_url: returnUrl,
      }),
    );
    return link.url;
  }

  async retrieveAccount(accountId: string): Promise<AccountSnapshot> {
    const account = await stripeCall(() => this.#stripe.accounts.retrieve(accountId));
    return parseOrThrowError(accountSnapshotSchema, account, 'Stripe account');
  }
}

/** The client for this deployment's Stripe key; 503 `connect_not_configured` without one. */
export function connectClient(env: Env): ConnectClient {
  const stripe = stripeSettings(env);
  if (!stripe.secretKey || stripe.mode === null) {
    throw problem(
      'connect_not_configured',
      'Payouts can not be set up on this deployment yet: the operator has not set STRIPE_SECRET_KEY.',
    );
  }
  return new ConnectClient(
    stripe.secretKey,
    stripe.mode === 'live',
    stripeStandIns(env).apiBaseUrl,
  );
}
