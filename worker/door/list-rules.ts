/**
 * A check-in list's rules, as pure functions: which tickets it admits, and when. The event's
 * Durable Object then decides what needs one order of events (first scan, refunds, exits).
 */

export type Direction = 'entry' | 'exit';

export interface ListRules {
  direction: Direction;
  /** null: every ticket type of the event. */
  ticketTypeIds: string[] | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface DoorTicket {
  ticketTypeId: string;
  status: 'valid' | 'revoked';
}

/** Why a list refuses a ticket before any scan state matters, in the door's words. */
export type ListRefusal =
  | 'canceled'
  | 'refunded'
  | 'not_on_list'
  | 'not_valid_yet'
  | 'not_valid_anymore';

/** Every answer a door gives, as a device reports it in a sync (docs/API.md "The door"). */
export type DeviceResult =
  | 'ok'
  | 'already_checked_in'
  | 'invalid'
  | 'wrong_event'
  | 'test_ticket'
  | ListRefusal;

/**
 * The first rule the ticket breaks, or null. A canceled event or a refunded ticket refuses
 * entry, never an exit: nobody is kept inside. The time window applies to both directions.
 */
export function listRefusal(
  list: ListRules,
  ticket: DoorTicket,
  event: { canceled: boolean },
  nowMs: number,
): ListRefusal | null {
  if (list.direction === 'entry') {
    if (event.canceled) return 'canceled';
    if (ticket.status === 'revoked') return 'refunded';
  }
  if (!isOnList(list, ticket.ticketTypeId)) return 'not_on_list';
  if (list.validFrom !== null && nowMs < Date.parse(list.validFrom)) return 'not_valid_yet';
  if (list.validUntil !== null && nowMs > Date.parse(list.validUntil)) return 'not_valid_anymore';
  return null;
}

export function isOnList(list: Pick<ListRules, 'ticketTypeIds'>, ticketTypeId: string): boolean {
  return list.ticketTypeIds === null || list.ticketTypeIds.includes(ticketTypeId);
}

/** Tickets a list can admit: the valid tickets of its types (`validByType`: counts per type). */
export function eligibleTotal(
  list: Pick<ListRules, 'ticketTypeIds'>,
  validByType: ReadonlyMap<string, number>,
): number {
  let total = 0;
  for (const [typeId, n] of validByType) if (isOnList(list, typeId)) total += n;
  return total;
}
