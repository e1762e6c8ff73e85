import { and, eq, inArray, sql } from 'drizzle-orm';
import { eventCapacity } from '../catalog/event-capacity';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { events, organizers, quotas, quotaTicketTypes, ticketTypes } from '../db/schema';
import type { Principal } from './principal';

export interface EventSummary {
  id: string;
  title: string;
  status: string;
  /** A test-mode event: its lists say TEST next to the status. */
  testMode: boolean;
  startsAt: string;
  timezone: string;
  ticketTypeCount: number;
  embedded: boolean;
  sold: number;
  capacity: number;
}

/** Each event's quotas with their ticket types, for the workspace's events. */
async function quotasByEvent(db: Db, organizerId: string, eventIds: string[]) {
  const rows =
    eventIds.length === 0
      ? []
      : await db
          .select({
            eventId: quotas.eventId,
            quotaId: quotas.id,
            size: quotas.size,
            ticketTypeId: quotaTicketTypes.ticketTypeId,
          })
          .from(quotas)
          .innerJoin(quotaTicketTypes, eq(quotaTicketTypes.quotaId, quotas.id))
          .innerJoin(events, eq(events.id, quotas.eventId))
          .where(eq(events.organizerId, organizerId));
  const byQuota = new Map<string, { eventId: string; size: number; ticketTypeIds: string[] }>();
  for (const row of rows) {
    const quota = byQuota.get(row.quotaId) ?? { ...row, ticketTypeIds: [] };
    quota.ticketTypeIds.push(row.ticketTypeId);
    byQuota.set(row.quotaId, quota);
  }
  const wanted = new Set(eventIds);
  return [...byQuota.values()].filter((q) => wanted.has(q.eventId));
}

/**
 * The events a principal sees, with sold / capacity from each event's Durable Object (the
 * truth for availability, as the organizer API's stats); capacity counts shared quotas once.
 */
export async function eventSummaries(
  env: Env,
  db: Db,
  principal: Principal,
): Promise<EventSummary[]> {
  const scope = principal.eventScope;
  if (scope !== null && scope.length === 0) return [];
  const rows = await db
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      testMode: events.testMode,
      startsAt: events.startsAt,
      timezone: events.timezone,
      allowedOrigins: events.allowedOrigins,
      // Qualified by hand: drizzle writes a column bare in a select list, and a bare "id"
      // inside this subquery would be the ticket type's, never the event's.
      ticketTypeCount: sql<number>`(select count(*) from ${ticketTypes} where ${ticketTypes}.event_id = ${events}.id)`,
    })
    .from(events)
    .where(
      and(
        eq(events.organizerId, principal.organizerId),
        scope ? inArray(events.id, [...scope]) : undefined,
      ),
    )
    .orderBy(events.startsAt)
    .limit(100);
  const eventQuotas = await quotasByEvent(
    db,
    principal.organizerId,
    rows.map((r) => r.id),
  );
  return Promise.all(
    rows.map(async ({ allowedOrigins, ...row }) => {
      const snapshot = await inventoryFor(env, row.id).availability();
      const types = snapshot?.ticketTypes ?? [];
      return {
        ...row,
        embedded: allowedOrigins.length > 0,
        sold: types.reduce((sum, t) => sum + t.sold, 0),
        capacity: eventCapacity(
          types,
          eventQuotas.filter((q) => q.eventId === row.id),
        ),
      };
    }),
  );
}

export interface ChecklistStep {
  key: 'create' | 'ticket_types' | 'publish' | 'embed';
  label: string;
  done: boolean;
}

/** The new organizer's way from an empty workspace to selling on their own site. */
export function checklist(list: EventSummary[]): ChecklistStep[] {
  return [
    { key: 'create', label: 'Create an event', done: list.length > 0 },
    {
      key: 'ticket_types',
      label: 'Add ticket types',
      done: list.some((e) => e.ticketTypeCount > 0),
    },
    { key: 'publish', label: 'Publish it', done: list.some((e) => e.status === 'on_sale') },
    {
      key: 'embed',
      label: 'Embed the widget on your site (allow your site’s origin)',
      done: list.some((e) => e.embedded),
    },
  ];
}

export async function workspaceName(db: Db, organizerId: string): Promise<string> {
  const row = await db
    .select({ name: organizers.name })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
    .get();
  return row?.name ?? '';
}
