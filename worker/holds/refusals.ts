import type { HoldResult, ReleaseResult } from '../../durable-objects/inventory/types';
import { type AppError, notFound, problem, validationFailed } from '../domain/errors';
import { admissionProblem } from '../waiting-room/problems';
import type { TokenRefusal } from '../waiting-room/view';

/**
 * The event Durable Object's refusals of holds, as the API's problems: one place for what a
 * hold, a release or a checkout of a hold answers (the waiting room's own refusals are in
 * worker/waiting-room/problems.ts and are reached from here).
 */

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

/** Why a hold could not be released. */
export function releaseFailure(result: Exclude<ReleaseResult, { ok: true }>): AppError {
  if (result.code === 'not_found') return notFound('hold');
  if (result.code === 'hold_in_checkout') {
    return problem(
      'hold_in_checkout',
      'A payment for this hold may be under way; it is released when the payment window ends.',
      { orderId: result.orderId },
    );
  }
  return problem('hold_converted', 'This hold became an order and can not be released.');
}

/** A hold that is no longer active when a checkout wants it. */
export function holdNotActive(state: string): AppError {
  return state === 'converted'
    ? problem('hold_converted', 'This hold already became a paid order.')
    : problem('hold_expired', `The hold is ${state}; choose your tickets again.`, { state });
}

/** A hold another checkout already uses. */
export const holdInCheckout = (): AppError =>
  problem('hold_in_checkout', 'Another checkout already uses this hold.');
