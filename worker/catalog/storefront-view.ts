import type { AvailabilitySnapshot } from '../../durable-objects/inventory/types';
import { availabilityStatus, isOnSale } from '../domain/availability';
import { type EventRecord, publicEventFields } from './event-record';

/** The public view of an event (API.md "Storefront API"). */
export function storefrontEventView(
  record: EventRecord,
  snapshot: AvailabilitySnapshot | null,
  now: number,
) {
  const { event } = record;
  const onSale = isOnSale(event, now);
  const byType = new Map(snapshot?.ticketTypes.map((t) => [t.id, t]));
  return {
    ...publicEventFields(event),
    waitingRoom: waitingRoomView(snapshot),
    // A hidden type does not exist for buyers (the event's DO refuses holds on it too).
    ticketTypes: record.ticketTypes
      .filter((t) => !t.hidden)
      .map((t) => {
        const counts = byType.get(t.id);
        const available = counts?.available ?? 0;
        return {
          id: t.id,
          name: t.name,
          priceMinor: t.priceMinor,
          status: availabilityStatus(
            { capacity: t.capacity, available },
            onSale && counts !== undefined,
          ),
          available,
        };
      }),
  };
}

export type StorefrontEvent = ReturnType<typeof storefrontEventView>;

/**
 * Whether buyers queue right now (`active`: a hold needs an admission token), plus the room's
 * mode and phase (`pre_queue` before sales open) so a client can show the right door.
 */
function waitingRoomView(snapshot: AvailabilitySnapshot | null) {
  const room = snapshot?.waitingRoom;
  return {
    active: room?.active ?? false,
    mode: room?.mode ?? 'off',
    phase: room?.phase ?? 'off',
  };
}
