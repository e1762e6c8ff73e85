import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import type { OrderStatus, RefundState } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { notFound, problem, validationFailed } from '../domain/errors';
import { newId } from '../domain/ids';
import { canTransition } from '../domain/order-states';
import { paymentProvider } from '../payments';
import { loadOrder, type OrderRecord } from './order-record';
import {
  claimOrganizerRefund,
  claimTicketRefund,
  findRefund,
  type RefundRow,
  refundableOf,
  ticketsOfRefund,
} from './refund-claims';
import { executeRefund } from './refund-execution';

/** What an organizer asks to refund: an amount, some tickets, or (neither) all that is left. */
export interface RefundRequest {
  amountMinor?: number | undefined;
  /** Tickets of the order, refunded for their price and refused at the door. */
  ticketIds?: readonly string[] | undefined;
}

export interface RefundOutcome {
  orderId: string;
  /** The order's state after this refund (unchanged while the refund is pending). */
  status: OrderStatus;
  /** Refunded and settled so far, this refund included once it succeeded. */
  refundedMinor: number;
  amountMinor: number;
  currency: string;
  ticketsReleased: boolean;
  refund: { id: string; state: RefundState; amountMinor: number; ticketIds: string[] };
}

/**
 * An organizer refunds an order: all that is left (tickets go back on sale and are refused at
 * the door) or part of the money (tickets stay valid). The refund is claimed first, checked
 * against what no other claim holds, then executed with the claim's id as the provider's
 * idempotency key, then settled (DESIGN.md "Money"). An `Idempotency-Key` names the claim, so
 * a repeated request answers the same refund. A provider that does not answer for sure
 * leaves the claim `pending`: the sweep finishes it.
 */
export async function refundOrder(
  env: Env,
  db: Db,
  organizerId: string,
  orderId: string,
  request: RefundRequest,
  idempotencyKey?: string,
): Promise<RefundOutcome> {
  const record = await loadOrder(db, orderId);
  if (!record || record.order.organizerId !== organizerId) throw notFound('order');
  const refundId = idempotencyKey
    ? `re_${(await sha256Hex(`${orderId}:${idempotencyKey}`)).slice(0, 24)}`
    : newId('re');
  if (canTransition(record.order.status, 'refundPartly')) requireProvider(env, db, record);
  const { ticketIds } = request;
  if (ticketIds) requireOwnTickets(record, ticketIds);
  const requestedMinor = request.amountMinor;

  const claim =
    (await (ticketIds
      ? claimTicketRefund(db, { refundId, orderId, organizerId, ticketIds })
      : claimOrganizerRefund(db, {
          refundId,
          orderId,
          organizerId,
          amountMinor: requestedMinor ?? null,
        }))) ??
    (idempotencyKey ? await replayed(db, refundId, orderId, request) : null) ??
    (await refuse(env, db, record, request));

  const { refund, order, ticketsReleased } = await executeRefund(env, db, claim);
  const view = {
    id: refund.id,
    state: refund.state,
    amountMinor: refund.amountMinor,
    ticketIds: await ticketsOfRefund(db, refund.id),
  };
  if (refund.state === 'failed') {
    throw problem(
      'payment_provider_error',
      'The payment provider refused the refund; nothing was refunded.',
      { refund: view },
    );
  }
  return {
    orderId: order.id,
    status: order.status,
    refundedMinor: order.refundedMinor,
    amountMinor: refund.amountMinor,
    currency: order.currency,
    ticketsReleased,
    refund: view,
  };
}

/** A paid order needs its provider here before anything is claimed. */
function requireProvider(env: Env, db: Db, { order }: OrderRecord): void {
  if (order.totalMinor === 0) return;
  const provider =
    order.paymentProvider === 'none' ? null : paymentProvider(env, db, '', order.paymentProvider);
  if (!provider || !order.paymentId) {
    throw problem('payment_provider_error', 'The order’s payment provider is not available.');
  }
}

/** Tickets named in a refund must be the order's own; a stranger's id is a 422, not a 404. */
function requireOwnTickets({ order, tickets }: OrderRecord, ticketIds: readonly string[]): void {
  const own = new Set(tickets.map((t) => t.id));
  const unknown = ticketIds.filter((id) => !own.has(id));
  if (unknown.length > 0) {
    throw validationFailed(
      unknown.map((id) => ({
        path: `ticketIds.${ticketIds.indexOf(id)}`,
        message: `Not a ticket of order ${order.id}`,
      })),
    );
  }
}

/**
 * The claim an earlier request with the same Idempotency-Key made, for the same amount (or
 * the same tickets).
 */
async function replayed(
  db: Db,
  refundId: string,
  orderId: string,
  request: RefundRequest,
): Promise<RefundRow | null> {
  const earlier = await findRefund(db, refundId);
  if (!earlier || earlier.orderId !== orderId) return null;
  const sameAmount =
    request.amountMinor === undefined || request.amountMinor === earlier.amountMinor;
  const earlierTickets = await ticketsOfRefund(db, refundId);
  const sameTickets = request.ticketIds
    ? [...new Set(request.ticketIds)].sort().join() === [...earlierTickets].sort().join()
    : earlierTickets.length === 0;
  if (!sameAmount || !sameTickets) {
    throw problem(
      'idempotency_key_reused',
      'This Idempotency-Key was used for another refund (amount or tickets).',
    );
  }
  return earlier;
}

/** Nothing was claimed: say why, from the order as it is now. */
async function refuse(
  env: Env,
  db: Db,
  before: OrderRecord,
  request: RefundRequest,
): Promise<never> {
  const requestedMinor = request.amountMinor;
  const record = (await loadOrder(db, before.order.id)) ?? before;
  const { order } = record;
  if (order.status === 'refunded') {
    // Re-running the release heals a refund whose inventory step did not finish.
    await inventoryFor(env, order.eventId).refundOrder(
      order.id,
      record.tickets.map((t) => t.id),
    );
    throw problem('invalid_state', 'This order is already fully refunded.');
  }
  if (!canTransition(order.status, 'refundPartly')) {
    throw problem('invalid_state', `An order in state ${order.status} can not be refunded.`);
  }
  if (request.ticketIds) {
    const taken = record.tickets.filter(
      (t) => request.ticketIds?.includes(t.id) && (t.refundId !== null || t.status !== 'valid'),
    );
    if (taken.length > 0) {
      throw problem('ticket_already_refunded', 'Some of these tickets are refunded already.', {
        ticketIds: taken.map((t) => t.id),
      });
    }
  }
  const refundable = await refundableOf(db, order.id);
  if (refundable <= 0) {
    throw problem('invalid_state', 'Everything paid is refunded or being refunded already.');
  }
  if (request.ticketIds) {
    throw problem('refund_exceeds_paid', `At most ${refundable} can still be refunded.`, {
      refundableMinor: refundable,
    });
  }
  if (requestedMinor !== undefined && requestedMinor > refundable) {
    throw problem('refund_exceeds_paid', `At most ${refundable} can still be refunded.`, {
      refundableMinor: refundable,
    });
  }
  throw problem('invalid_state', 'The order changed meanwhile; reload it and try again.');
}
