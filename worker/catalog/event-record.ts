import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { InventoryConfig } from '../../durable-objects/inventory/types';
import type { Db } from '../db/client';
import { events, quotas, quotaTicketTypes, ticketTypes } from '../db/schema';
import { resolveWaitingRoom } from '../waiting-room/settings';

export type EventRow = typeof events.$inferSelect;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;

export interface QuotaRecord {
  id: string;
  name: string;
  size: number;
  ticketTypeIds: string[];
}

/** An event with its ticket types and quotas, as D1 holds it. */
export interface EventRecord {
  event: EventRow;
  ticketTypes: TicketTypeRow[];
  quotas: QuotaRecord[];
}

/** Loads an event by id or slug with its ticket types and quotas, in one D1 round trip. */
export async function loadEvent(db: Db, idOrSlug: string): Promise<EventRecord | null> {
  const matches = or(eq(events.id, idOrSlug), eq(events.slug, idOrSlug));
  const eventId = db.select({ id: events.id }).from(events).where(matches);
  const [eventRows, types, quotaRows] = await db.batch([
    db.select().from(events).where(matches),
    db
      .select()
      .from(ticketTypes)
      .where(inArray(ticketTypes.eventId, eventId))
      .orderBy(asc(ticketTypes.position)),
    db
      .select({
        id: quotas.id,
        name: quotas.name,
        size: quotas.size,
        ticketTypeId: quotaTicketTypes.ticketTypeId,
      })
      .from(quotas)
      .leftJoin(quotaTicketTypes, eq(quotaTicketTypes.quotaId, quotas.id))
      .where(inArray(quotas.eventId, eventId))
      // Quotas in the order they were written; members sorted below, by ticket-type order.
      .orderBy(sql`${quotas}.rowid`),
  ]);
  const event = eventRows[0];
  if (!event) return null;
  const position = new Map(types.map((t) => [t.id, t.position]));
  const grouped = groupQuotas(quotaRows).map((q) => ({
    ...q,
    ticketTypeIds: q.ticketTypeIds.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)),
  }));
  return { event, ticketTypes: types, quotas: grouped };
}

function groupQuotas(
  rows: { id: string; name: string; size: number; ticketTypeId: string | null }[],
): QuotaRecord[] {
  const byId = new Map<string, QuotaRecord>();
  for (const row of rows) {
    const quota = byId.get(row.id) ?? {
      id: row.id,
      name: row.name,
      size: row.size,
      ticketTypeIds: [],
    };
    if (row.ticketTypeId) quota.ticketTypeIds.push(row.ticketTypeId);
    byId.set(row.id, quota);
  }
  return [...byId.values()];
}

/** The part of the catalog the event's Durable Object needs to decide holds alone. */
export function toInventoryConfig(record: EventRecord): InventoryConfig {
  const { event } = record;
  return {
    eventId: event.id,
    status: event.status,
    salesStartAt: event.salesStartAt,
    salesEndAt: event.salesEndAt,
    holdMinutes: event.holdMinutes,
    maxPerOrder: event.maxPerOrder,
    maxHeldPerClient: event.maxHeldPerClient,
    ticketTypes: record.ticketTypes.map((t) => ({
      id: t.id,
      capacity: t.capacity,
      hidden: t.hidden,
    })),
    quotas: record.quotas.map((q) => ({ id: q.id, size: q.size, ticketTypeIds: q.ticketTypeIds })),
    waitingRoom: resolveWaitingRoom(event.waitingRoom),
  };
}

/** The event fields every view shows, organizer's and buyers' alike. */
export function publicEventFields(event: EventRow) {
  return {
    id: event.id,
    slug: event.slug,
    title: event.title,
    description: event.description,
    status: event.status,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    currency: event.currency,
    venue: event.venue,
    salesStartAt: event.salesStartAt,
    salesEndAt: event.salesEndAt,
    holdMinutes: event.holdMinutes,
    maxPerOrder: event.maxPerOrder,
    testMode: event.testMode,
  };
}

/** The organizer's view of an event (API.md). */
export function organizerEventView(record: EventRecord) {
  const { event } = record;
  const keyOf = new Map(record.ticketTypes.map((t) => [t.id, t.key]));
  return {
    ...publicEventFields(event),
    ticketTypes: record.ticketTypes.map((t) => ({
      id: t.id,
      key: t.key,
      name: t.name,
      priceMinor: t.priceMinor,
      capacity: t.capacity,
      hidden: t.hidden,
      position: t.position,
    })),
    quotas: record.quotas.map((q) => ({
      id: q.id,
      name: q.name,
      size: q.size,
      ticketTypes: q.ticketTypeIds.map((id) => keyOf.get(id) ?? id),
    })),
    waitingRoom: event.waitingRoom,
    allowedOrigins: event.allowedOrigins,
    maxHeldPerClient: event.maxHeldPerClient,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
  };
}
