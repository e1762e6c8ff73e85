import { z } from 'zod';
import type { HoldItem, HoldView } from '../../durable-objects/inventory/types';
import { forgetAvailability } from '../catalog/availability-cache';
import { inventoryFor } from '../catalog/inventory';
import { type AppError, notFound } from '../domain/errors';
import { isEventId } from '../domain/ids';
import { HOLD_RATE, rateLimited } from '../limits/rate-limit';
import { forgetClaim } from '../waiting-room/claims';
import { verifyAdmissionToken } from '../waiting-room/tokens';
import type { TokenRefusal } from '../waiting-room/view';
import { holdFailure } from './refusals';

/**
 * Placing and releasing holds, for the storefront API and the hosted pages alike: both go
 * through the same rate limit, waiting-room gate and availability cache.
 */

/** The header that carries a waiting room's admission token (API.md "Waiting room"). */
export const ADMISSION_HEADER = 'tessera-admission';

export const holdItemsSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            ticketTypeId: z.string().regex(/^tt_[0-9a-z]{20}$/, 'Expected a ticket type id (tt_…)'),
            quantity: z.number().int('Quantity is a whole number').min(1).max(100),
          })
          .strict(),
      )
      .min(1, 'Choose at least one ticket')
      .max(20),
  })
  .strict();

export function holdResponse(hold: HoldView) {
  return {
    holdId: hold.holdId,
    eventId: hold.eventId,
    state: hold.state,
    expiresAt: hold.expiresAt,
    orderId: hold.orderId,
    items: hold.items,
  };
}

/**
 * Holds `items` for a buyer, through the waiting room's gate: a valid admission token for
 * this event passes its sequence number to the DO, which decides whether the room is active
 * and the admission still good. A token that does not verify counts as none, so it is only
 * refused (403 `admission_required`, saying why) when the room is active. Rate limited per
 * client and event (429 `rate_limited`); the DO caps what one client holds at once.
 */
export async function placeHold(
  env: Env,
  eventId: string,
  items: HoldItem[],
  buyer: { admissionToken: string | undefined; clientKey: string },
): Promise<{ ok: true; hold: HoldView } | { ok: false; error: AppError }> {
  if (!isEventId(eventId)) return { ok: false, error: notFound('event') };
  const limited = await rateLimited(env, HOLD_RATE, eventId, buyer.clientKey);
  if (limited) return { ok: false, error: limited };
  const { admissionToken } = buyer;
  let admissionSeq: number | undefined;
  let refusal: TokenRefusal | undefined;
  if (admissionToken) {
    const check = await verifyAdmissionToken(env, eventId, admissionToken);
    if (check.ok) admissionSeq = check.ticket.seq;
    else refusal = check.reason;
  }
  const result = await inventoryFor(env, eventId).hold(items, admissionSeq, buyer.clientKey);
  forgetAvailability(eventId);
  // The DO just said how this admission stands: no status poll here may answer from an
  // older claim (a used admission must not send the buyer back to the hold again).
  if (admissionSeq !== undefined && (result.ok || result.code === 'admission_ended')) {
    forgetClaim(eventId, admissionSeq);
  }
  return result.ok ? result : { ok: false, error: holdFailure(result, items, refusal) };
}

/** Lets a hold go (API and hosted pages alike); this isolate's availability copy goes with it. */
export async function releaseHold(env: Env, eventId: string, holdId: string) {
  const result = await inventoryFor(env, eventId).releaseHold(holdId);
  forgetAvailability(eventId);
  return result;
}
