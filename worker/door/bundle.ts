import { and, asc, eq, gt, gte } from 'drizzle-orm';
import type { JSONWebKeySet } from 'jose';
import type { DoorChanges } from '../../durable-objects/door/types';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { events, orders, tickets, ticketTypes } from '../db/schema';
import { notFound } from '../domain/errors';
import { publicJwks } from '../tickets/codes';
import { type DoorDevice, deviceLists } from './devices';
import { eventLists, listView } from './lists';

/**
 * What a device needs to scan with no network: the event's tickets (no codes: a QR's signature
 * is checked against the JWKS, and a lost phone must not carry every ticket), the lists it may
 * use, the public keys, and what changed at the door (revocations, check-ins) since `since`.
 * Tickets come in pages by id; the changes come with the first page.
 */
export async function doorBundle(
  env: Env,
  db: Db,
  device: DoorDevice,
  query: { since?: string | undefined; cursor?: string | undefined; limit: number },
) {
  // Taken before reading: the next `since` overlaps this read rather than leaving a gap.
  const generatedAt = new Date().toISOString();
  const event = await db
    .select({
      id: events.id,
      title: events.title,
      startsAt: events.startsAt,
      status: events.status,
      testMode: events.testMode,
      createdAt: events.createdAt,
    })
    .from(events)
    .where(eq(events.id, device.eventId))
    .get();
  if (!event) throw notFound('event');
  const sinceMs = query.since ? Date.parse(query.since) : 0;
  const [lists, types, page, jwks, changes] = await Promise.all([
    eventLists(db, event).then((all) => deviceLists(device, all)),
    db
      .select({ id: ticketTypes.id, name: ticketTypes.name })
      .from(ticketTypes)
      .where(eq(ticketTypes.eventId, event.id))
      .orderBy(asc(ticketTypes.position)),
    ticketPage(db, event.id, query),
    publicJwks(env),
    query.cursor
      ? Promise.resolve<DoorChanges | null>(null)
      : inventoryFor(env, event.id).doorChanges(sinceMs),
  ]);
  const listIds = new Set(lists.map((l) => l.id));
  const rows = page.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    event: {
      id: event.id,
      title: event.title,
      startsAt: event.startsAt,
      status: event.status,
      // A test-mode ticket (its code says so) is valid only at a test-mode event.
      testMode: event.testMode,
    },
    generatedAt,
    since: query.since ?? null,
    lists: lists.map((l) => {
      const { checkedIn: _c, inside: _i, total: _t, ...rules } = listView(l, undefined, new Map());
      return rules;
    }),
    ticketTypes: types,
    jwks: jwks satisfies JSONWebKeySet,
    tickets: rows,
    nextCursor: page.length > query.limit && last ? last.id : null,
    ...(changes
      ? {
          revocations: changes.revocations,
          checkins: changes.admissions.filter((a) => listIds.has(a.listId)),
        }
      : {}),
  };
}

function ticketPage(
  db: Db,
  eventId: string,
  query: { since?: string | undefined; cursor?: string | undefined; limit: number },
) {
  return db
    .select({
      id: tickets.id,
      orderId: tickets.orderId,
      ticketTypeId: tickets.ticketTypeId,
      holderName: orders.buyerName,
      status: tickets.status,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .where(
      and(
        eq(tickets.eventId, eventId),
        query.since ? gte(tickets.createdAt, new Date(query.since).toISOString()) : undefined,
        query.cursor ? gt(tickets.id, query.cursor) : undefined,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(query.limit + 1);
}
