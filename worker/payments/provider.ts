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
}

export interface CreatedPayment {
  provider: ProviderName;
  paymentId: string;
  /** Stripe: the PaymentIntent client secret for Elements. */
  clientSecret?: string;
  /** Sandbox: the hosted fake payment page. */
  redirectUrl?: string;
}

/** A verified provider event, reduced to what the order flow acts on. */
export interface ProviderEvent {
  provider: ProviderName;
  /** The provider's own event id: unique, used to drop duplicates. */
  eventId: string;
  /** The provider's event type as sent (`payment_intent.succeeded`, ...). */
  type: string;
  kind: 'payment_succeeded' | 'payment_failed' | 'ignored';
  paymentId: string | null;
  /** From the payment's metadata (`orderId`), set when the payment was created. */
  orderId: string | null;
  amountMinor: number | null;
  currency: string | null;
  failureMessage: string | null;
}

export interface RefundInput {
  paymentId: string;
  orderId: string;
  amountMinor: number;
  /** Repeating a call with the same key returns the same refund, never a second one. */
  idempotencyKey: string;
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
}
