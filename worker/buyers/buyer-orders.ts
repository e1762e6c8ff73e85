import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { events, orderLines, orders, organizers, tickets, type Venue } from '../db/schema';
import { TICKETED_STATES } from '../domain/order-states';
import { orderTokenFor } from '../orders/order-token';
import { listedOrderStatus, placedWith } from './buyer-links';

/** At most this many orders are listed (newest first; D1 binds at most 100 ids in the lookups below); a note says when there are more. */
export const BUYER_ORDERS_LIMIT = 90;

/** One order in "My tickets", with the order token its links (the existing routes) carry. */
export interface BuyerOrder {
  id: string;
  token: string;
  status: (typeof orders.$inferSelect)['status'];
  testMode: boolean;
  ticketed: boolean;
  totalMinor: number;
  refundedMinor: number;
  currency: string;
  createdAt: string;
  organizerName: string;
  event: {
    title: string;
    slug: string;
    startsAt: string;
    endsAt: string | null;
    timezone: string;
    venue: Venue;
    canceled: boolean;
  };
  /** Every ticket of the order; `valid: false` for refunded ones. */
  tickets: { id: string; typeName: string; valid: boolean }[];
}

/**
 * Every order placed with `email` (normalised), across organizers, newest first. Orders are
 * matched by address only: the session proved that address, and the order token of each is
 * exactly what its confirmation mail sent there.
 */
export async function listBuyerOrders(
  env: Env,
  db: Db,
  email: string,
): Promise<{ orders: BuyerOrder[]; more: boolean }> {
  const rows = await db
    .select({ order: orders, event: events, organizerName: organizers.name })
    .from(orders)
    .innerJoin(events, eq(events.id, orders.eventId))
    .innerJoin(organizers, eq(organizers.id, orders.organizerId))
    .where(and(placedWith(email), listedOrderStatus))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(BUYER_ORDERS_LIMIT + 1);
  const listed = rows.slice(0, BUYER_ORDERS_LIMIT);
  const ids = listed.map((row) => row.order.id);
  const [lines, ticketRows] =
    ids.length === 0
      ? [[], []]
      : await db.batch([
          db.select().from(orderLines).where(inArray(orderLines.orderId, ids)),
          db
            .select()
            .from(tickets)
            .where(inArray(tickets.orderId, ids))
            .orderBy(tickets.orderId, tickets.position),
        ]);
  const names = new Map(lines.map((line) => [`${line.orderId}:${line.ticketTypeId}`, line.name]));
  const result = await Promise.all(
    listed.map(async ({ order, event, organizerName }): Promise<BuyerOrder> => {
      const ticketed = TICKETED_STATES.includes(order.status);
      return {
        id: order.id,
        token: await orderTokenFor(env, order.id),
        status: order.status,
        testMode: order.testMode,
        ticketed,
        totalMinor: order.totalMinor,
        refundedMinor: order.refundedMinor,
        currency: order.currency,
        createdAt: order.createdAt,
        organizerName,
        event: {
          title: event.title,
          slug: event.slug,
          startsAt: event.startsAt,
          endsAt: event.endsAt,
          timezone: event.timezone,
          venue: event.venue,
          canceled: event.status === 'canceled',
        },
        tickets: ticketRows
          .filter((ticket) => ticket.orderId === order.id)
          .map((ticket) => ({
            id: ticket.id,
            typeName: names.get(`${order.id}:${ticket.ticketTypeId}`) ?? 'Ticket',
            valid: ticketed && ticket.status === 'valid',
          })),
      };
    }),
  );
  return { orders: result, more: rows.length > BUYER_ORDERS_LIMIT };
}

/** Upcoming (not yet over) first by date, then past, most recent first. */
export function splitByTime(list: BuyerOrder[], now: number) {
  const endOf = (o: BuyerOrder) => Date.parse(o.event.endsAt ?? o.event.startsAt);
  const upcoming = list
    .filter((o) => endOf(o) >= now)
    .sort((a, b) => a.event.startsAt.localeCompare(b.event.startsAt));
  const past = list
    .filter((o) => endOf(o) < now)
    .sort((a, b) => b.event.startsAt.localeCompare(a.event.startsAt));
  return { upcoming, past };
}
