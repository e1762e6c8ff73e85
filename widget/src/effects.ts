import { ApiFailure, newIdempotencyKey, type StorefrontApi } from './api';
import type { Event, State } from './machine';
import { forgetQueueToken, loadQueueToken, saveQueueToken } from './queue-store';
import { selectedItems } from './selection';

/** What an effect needs from its element. */
export interface EffectContext {
  api: StorefrontApi;
  /** The `event` attribute: an event id or slug. */
  eventRef: string;
  promo: string | undefined;
  sleep: (ms: number) => Promise<void>;
}

/** Between order polls while a payment is being confirmed. */
export const CONFIRM_POLL_MS = 1000;

type Effect = () => Promise<Event | null>;

/**
 * The side effect that belongs to a state (a request, a poll), or null. The element runs it and
 * dispatches its answer, unless the state changed meanwhile. Failures become `failed` events.
 */
export function effectFor(state: State, ctx: EffectContext): Effect | null {
  const run = effectBody(state, ctx);
  if (!run) return null;
  return async () => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ApiFailure)) return { type: 'failed', kind: 'network' };
      return { type: 'failed', kind: error.kind, ticketTypeIds: error.ticketTypeIds };
    }
  };
}

function effectBody(state: State, ctx: EffectContext): Effect | null {
  const { api } = ctx;
  switch (state.name) {
    case 'loading':
      return async () => ({
        type: 'loaded',
        event: await api.event(ctx.eventRef),
        ...(ctx.promo ? { promo: ctx.promo } : {}),
      });
    case 'queued':
      return () => queueStep(state.shop.event.id, state.queue?.pollAfterSeconds ?? null, ctx);
    case 'holding':
      return async () => {
        const { event, admission } = state.shop;
        const hold = await api.hold(event.id, selectedItems(state.shop), admission);
        return { type: 'hold_created', hold, idempotencyKey: newIdempotencyKey() };
      };
    case 'ready': {
      const holdId = state.releaseHoldId;
      if (!holdId) return null;
      return async () => {
        await api.release(holdId).catch(() => undefined); // best effort: it expires anyway
        return null;
      };
    }
    case 'details': {
      const buyer = state.buyer;
      if (!buyer) return null;
      return async () => {
        const order = await api.checkout(
          state.idempotencyKey,
          state.hold.holdId,
          buyer,
          state.shop.promo,
        );
        return { type: 'checkout_done', order };
      };
    }
    case 'paying': {
      const { outcome, order } = state;
      if (!outcome || order.payment?.provider !== 'sandbox') return null;
      const paymentId = order.payment.paymentId;
      return async () => ({
        type: 'payment_sent',
        status: (await api.sandboxPay(paymentId, outcome)).status,
      });
    }
    case 'confirming':
      return async () => {
        if (state.attempt > 0) await ctx.sleep(CONFIRM_POLL_MS);
        return {
          type: 'order_polled',
          order: await api.order(state.order.orderId, state.order.orderToken),
        };
      };
    default:
      return null;
  }
}

/** Joins the line (with the stored token, so a reload keeps the place) or polls it. */
async function queueStep(
  eventId: string,
  pollAfterSeconds: number | null,
  ctx: EffectContext,
): Promise<Event> {
  const stored = loadQueueToken(eventId);
  let queue = null;
  if (pollAfterSeconds !== null && stored) {
    await ctx.sleep(pollAfterSeconds * 1000);
    queue = await ctx.api.queueStatus(eventId, stored).catch((error: unknown) => {
      // A refused token (expired, another event): join again below; anything else stays.
      if (!(error instanceof ApiFailure) || ![401, 403, 404].includes(error.status)) throw error;
      forgetQueueToken(eventId);
      return null;
    });
  }
  queue ??= await ctx.api.joinQueue(eventId, loadQueueToken(eventId));
  saveQueueToken(eventId, queue.queueToken);
  return { type: 'queue_update', queue };
}
