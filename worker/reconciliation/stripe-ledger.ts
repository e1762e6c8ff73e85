import Stripe from 'stripe';
import { fromStripeAmount } from '../domain/currency';
import { stripeSettings } from '../payments/availability';
import { stripeStandIns } from '../payments/index';
import { newStripeClient } from '../payments/stripe';

/**
 * Stripe's side of reconciliation, read-only: PaymentIntents and refunds created in a window
 * (every page, `has_more` / `starting_after`), and the fees of a payment from its charge's
 * balance transaction. Amounts come back in Tessera's minor units, currencies upper case.
 */

/** A time window [from, to) in epoch milliseconds; Stripe's `created` filter takes seconds. */
export interface Window {
  fromMs: number;
  toMs: number;
}

export interface LedgerFees {
  balanceTransactionId: string;
  currency: string;
  amountMinor: number;
  stripeFeeMinor: number;
  applicationFeeMinor: number;
  otherFeeMinor: number;
  netMinor: number;
}

export interface LedgerPayment {
  id: string;
  status: Stripe.PaymentIntent.Status;
  amountMinor: number;
  receivedMinor: number;
  currency: string;
  createdMs: number;
  /** `metadata.orderId` as Tessera set it at checkout (absent on anyone else's). */
  orderId: string | null;
  /** Null until the charge has a balance transaction (or when it was not expanded). */
  fees: LedgerFees | null;
}

export interface LedgerRefund {
  id: string;
  paymentIntentId: string | null;
  status: string | null;
  amountMinor: number;
  currency: string;
  createdMs: number;
  orderId: string | null;
}

/** A window never lists more than this many pages (100 objects each); past it, logged. */
export const MAX_PAGES = 100;
const EXPAND_FEES = 'latest_charge.balance_transaction';

export class StripeLedger {
  readonly #stripe: Stripe;

  constructor(secretKey: string, apiBaseUrl?: string) {
    // The same client the payments use: pinned API version, no SDK retries.
    this.#stripe = newStripeClient(secretKey, apiBaseUrl);
  }

  /** Every PaymentIntent created in the window, with its fees where Stripe has them. */
  async *paymentIntents(window: Window): AsyncGenerator<LedgerPayment[]> {
    yield* pages(
      (startingAfter) =>
        this.#stripe.paymentIntents.list({
          created: createdFilter(window),
          limit: 100,
          expand: [`data.${EXPAND_FEES}`],
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        }),
      toLedgerPayment,
    );
  }

  /** Every refund created in the window, whoever made it (Tessera or Stripe's dashboard). */
  async *refunds(window: Window): AsyncGenerator<LedgerRefund[]> {
    yield* pages(
      (startingAfter) =>
        this.#stripe.refunds.list({
          created: createdFilter(window),
          limit: 100,
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        }),
      toLedgerRefund,
    );
  }

  /** One PaymentIntent with its fees; null when Stripe does not know it. */
  async payment(paymentIntentId: string): Promise<LedgerPayment | null> {
    try {
      const pi = await this.#stripe.paymentIntents.retrieve(paymentIntentId, {
        expand: [EXPAND_FEES],
      });
      return toLedgerPayment(pi);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
        return null;
      }
      throw error;
    }
  }
}

/** The ledger of this deployment's Stripe account, or null while Stripe is not set up. */
export function stripeLedger(env: Env): StripeLedger | null {
  const { secretKey, mode } = stripeSettings(env);
  if (!secretKey || mode === null) return null;
  return new StripeLedger(secretKey, stripeStandIns(env).apiBaseUrl);
}

function createdFilter(window: Window): Stripe.RangeQueryParam {
  return { gte: Math.floor(window.fromMs / 1000), lt: Math.ceil(window.toMs / 1000) };
}

async function* pages<S extends { id: string }, T>(
  list: (startingAfter: string | null) => Promise<Stripe.ApiList<S>>,
  convert: (item: S) => T,
): AsyncGenerator<T[]> {
  let startingAfter: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: Stripe.ApiList<S> = await list(startingAfter);
    yield answer.data.map(convert);
    const last = answer.data.at(-1);
    if (!answer.has_more || !last) return;
    startingAfter = last.id;
  }
  console.error(
    JSON.stringify({ level: 'error', message: `Stripe list longer than ${MAX_PAGES} pages` }),
  );
}

function toLedgerPayment(pi: Stripe.PaymentIntent): LedgerPayment {
  const currency = pi.currency.toUpperCase();
  const orderId = pi.metadata?.orderId;
  return {
    id: pi.id,
    status: pi.status,
    amountMinor: fromStripeAmount(pi.amount, currency),
    receivedMinor: fromStripeAmount(pi.amount_received, currency),
    currency,
    createdMs: pi.created * 1000,
    orderId: orderId ? orderId : null,
    fees: feesOf(pi.latest_charge),
  };
}

function toLedgerRefund(refund: Stripe.Refund): LedgerRefund {
  const currency = refund.currency.toUpperCase();
  const orderId = refund.metadata?.orderId;
  const pi = refund.payment_intent;
  return {
    id: refund.id,
    paymentIntentId: typeof pi === 'string' ? pi : (pi?.id ?? null),
    status: refund.status,
    amountMinor: fromStripeAmount(refund.amount, currency),
    currency,
    createdMs: refund.created * 1000,
    orderId: orderId ? orderId : null,
  };
}

/** The fees of an expanded charge's balance transaction, by `fee_details` type. */
function feesOf(charge: string | Stripe.Charge | null): LedgerFees | null {
  if (!charge || typeof charge === 'string') return null;
  const bt = charge.balance_transaction;
  if (!bt || typeof bt === 'string') return null;
  const currency = bt.currency.toUpperCase();
  const sum = (types: string[] | null) =>
    bt.fee_details
      .filter((f) => (types ? types.includes(f.type) : true))
      .reduce((total, f) => total + fromStripeAmount(f.amount, currency), 0);
  const stripeFeeMinor = sum(['stripe_fee']);
  const applicationFeeMinor = sum(['application_fee']);
  return {
    balanceTransactionId: bt.id,
    currency,
    amountMinor: fromStripeAmount(bt.amount, currency),
    stripeFeeMinor,
    applicationFeeMinor,
    otherFeeMinor: sum(null) - stripeFeeMinor - applicationFeeMinor,
    netMinor: fromStripeAmount(bt.net, currency),
  };
}
