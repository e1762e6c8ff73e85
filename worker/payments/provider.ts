import { AppError } from '../domain/errors';

/**
 * What Tessera needs from a payment provider. Stripe and the sandbox implement it; nothing
 * in the order flow knows which one it talks to.
 */
export type ProviderName = 'sandbox' | 'stripe';

export interface CreatePaymentInput {
  orderId: string;
  eventId: string;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  buyerEmail: string;
  description: string;
  /**
   * Where the buyer lands after paying (the order page, with its token). A provider hands it
   * only to the buyer (Stripe: in the browser; the sandbox: in the redirect URL), never
   * stores it or shows it to someone holding just the payment id.
   */
  returnUrl: string;
  /** Repeating a call with the same key returns the same payment, never a second one. */
  idempotencyKey: string;
  /**
   * Stripe Connect: a destination charge to the organizer's account, the platform keeping
   * `applicationFeeMinor` (our minor units). Absent: the charge stays with the platform
   * (test-mode orders, development without Connect). The sandbox ignores it.
   */
  destination?: ConnectDestination | null | undefined;
}

export interface ConnectDestination {
  accountId: string;
  applicationFeeMinor: number;
}

export interface CreatedPayment {
  provider: ProviderName;
  paymentId: string;
  /** Stripe: the PaymentIntent client secret for Elements. */
  clientSecret?: string;
  /** Stripe: the publishable key Stripe.js is started with. */
  publishableKey?: string;
  /** Development only (`STRIPE_JS_URL`): a local stand-in for Stripe.js to load instead. */
  stripeJsUrl?: string;
  /** Sandbox: the hosted fake payment page. */
  redirectUrl?: string;
}

/**
 * What a provider event means for an order: paid, failed (the buyer may retry), waiting on
 * the buyer's bank (`processing`, e.g. SEPA: days), waiting on the buyer (`requires_action`:
 * 3-D Secure or a redirect not finished), canceled at the provider, or nothing to act on.
 */
export type ProviderEventKind =
  | 'payment_succeeded'
  | 'payment_failed'
  | 'payment_processing'
  | 'payment_requires_action'
  | 'payment_canceled'
  /** A refund settled at the provider (Stripe: `refund.updated` with status succeeded). */
  | 'refund_succeeded'
  /** A refund failed at the provider after it was accepted (`refund.failed`). */
  | 'refund_failed'
  | 'ignored';

/** The state of a payment as D1 records it (`payments.status`). */
export type PaymentStatus =
  | 'requires_payment'
  | 'requires_action'
  | 'processing'
  | 'succeeded'
  | 'failed'
  | 'canceled';

/** A verified provider event, reduced to what the order flow acts on. */
export interface ProviderEvent {
  provider: ProviderName;
  /** The provider's own event id: unique, used to drop duplicates. */
  eventId: string;
  /** The provider's event type as sent (`payment_intent.succeeded`, ...). */
  type: string;
  kind: ProviderEventKind;
  paymentId: string | null;
  /** From the payment's metadata (`orderId`), set when the payment was created. */
  orderId: string | null;
  amountMinor: number | null;
  currency: string | null;
  failureMessage: string | null;
  /** Refund events: the provider's refund id. */
  providerRefundId?: string | null;
  /** Refund events: our claim's id, from the refund's metadata. */
  refundId?: string | null;
}

export interface RefundInput {
  paymentId: string;
  orderId: string;
  /** In Tessera's minor units (worker/domain/currency.ts); each provider converts. */
  amountMinor: number;
  /** ISO 4217, upper case: the order's currency. */
  currency: string;
  /** Repeating a call with the same key returns the same refund, never a second one. */
  idempotencyKey: string;
  /**
   * A destination charge's refund takes the money back from the organizer's account
   * (`reverse_transfer`) and gives the platform fee back or not (`refund_application_fee`).
   */
  connect?: { refundApplicationFee: boolean } | undefined;
}

/**
 * The provider refused a refund for good: nothing was refunded, and asking again with the same
 * key would be refused again (Stripe replays a 4xx for its key). Any other error from
 * `refund` leaves the outcome open: the caller must retry with the same key, never give up
 * and never claim the amount again.
 */
export class RefundDeclined extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('payment_provider_error', detail);
    this.name = 'RefundDeclined';
    if (cause !== undefined) this.cause = cause;
  }
}

export interface RetrievedPayment {
  paymentId: string;
  status: 'requires_payment' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  amountMinor: number;
  currency: string;
  /** Stripe: what the browser confirms the payment with (the order page's form). */
  clientSecret?: string;
  /** Stripe: the publishable key Stripe.js is started with. */
  publishableKey?: string;
  /** Development only: the Stripe.js stand-in. */
  stripeJsUrl?: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /** Null when the signature is missing, wrong or too old: the caller answers 400. */
  verifyWebhook(rawBody: string, signatureHeader: string | null): Promise<ProviderEvent | null>;
  /** Throws `RefundDeclined` when the provider refused for good; other errors are open. */
  refund(input: RefundInput): Promise<{ refundId: string }>;
  /** For reconciliation: the provider's view of a payment. */
  retrievePayment(paymentId: string): Promise<RetrievedPayment>;
  /**
   * Cancels an unpaid payment whose order expired, so the buyer can no longer pay it.
   * Idempotent. A payment already `succeeded` or `processing` is not canceled: the answer
   * says its status, and its webhook takes the late-payment path. Providers whose payments
   * can not be paid after the order expired need not have it (the sandbox keeps them open to
   * exercise the late path).
   */
  cancelPayment?(paymentId: string, idempotencyKey: string): Promise<RetrievedPayment>;
}
