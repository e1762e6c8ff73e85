import { and, eq } from 'drizzle-orm';
import { loadEvent } from '../catalog/event-record';
import { inventoryFor } from '../catalog/inventory';
import { destinationForOrder, recordedDestination } from '../connect/destination';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { orderLines, orders, payments } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { notFound, problem, validationFailed } from '../domain/errors';
import { eventIdOfHold, newId } from '../domain/ids';
import { MAX_PAYMENT_MINOR, priceItems } from '../domain/pricing';
import { holdInCheckout, holdNotActive } from '../holds/refusals';
import { CHECKOUT_RATE, limitOrThrow } from '../limits/rate-limit';
import { paymentProvider } from '../payments';
import { providerForOrder } from '../payments/availability';
import type { ConnectDestination, CreatedPayment, ProviderName } from '../payments/provider';
import { fulfilPayment } from './fulfilment';
import type { OrderRow } from './order-record';
import { orderTokenFor } from './order-token';
import { orderPageUrl } from './order-view';

/**
 * How long a hold in checkout stays alive for the buyer to pay (3-D Secure, wallets...), at
 * least, from the checkout. The event's DO never lets it run more than 5 minutes past the
 * hold's own expiry (durable-objects/inventory/client-limits.ts: checkoutExpiry), so a
 * checkout can not park tickets; a later payment takes the late re-reserve / refund path.
 */
export const PAYMENT_WINDOW_MINUTES = 5;

export interface CheckoutInput {
  holdId: string;
  buyer: { name: string; email: string };
  promoCode?: string | undefined;
}

export interface CheckoutContext {
  env: Env;
  db: Db;
  /** The public origin, for payment-page and return URLs. */
  origin: string;
  /** Who is checking out (worker/limits/client-key.ts), for the rate limit. */
  clientKey: string;
}

export interface CheckoutResponse {
  orderId: string;
  orderToken: string;
  status: OrderRow['status'];
  totalMinor: number;
  currency: string;
  expiresAt: string;
  orderUrl: string;
  payment: (CreatedPayment & { status: 'requires_payment' | 'failed' | 'succeeded' }) | null;
}

/** Checked before anything is written: no order exists that no payment could settle. */
const totalTooLarge = (totalMinor: number) =>
  problem(
    'order_total_too_large',
    `The order total (${totalMinor} minor units) is above the most one payment can be (${MAX_PAYMENT_MINOR}). Buy fewer tickets per order.`,
    { totalMinor, maxTotalMinor: MAX_PAYMENT_MINOR },
  );

/**
 * Hold -> `pending_payment` order -> payment. One order per Idempotency-Key: the same key and
 * body answer the same order (`created: false`), a different body is refused. D1's unique
 * keys on the idempotency key and the hold settle concurrent attempts: exactly one wins.
 */
export async function checkout(
  ctx: CheckoutContext,
  idempotencyKey: string,
  input: CheckoutInput,
): Promise<{ created: boolean; response: CheckoutResponse }> {
  const { env, db } = ctx;
  // Counted before any lookup: a script replaying checkouts costs D1 and the DO nothing.
  await limitOrThrow(env, CHECKOUT_RATE, eventIdOfHold(input.holdId) ?? 'none', ctx.clientKey);
  const requestHash = await sha256Hex(
    JSON.stringify([input.holdId, input.buyer.name, input.buyer.email, input.promoCode ?? null]),
  );
  const previous = await findByKey(db, idempotencyKey);
  if (previous) return { created: false, response: await replay(ctx, previous, requestHash) };

  if (input.promoCode !== undefined) {
    throw validationFailed([{ path: 'promoCode', message: 'Unknown promo code' }]);
  }
  const eventId = eventIdOfHold(input.holdId);
  if (!eventId) throw notFound('hold');
  const inventory = inventoryFor(env, eventId);
  const [hold, event] = await Promise.all([
    inventory.getHold(input.holdId),
    loadEvent(db, eventId),
  ]);
  if (!hold || !event) throw notFound('hold');
  if (hold.state !== 'active' || hold.orderId) {
    // A concurrent request with this same key may have just taken the hold: answer its order.
    const winner = await findByKey(db, idempotencyKey);
    if (winner) return { created: false, response: await replay(ctx, winner, requestHash) };
    throw hold.state !== 'active' ? holdNotActive(hold.state) : holdInCheckout();
  }

  const priced = priceItems(hold.items, event.ticketTypes);
  if (priced.totalMinor > MAX_PAYMENT_MINOR) throw totalTooLarge(priced.totalMinor);
  // Refused before anything is written: no order, the hold as it was.
  const testMode = event.event.testMode;
  const provider = priced.totalMinor === 0 ? 'none' : requirePaymentsConfigured(env, testMode);
  // A live Stripe order needs the organizer's Connect account (outside development).
  const destination = await destinationForOrder(env, db, {
    organizerId: event.event.organizerId,
    totalMinor: priced.totalMinor,
    testMode,
    paymentProvider: provider,
  });
  const now = new Date().toISOString();
  const order: OrderRow = {
    id: newId('ord'),
    eventId,
    organizerId: event.event.organizerId,
    status: 'pending_payment',
    holdId: input.holdId,
    idempotencyKey,
    requestHash,
    buyerName: input.buyer.name,
    buyerEmail: input.buyer.email,
    totalMinor: priced.totalMinor,
    refundedMinor: 0,
    currency: event.event.currency,
    paymentProvider: provider,
    paymentId: null,
    // The order keeps the event's mode from now on, whatever the event does later.
    testMode,
    expiresAt: hold.expiresAt,
    lastPaymentError: null,
    createdAt: now,
    updatedAt: now,
    paidAt: null,
  };
  try {
    await db.batch([
      db.insert(orders).values(order),
      db.insert(orderLines).values(priced.lines.map((line) => ({ orderId: order.id, ...line }))),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Lost a race: the same key (answer its order) or another key on the same hold (refuse).
    const winner = await findByKey(db, idempotencyKey);
    if (winner) return { created: false, response: await replay(ctx, winner, requestHash) };
    throw holdInCheckout();
  }

  const begun = await inventory.beginCheckout(input.holdId, order.id, PAYMENT_WINDOW_MINUTES);
  if (!begun.ok) {
    await db
      .update(orders)
      .set({ status: 'expired', updatedAt: new Date().toISOString() })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending_payment')));
    throw begun.code === 'hold_in_checkout'
      ? holdInCheckout()
      : holdNotActive(begun.code === 'hold_expired' ? begun.state : 'gone');
  }
  // Stored with the payment below (one round trip); a free order is paid at once anyway.
  order.expiresAt = begun.hold.expiresAt;

  if (order.totalMinor === 0) {
    await fulfilPayment(env, db, order.id, null);
    return { created: true, response: await present(ctx, { ...order, status: 'paid' }, null) };
  }
  const payment = await ensurePayment(ctx, order, event.event.title, destination);
  return { created: true, response: await present(ctx, order, payment) };
}

/**
 * The provider that takes a new order's payment (`providerForOrder`); 503
 * `payments_not_configured` when there is none (a live event, outside development, without
 * a live Stripe key).
 */
export function requirePaymentsConfigured(env: Env, testMode: boolean): ProviderName {
  const provider = providerForOrder(env, testMode);
  if (!provider) {
    throw problem(
      'payments_not_configured',
      'This ticket shop cannot take payments at the moment. Please try again later.',
    );
  }
  return provider;
}

function findByKey(db: Db, idempotencyKey: string): Promise<OrderRow | undefined> {
  return db.select().from(orders).where(eq(orders.idempotencyKey, idempotencyKey)).get();
}

async function replay(
  ctx: CheckoutContext,
  order: OrderRow,
  requestHash: string,
): Promise<CheckoutResponse> {
  if (order.requestHash !== requestHash) {
    throw problem(
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different request body.',
    );
  }
  const payment =
    order.status === 'pending_payment' && order.totalMinor > 0
      ? await ensurePayment(ctx, order)
      : null;
  return present(ctx, order, payment);
}

/**
 * Asks the provider for the order's payment. Keyed by the order, so calling it again (a
 * replayed checkout, a retry after a provider error) returns the same payment.
 */
async function ensurePayment(
  ctx: CheckoutContext,
  order: OrderRow,
  eventTitle?: string,
  known?: ConnectDestination | null,
): Promise<CreatedPayment> {
  // The provider recorded on the order: a replay after a settings change stays with it.
  const provider =
    order.paymentProvider === 'none'
      ? null
      : paymentProvider(ctx.env, ctx.db, ctx.origin, order.paymentProvider);
  if (!provider) {
    throw problem(
      'payments_not_configured',
      'This ticket shop cannot take payments at the moment. Please try again later.',
    );
  }
  const title =
    eventTitle ??
    (
      await ctx.db.query.events.findFirst({
        where: (e, { eq: is }) => is(e.id, order.eventId),
        columns: { title: true },
      })
    )?.title;
  // A replay sends what the first create sent (Stripe refuses a key reused with other params).
  const destination =
    known !== undefined
      ? known
      : order.paymentId
        ? await recordedDestination(ctx.db, order.paymentId)
        : await destinationForOrder(ctx.env, ctx.db, order);
  const payment = await provider.createPayment({
    orderId: order.id,
    eventId: order.eventId,
    amountMinor: order.totalMinor,
    currency: order.currency,
    buyerEmail: order.buyerEmail,
    description: `${title ?? 'Tickets'} (${order.id})`,
    returnUrl: orderPageUrl(ctx.origin, order.id, await orderTokenFor(ctx.env, order.id)),
    idempotencyKey: `payment:${order.id}`,
    destination,
  });
  if (order.paymentId !== payment.paymentId) {
    const now = new Date().toISOString();
    await ctx.db.batch([
      ctx.db
        .insert(payments)
        .values({
          id: payment.paymentId,
          provider: payment.provider,
          orderId: order.id,
          amountMinor: order.totalMinor,
          currency: order.currency,
          status: 'requires_payment',
          destinationAccountId: destination?.accountId ?? null,
          applicationFeeMinor: destination?.applicationFeeMinor ?? null,
          updatedAt: now,
        })
        .onConflictDoNothing(),
      ctx.db
        .update(orders)
        .set({ paymentId: payment.paymentId, expiresAt: order.expiresAt, updatedAt: now })
        .where(eq(orders.id, order.id)),
    ]);
    order.paymentId = payment.paymentId;
  }
  return payment;
}

async function present(
  ctx: CheckoutContext,
  order: OrderRow,
  payment: CreatedPayment | null,
): Promise<CheckoutResponse> {
  const orderToken = await orderTokenFor(ctx.env, order.id);
  return {
    orderId: order.id,
    orderToken,
    status: order.status,
    totalMinor: order.totalMinor,
    currency: order.currency,
    expiresAt: order.expiresAt,
    orderUrl: orderPageUrl(ctx.origin, order.id, orderToken),
    payment: payment
      ? { ...payment, status: order.lastPaymentError ? 'failed' : 'requires_payment' }
      : null,
  };
}
