import Stripe from 'stripe';
import { fromStripeAmount, toStripeAmount } from '../domain/currency';
import { problem } from '../domain/errors';
import type {
  CreatedPayment,
  CreatePaymentInput,
  PaymentProvider,
  ProviderEvent,
  RefundInput,
  RetrievedPayment,
} from './provider';
import { RefundDeclined } from './provider';
import { toProviderEvent } from './stripe-events';

/**
 * PaymentProvider backed by Stripe PaymentIntents (automatic payment methods; the buyer
 * pays in Stripe Elements with the returned client secret).
 *
 * Stripe's own errors become one `AppError` (502 `payment_provider_error`) with the
 * original as `cause`; anything else is a bug and is rethrown untouched.
 */
/** What the browser needs besides the client secret, and the development-only stand-ins. */
export interface StripeOptions {
  publishableKey?: string | undefined;
  /** Development only: Stripe's API at another address (the browser tests' stand-in). */
  apiBaseUrl?: string | undefined;
  /** Development only: Stripe.js from another address (the browser tests' stand-in). */
  stripeJsUrl?: string | undefined;
}

/** Stripe's SDK over fetch, pinned to its API version; `apiBaseUrl`: development stand-in. */
export function newStripeClient(secretKey: string, apiBaseUrl?: string | undefined): Stripe {
  const api = apiBaseUrl ? new URL(apiBaseUrl) : null;
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    // The version this SDK was generated for, written out so the recorded shapes in
    // test/fixtures/stripe match what is asked for.
    apiVersion: Stripe.API_VERSION,
    // Stripe retries some failures itself; our callers retry with the same key instead.
    maxNetworkRetries: 0,
    ...(api
      ? {
          host: api.hostname,
          port: api.port || (api.protocol === 'http:' ? '80' : '443'),
          protocol: api.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly #stripe: Stripe;
  readonly #webhookSecret: string;
  readonly #options: StripeOptions;
  // Web Crypto: workerd has no synchronous HMAC, so only the async verify path works.
  readonly #crypto = Stripe.createSubtleCryptoProvider();

  constructor(secretKey: string, webhookSecret: string, options: StripeOptions = {}) {
    // A blank secret would make every webhook look forged (a silent 400); fail loudly instead.
    if (!secretKey.trim() || !webhookSecret.trim()) {
      throw new Error('StripeProvider needs a secret key and a webhook secret');
    }
    this.#stripe = newStripeClient(secretKey, options.apiBaseUrl);
    this.#webhookSecret = webhookSecret;
    this.#options = options;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const pi = await stripeCall(() =>
      this.#stripe.paymentIntents.create(paymentIntentParams(input), {
        idempotencyKey: input.idempotencyKey,
      }),
    );
    if (!pi.client_secret) {
      throw new Error(`Stripe returned PaymentIntent ${pi.id} without a client_secret`);
    }
    const { publishableKey, stripeJsUrl } = this.#options;
    return {
      provider: 'stripe',
      paymentId: pi.id,
      clientSecret: pi.client_secret,
      ...(publishableKey ? { publishableKey } : {}),
      ...(stripeJsUrl ? { stripeJsUrl } : {}),
    };
  }

  async cancelPayment(paymentId: string, idempotencyKey: string): Promise<RetrievedPayment> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = await this.#stripe.paymentIntents.cancel(
        paymentId,
        { cancellation_reason: 'abandoned' },
        { idempotencyKey },
      );
    } catch (err) {
      // Already canceled, succeeded or processing: Stripe refuses with the PaymentIntent
      // attached; its status is the answer (nothing to cancel, or a payment to honour).
      const attached =
        err instanceof Stripe.errors.StripeInvalidRequestError ? err.payment_intent : undefined;
      if (attached && err instanceof Stripe.errors.StripeError) {
        if (err.code === 'payment_intent_unexpected_state') return retrieved(attached);
      }
      throw providerError(err);
    }
    return retrieved(pi);
  }

  async verifyWebhook(
    rawBody: string,
    signatureHeader: string | null,
  ): Promise<ProviderEvent | null> {
    if (!signatureHeader) return null;
    let event: Stripe.Event;
    try {
      event = await this.#stripe.webhooks.constructEventAsync(
        rawBody,
        signatureHeader,
        this.#webhookSecret,
        undefined, // Stripe's default tolerance: 300 s
        this.#crypto,
      );
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError) return null;
      throw err;
    }
    return toProviderEvent('stripe', event);
  }

  async refund(input: RefundInput): Promise<{ refundId: string }> {
    let refund: Stripe.Refund;
    try {
      refund = await this.#stripe.refunds.create(
        {
          payment_intent: input.paymentId,
          // Stripe's minor units: ISK and UGX are two-decimal there (domain/currency.ts).
          amount: toStripeAmount(input.amountMinor, input.currency),
          // The refund webhooks find the claim by it (stripe-events.ts).
          metadata: { orderId: input.orderId, refundId: input.idempotencyKey },
          ...(input.connect
            ? {
                reverse_transfer: true,
                refund_application_fee: input.connect.refundApplicationFee,
              }
            : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
    } catch (err) {
      // A request Stripe rejected (already refunded, amount too large) refunded nothing. An
      // idempotency conflict (same key in flight) or a 5xx/network error leaves it open.
      if (
        err instanceof Stripe.errors.StripeInvalidRequestError ||
        err instanceof Stripe.errors.StripeCardError
      ) {
        throw new RefundDeclined('The payment provider refused the refund.', err);
      }
      throw providerError(err);
    }
    // A refund Stripe accepted counts as done (card refunds are `succeeded` at once; `pending`
    // ones nearly always follow); only an outright `failed`/`canceled` is no refund.
    if (refund.status === 'failed' || refund.status === 'canceled') {
      throw new RefundDeclined(`The payment provider answered the refund as ${refund.status}.`);
    }
    return { refundId: refund.id };
  }

  async retrievePayment(paymentId: string): Promise<RetrievedPayment> {
    const pi = await stripeCall(() => this.#stripe.paymentIntents.retrieve(paymentId));
    const { publishableKey, stripeJsUrl } = this.#options;
    return {
      ...retrieved(pi),
      ...(pi.client_secret ? { clientSecret: pi.client_secret } : {}),
      ...(publishableKey ? { publishableKey } : {}),
      ...(stripeJsUrl ? { stripeJsUrl } : {}),
    };
  }
}

function retrieved(pi: Stripe.PaymentIntent): RetrievedPayment {
  const status = toRetrievedStatus(pi.status);
  const currency = pi.currency.toUpperCase();
  return {
    paymentId: pi.id,
    status,
    amountMinor: fromStripeAmount(
      status === 'succeeded' ? pi.amount_received : pi.amount,
      currency,
    ),
    currency,
  };
}

/**
 * The PaymentIntent we create for an order. A destination charge (Stripe Connect) goes to the
 * organizer's account, settles on their behalf (their statement descriptor, their country's
 * fees) and leaves the platform fee with the platform.
 */
function paymentIntentParams(input: CreatePaymentInput): Stripe.PaymentIntentCreateParams {
  const { destination } = input;
  return {
    ...(destination
      ? {
          transfer_data: { destination: destination.accountId },
          on_behalf_of: destination.accountId,
          application_fee_amount: toStripeAmount(destination.applicationFeeMinor, input.currency),
        }
      : {}),
    // Our minor units are Stripe's except for ISK and UGX (two-decimal at Stripe).
    amount: toStripeAmount(input.amountMinor, input.currency),
    currency: input.currency.toLowerCase(),
    automatic_payment_methods: { enabled: true },
    receipt_email: input.buyerEmail,
    description: input.description,
    // The webhook carries these back: they are how an event finds its order.
    metadata: { orderId: input.orderId, eventId: input.eventId },
    // returnUrl is not sent here: Elements passes it to confirmPayment in the browser.
  };
}

function toRetrievedStatus(status: Stripe.PaymentIntent.Status): RetrievedPayment['status'] {
  switch (status) {
    // A declined attempt also lands in requires_payment_method: the buyer may try again.
    case 'requires_payment_method':
    case 'requires_confirmation':
    case 'requires_action':
      return 'requires_payment';
    // We never ask for manual capture; if it happens, the money is not ours yet.
    case 'processing':
    case 'requires_capture':
      return 'processing';
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      return 'canceled';
    default:
      throw new Error(`Unknown Stripe PaymentIntent status: ${status}`);
  }
}

/** Runs a Stripe API call, turning Stripe's errors into the app's one error model. */
export async function stripeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw providerError(err);
  }
}

/** A Stripe error as the app's `payment_provider_error`; anything else unchanged. */
function providerError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const appError = problem(
    'payment_provider_error',
    'The payment provider could not complete the request. Please try again.',
  );
  // Stripe's type, code and request id stay in the logs, not in the public problem body.
  appError.cause = err;
  return appError;
}
