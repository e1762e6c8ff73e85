import { eq, or } from 'drizzle-orm';
import { IsolateMemo } from '../cache/isolate-memo';
import type { Db } from '../db/client';
import { events, orders, sandboxPayments, tickets } from '../db/schema';
import { eventIdOfHold } from '../domain/ids';
import type { CorsTarget } from './cors-target';

/** An event's id and the origins its organizer allowed to call the storefront API. */
export interface EventOrigins {
  eventId: string;
  allowedOrigins: readonly string[];
}

/**
 * A per-isolate copy of each event's allowed origins lives this long, so a rush of holds and
 * status polls does not cost a D1 read each. A change of `allowedOrigins` reaches every
 * isolate within this time.
 */
export const ALLOWED_ORIGINS_TTL_MS = 30_000;

const MAX_ENTRIES = 10_000;

/** By event id and by slug. Misses are not kept: an event created a moment later is found. */
const originsByEvent = new IsolateMemo<EventOrigins | null>(MAX_ENTRIES);
const keepFound = (found: EventOrigins | null) => (found ? ALLOWED_ORIGINS_TTL_MS : 0);

/** Orders, tickets and payments never move to another event: their event is kept for good. */
const eventOfResource = new Map<string, string>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** The allowed origins of an event given by id or slug (up to 30 s old), or null if none. */
export function eventOrigins(
  db: Db,
  idOrSlug: string,
  now = Date.now(),
): Promise<EventOrigins | null> {
  const load = () =>
    db
      .select({ eventId: events.id, allowedOrigins: events.allowedOrigins })
      .from(events)
      .where(or(eq(events.id, idOrSlug), eq(events.slug, idOrSlug)))
      .get()
      .then((row) => row ?? null);
  return originsByEvent.get(idOrSlug, load, keepFound, now);
}

/** The event of an order, ticket or sandbox payment, found once with one D1 read. */
async function originsOfResource(
  db: Db,
  resourceId: string,
  lookup: () => Promise<EventOrigins | undefined>,
  now: number,
): Promise<EventOrigins | null> {
  const eventId = eventOfResource.get(resourceId);
  if (eventId) return eventOrigins(db, eventId, now);
  const found = (await lookup()) ?? null;
  if (found) {
    remember(eventOfResource, resourceId, found.eventId);
    originsByEvent.set(found.eventId, found, ALLOWED_ORIGINS_TTL_MS, now);
  }
  return found;
}

const originColumns = { eventId: events.id, allowedOrigins: events.allowedOrigins };

/**
 * The event a storefront request belongs to, with its allowed origins; null when there is no
 * such event (the route then answers 404 or 422 as it always does). A checkout is resolved by
 * the caller through its body's hold id.
 */
export function originsForTarget(
  db: Db,
  target: Exclude<CorsTarget, { kind: 'checkout' }>,
  now = Date.now(),
): Promise<EventOrigins | null> {
  switch (target.kind) {
    case 'event':
      return eventOrigins(db, target.idOrSlug, now);
    case 'hold': {
      const eventId = eventIdOfHold(target.holdId);
      return eventId ? eventOrigins(db, eventId, now) : Promise.resolve(null);
    }
    case 'order':
      return originsOfResource(
        db,
        target.orderId,
        () =>
          db
            .select(originColumns)
            .from(orders)
            .innerJoin(events, eq(events.id, orders.eventId))
            .where(eq(orders.id, target.orderId))
            .get(),
        now,
      );
    case 'ticket':
      return originsOfResource(
        db,
        target.ticketId,
        () =>
          db
            .select(originColumns)
            .from(tickets)
            .innerJoin(events, eq(events.id, tickets.eventId))
            .where(eq(tickets.id, target.ticketId))
            .get(),
        now,
      );
    case 'payment':
      return originsOfResource(
        db,
        target.paymentId,
        () =>
          db
            .select(originColumns)
            .from(sandboxPayments)
            .innerJoin(orders, eq(orders.id, sandboxPayments.orderId))
            .innerJoin(events, eq(events.id, orders.eventId))
            .where(eq(sandboxPayments.id, target.paymentId))
            .get(),
        now,
      );
  }
}
