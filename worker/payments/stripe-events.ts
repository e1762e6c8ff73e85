import { z } from 'zod';
import { fromStripeAmount } from '../domain/currency';
import type { ProviderEvent, ProviderName } from './provider';

/** The envelope of a Stripe webhook event, as much of it as the normalizer reads. */
export interface StripeShapedEvent {
  id: string;
  type: string;
  data: { object: unknown };
}

/**
 * The fields of a PaymentIntent we act on. Unknown keys are stripped, not rejected, so new
 * Stripe API versions (and the sandbox's smaller objects) parse alike.
 */
const paymentIntentSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  amount_received: z.number().int().nonnegative().optional(),
  currency: z.string().min(3),
  metadata: z.object({ orderId: z.string().optional() }).nullish(),
  last_payment_error: z.object({ message: z.string().nullish() }).nullish(),
});

type PaymentIntentFields = z.infer<typeof paymentIntentSchema>;

/** The fields of a Refund we act on (`refund.*` and `charge.refund.updated` carry one). */
const refundSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  currency: z.string().min(3),
  status: z.string().nullish(),
  payment_intent: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  metadata: z.object({ orderId: z.string().optional(), refundId: z.string().optional() }).nullish(),
  failure_reason: z.string().nullish(),
});

/** Refund events: whichever of the two names Stripe sends, the Refund's status decides. */
const REFUND_EVENTS = new Set(['refund.updated', 'refund.failed', 'charge.refund.updated']);

const KINDS: Readonly<Record<string, ProviderEvent['kind']>> = {
  'payment_intent.succeeded': 'payment_succeeded',
  'payment_intent.payment_failed': 'payment_failed',
  'payment_intent.processing': 'payment_processing',
  'payment_intent.requires_action': 'payment_requires_action',
  'payment_intent.canceled': 'payment_canceled',
};

/**
 * Reduces a Stripe-shaped event (from Stripe, or from the sandbox, which sends the same
 * shape) to a ProviderEvent. Only call it on an event whose signature was verified.
 *
 * Throws when a payment event carries no valid PaymentIntent: that is a contract breach,
 * and silently ignoring it could drop a paid order (a throw makes Stripe retry).
 */
export function toProviderEvent(provider: ProviderName, event: StripeShapedEvent): ProviderEvent {
  if (REFUND_EVENTS.has(event.type)) return toRefundEvent(provider, event);
  const kind = KINDS[event.type] ?? 'ignored';
  const base = { provider, eventId: event.id, type: event.type, kind };

  if (kind === 'ignored') {
    // Other payment_intent.* events still name their payment: useful in logs.
    const parsed = event.type.startsWith('payment_intent.')
      ? paymentIntentSchema.safeParse(event.data.object)
      : undefined;
    return {
      ...base,
      ...(parsed?.success ? fields(provider, parsed.data, 'amount') : emptyFields()),
    };
  }

  const parsed = paymentIntentSchema.safeParse(event.data.object);
  if (!parsed.success) {
    throw new Error(
      `${provider} event ${event.id} (${event.type}) has no valid PaymentIntent: ${z.prettifyError(parsed.error)}`,
    );
  }
  const pi = parsed.data;
  return {
    ...base,
    ...fields(provider, pi, kind === 'payment_succeeded' ? 'amount_received' : 'amount'),
    failureMessage: kind === 'payment_failed' ? (pi.last_payment_error?.message ?? null) : null,
  };
}

function fields(
  provider: ProviderName,
  pi: PaymentIntentFields,
  amountField: 'amount' | 'amount_received',
) {
  const currency = pi.currency.toUpperCase();
  // A sandbox object may omit amount_received; the full amount is then what was paid.
  const amount = amountField === 'amount_received' ? (pi.amount_received ?? pi.amount) : pi.amount;
  return {
    paymentId: pi.id,
    orderId: pi.metadata?.orderId ?? null,
    // The sandbox speaks our minor units; Stripe its own (ISK and UGX differ).
    amountMinor: provider === 'stripe' ? fromStripeAmount(amount, currency) : amount,
    currency,
    failureMessage: null,
  };
}

function emptyFields() {
  return {
    paymentId: null,
    orderId: null,
    amountMinor: null,
    currency: null,
    failureMessage: null,
  };
}

/**
 * A refund event: `succeeded` settles a pending claim; `failed` or `canceled` (or the
 * `refund.failed` event itself) fails it, also one that was counted as done. Any other status
 * (pending, requires_action) changes nothing yet.
 */
function toRefundEvent(provider: ProviderName, event: StripeShapedEvent): ProviderEvent {
  const parsed = refundSchema.safeParse(event.data.object);
  if (!parsed.success) {
    throw new Error(
      `${provider} event ${event.id} (${event.type}) has no valid Refund: ${z.prettifyError(parsed.error)}`,
    );
  }
  const refund = parsed.data;
  const failed =
    event.type === 'refund.failed' || refund.status === 'failed' || refund.status === 'canceled';
  const kind = failed
    ? 'refund_failed'
    : refund.status === 'succeeded'
      ? 'refund_succeeded'
      : 'ignored';
  const currency = refund.currency.toUpperCase();
  const pi = refund.payment_intent;
  return {
    provider,
    eventId: event.id,
    type: event.type,
    kind,
    paymentId: typeof pi === 'string' ? pi : (pi?.id ?? null),
    orderId: refund.metadata?.orderId ?? null,
    amountMinor: provider === 'stripe' ? fromStripeAmount(refund.amount, currency) : refund.amount,
    currency,
    failureMessage: failed ? (refund.failure_reason ?? refund.status ?? 'failed') : null,
    providerRefundId: refund.id,
    refundId: refund.metadata?.refundId ?? null,
  };
}
