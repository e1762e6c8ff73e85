import { Hono } from 'hono';
import { z } from 'zod';
import type { HoldItem, HoldResult, HoldView } from '../../../durable-objects/inventory/types';
import type { AppEnv } from '../../app-env';
import { forgetAvailability } from '../../catalog/availability-cache';
import { inventoryFor } from '../../catalog/inventory';
import { type AppError, notFound, problem, validationFailed } from '../../domain/errors';
import { eventIdOfHold, isEventId } from '../../domain/ids';
import { valid } from '../../http/validate';
import { requestClientKey } from '../../limits/client-key';
import { HOLD_RATE, rateLimited } from '../../limits/rate-limit';
import { forgetClaim } from '../../waiting-room/claims';
import { admissionProblem } from '../../waiting-room/problems';
import { verifyAdmissionToken } from '../../waiting-room/tokens';
import type { TokenRefusal } from '../../waiting-room/view';

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

export const holdRoutes = new Hono<AppEnv>();

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
 * Maps the Durable Object's refusal to the API's problem. `admissionRefusal`: why an
 * admission token that was sent could not be used (it explains an `admission_required`).
 */
export function holdFailure(
  result: Exclude<HoldResult, { ok: true }>,
  items: { ticketTypeId: string }[],
  admissionRefusal?: TokenRefusal,
): AppError {
  switch (result.code) {
    case 'admission_required':
    case 'admission_ended':
    case 'admission_in_use':
      return admissionProblem(result, admissionRefusal);
    case 'not_found':
      return notFound('event');
    case 'not_on_sale':
      // A draft does not exist for buyers (as on the event's read and page): 404, not 409.
      if (result.reason === 'draft') return notFound('event');
      if (result.reason === 'hidden') {
        return problem('not_on_sale', 'These tickets are not on sale.', {
          reason: result.reason,
          ticketTypeIds: result.ticketTypeIds,
        });
      }
      return problem(
        'not_on_sale',
        `Tickets for this event are not on sale (${result.reason.replace('_', ' ')}).`,
        {
          reason: result.reason,
        },
      );
    case 'max_per_order_exceeded':
      return problem('max_per_order_exceeded', `At most ${result.maxPerOrder} tickets per order.`, {
        maxPerOrder: result.maxPerOrder,
      });
    case 'unknown_ticket_type':
      return validationFailed(
        items.flatMap((item, i) =>
          result.ticketTypeIds.includes(item.ticketTypeId)
            ? [{ path: `items.${i}.ticketTypeId`, message: 'No such ticket type for this event' }]
            : [],
        ),
      );
    case 'sold_out':
      return problem('sold_out', 'Not enough tickets left for this selection; nothing was held.', {
        ticketTypeIds: result.ticketTypeIds,
      });
    case 'hold_limit_reached':
      return problem(
        'hold_limit_reached',
        `At most ${result.limit} tickets can be held at once from one address; ${result.held} already are. Pay for or release a hold first.`,
        { limit: result.limit, held: result.held },
      );
  }
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

holdRoutes.post('/events/:eventId/holds', valid('json', holdItemsSchema), async (c) => {
  const { items } = c.req.valid('json');
  const placed = await placeHold(c.env, c.req.param('eventId'), items, {
    admissionToken: c.req.header(ADMISSION_HEADER)?.trim(),
    clientKey: requestClientKey(c),
  });
  if (!placed.ok) throw placed.error;
  return c.json(holdResponse(placed.hold), 201);
});

function holdEventId(holdId: string): string {
  const eventId = eventIdOfHold(holdId);
  if (!eventId) throw notFound('hold');
  return eventId;
}

holdRoutes.get('/holds/:holdId', async (c) => {
  const holdId = c.req.param('holdId');
  const hold = await inventoryFor(c.env, holdEventId(holdId)).getHold(holdId);
  if (!hold) throw notFound('hold');
  return c.json(holdResponse(hold));
});

/** Lets a hold go (API and hosted pages alike); this isolate's availability copy goes with it. */
export async function releaseHold(env: Env, eventId: string, holdId: string) {
  const result = await inventoryFor(env, eventId).releaseHold(holdId);
  forgetAvailability(eventId);
  return result;
}

holdRoutes.delete('/holds/:holdId', async (c) => {
  const holdId = c.req.param('holdId');
  const result = await releaseHold(c.env, holdEventId(holdId), holdId);
  if (!result.ok) {
    if (result.code === 'not_found') throw notFound('hold');
    if (result.code === 'hold_in_checkout') {
      throw problem(
        'hold_in_checkout',
        'A payment for this hold may be under way; it is released when the payment window ends.',
        { orderId: result.orderId },
      );
    }
    throw problem('hold_converted', 'This hold became an order and can not be released.');
  }
  return c.body(null, 204);
});
