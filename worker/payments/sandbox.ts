import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Db } from '../db/client';
import { sandboxPayments, sandboxRefunds } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { randomToken } from '../domain/ids';
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

// Only the webhook helpers are used: they sign and verify locally and never call Stripe.
const stripeWebhooks = new Stripe('sk_sandbox_offline', {
  httpClient: Stripe.createFetchHttpClient(),
}).webhooks;
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export type SandboxOutcome = 'succeed' | 'fail';

export type SandboxPayment = typeof sandboxPayments.$inferSelect;
export type SandboxRefund = typeof sandboxRefunds.$inferSelect;

/** `pi_sandbox_` and 26 random base32 characters (130 bits). */
export function newSandboxPaymentId(): string {
  return `pi_sandbox_${randomToken(26)}`;
}

/**
 * The sandbox page of a payment; `returnTo` (a URL on this origin) is where the buyer goes
 * after paying. Only same-origin paths survive `sandboxReturnPath` on the way back.
 */
export function sandboxPayUrl(origin: string, paymentId: string, returnTo?: string): string {
  const url = new URL(`/sandbox/pay/${paymentId}`, origin);
  const back = returnTo ? sandboxReturnPath(returnTo, origin) : null;
  if (back) url.searchParams.set('return', back);
  return url.toString();
}

/** `value` as a path on `origin`, or null for anything that leaves it (no open redirect). */
export function sandboxReturnPath(value: string, origin: string): string | null {
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/**
 * A stand-in payment provider for development, tests and demos. Its "database" is a D1
 * table; its webhooks are Stripe-shaped and signed exactly like Stripe's, so they enter
 * through the same verify -> record -> queue path.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly db: Db,
    private readonly webhookSecret: string,
    private readonly origin: string,
  ) {}

  /**
   * A random payment id (never derived from the order: order ids are not secret), made
   * idempotent by the caller's key. The redirect URL carries the return URL to the sandbox
   * page; it is never stored, because it may hold the order token.
   */
  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const [created] = await this.db
      .insert(sandboxPayments)
      .values({
        id: newSandboxPaymentId(),
        idempotencyKey: input.idempotencyKey,
        orderId: input.orderId,
        amountMinor: input.amountMinor,
        currency: input.currency,
        status: 'requires_payment',
        description: input.description,
      })
      .onConflictDoNothing({ target: sandboxPayments.idempotencyKey })
      .returning();
    const payment =
      created ??
      (await this.db
        .select()
        .from(sandboxPayments)
        .where(eq(sandboxPayments.idempotencyKey, input.idempotencyKey))
        .get());
    // Stripe refuses a key reused with other parameters; so does the sandbox.
    if (!payment || payment.orderId !== input.orderId) {
      throw new Error(`Sandbox idempotency key ${input.idempotencyKey} belongs to another order`);
    }
    return {
      provider: 'sandbox',
      paymentId: payment.id,
      redirectUrl: sandboxPayUrl(this.origin, payment.id, input.returnUrl),
    };
  }

  async verifyWebhook(
    rawBody: string,
    signatureHeader: string | null,
  ): Promise<ProviderEvent | null> {
    if (!signatureHeader) return null;
    try {
      const event = await stripeWebhooks.constructEventAsync(
        rawBody,
        signatureHeader,
        this.webhookSecret,
        undefined,
        cryptoProvider,
      );
      return toProviderEvent('sandbox', event);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) return null;
      throw error;
    }
  }

  /**
   * Like Stripe: the same idempotency key is the same refund (never a second one), and a
   * refund beyond what the payment has left, or of an unpaid payment, is refused.
   */
  async refund(input: RefundInput): Promise<{ refundId: string }> {
    const refundId = `re_sandbox_${(await sha256Hex(input.idempotencyKey)).slice(0, 24)}`;
    const refunded = sql`(SELECT COALESCE(SUM(${sandboxRefunds.amountMinor}), 0) FROM ${sandboxRefunds} WHERE ${sandboxRefunds.paymentId} = ${input.paymentId})`;
    // One statement checks and records: concurrent refunds of one payment can't both fit.
    const inserted = await this.db.all<{ id: string }>(sql`
      INSERT INTO ${sandboxRefunds} (id, payment_id, amount_minor, idempotency_key)
      SELECT ${refundId}, ${sandboxPayments.id}, ${input.amountMinor}, ${input.idempotencyKey}
      FROM ${sandboxPayments}
      WHERE ${sandboxPayments.id} = ${input.paymentId}
        AND ${sandboxPayments.status} = 'succeeded'
        AND ${input.amountMinor} > 0
        AND ${input.amountMinor} <= ${sandboxPayments.amountMinor} - ${refunded}
      ON CONFLICT (id) DO NOTHING
      RETURNING id`);
    // The payment's running total, recomputed from the refunds (idempotent).
    await this.db
      .update(sandboxPayments)
      .set({ refundedMinor: refunded })
      .where(eq(sandboxPayments.id, input.paymentId));
    if (inserted.length > 0) return { refundId };
    const earlier = await this.db
      .select()
      .from(sandboxRefunds)
      .where(eq(sandboxRefunds.id, refundId))
      .get();
    if (!earlier) {
      throw new RefundDeclined('Sandbox: the payment is not paid or has less left to refund.');
    }
    if (earlier.paymentId !== input.paymentId || earlier.amountMinor !== input.amountMinor) {
      // Stripe's idempotency_error: a bug in the caller, not an answer about the money.
      throw new Error(`Sandbox: idempotency key ${input.idempotencyKey} reused for another refund`);
    }
    return { refundId };
  }

  /** What the sandbox really refunded for a payment: one row per distinct refund. */
  refundsOf(paymentId: string): Promise<SandboxRefund[]> {
    return this.db.select().from(sandboxRefunds).where(eq(sandboxRefunds.paymentId, paymentId));
  }

  async retrievePayment(paymentId: string): Promise<RetrievedPayment> {
    const payment = await this.find(paymentId);
    if (!payment) throw new Error(`Unknown sandbox payment ${paymentId}`);
    return {
      paymentId,
      status: payment.status === 'failed' ? 'requires_payment' : payment.status,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
    };
  }

  find(paymentId: string): Promise<SandboxPayment | undefined> {
    return this.db.select().from(sandboxPayments).where(eq(sandboxPayments.id, paymentId)).get();
  }

  /**
   * The buyer's choice on the fake payment page. Returns the signed webhook the provider
   * sends. Succeeding twice sends the same event again (a duplicate, as real providers do).
   */
  async settle(
    payment: SandboxPayment,
    outcome: SandboxOutcome,
  ): Promise<{ body: string; signature: string }> {
    const now = Math.floor(Date.now() / 1000);
    let eventId: string;
    if (outcome === 'succeed') {
      await this.db
        .update(sandboxPayments)
        .set({ status: 'succeeded' })
        .where(eq(sandboxPayments.id, payment.id));
      eventId = `evt_sandbox_${payment.id}_succeeded`;
    } else {
      const attempt = payment.failedAttempts + 1;
      await this.db
        .update(sandboxPayments)
        .set({
          status: payment.status === 'succeeded' ? 'succeeded' : 'failed',
          failedAttempts: attempt,
        })
        .where(eq(sandboxPayments.id, payment.id));
      eventId = `evt_sandbox_${payment.id}_failed_${attempt}`;
    }
    const succeeded = outcome === 'succeed';
    const body = JSON.stringify({
      id: eventId,
      object: 'event',
      type: succeeded ? 'payment_intent.succeeded' : 'payment_intent.payment_failed',
      created: now,
      livemode: false,
      data: {
        object: {
          id: payment.id,
          object: 'payment_intent',
          amount: payment.amountMinor,
          amount_received: succeeded ? payment.amountMinor : 0,
          currency: payment.currency.toLowerCase(),
          status: succeeded ? 'succeeded' : 'requires_payment_method',
          metadata: { orderId: payment.orderId },
          last_payment_error: succeeded
            ? null
            : { code: 'card_declined', message: 'Your card was declined (sandbox).' },
        },
      },
    });
    const signature = await stripeWebhooks.generateTestHeaderStringAsync({
      payload: body,
      secret: this.webhookSecret,
      timestamp: now,
      cryptoProvider,
    });
    return { body, signature };
  }
}
