import { and, asc, eq, gt, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { orders, tickets, ticketTypes } from '../db/schema';

/**
 * Attendee search at the door, the fallback when a QR will not scan: by name (anywhere in it),
 * email (from its start) or exact order id, case-insensitive. Answers what the door needs to
 * recognise a person and nothing more: no email, no code.
 */
export async function searchAttendees(
  db: Db,
  eventId: string,
  query: { q: string; cursor?: string | undefined; limit: number },
) {
  const text = escapeLike(query.q.toLowerCase());
  const rows = await db
    .select({
      ticketId: tickets.id,
      orderId: tickets.orderId,
      holderName: orders.buyerName,
      ticketTypeId: tickets.ticketTypeId,
      ticketTypeName: ticketTypes.name,
      status: tickets.status,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(ticketTypes, eq(ticketTypes.id, tickets.ticketTypeId))
    .where(
      and(
        eq(tickets.eventId, eventId),
        or(
          like(sql`lower(${orders.buyerName})`, sql`${`%${text}%`} ESCAPE '\\'`),
          like(sql`lower(${orders.buyerEmail})`, sql`${`${text}%`} ESCAPE '\\'`),
          eq(orders.id, query.q),
        ),
        query.cursor ? gt(tickets.id, query.cursor) : undefined,
      ),
    )
    .orderBy(asc(tickets.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { data: page, nextCursor: rows.length > query.limit && last ? last.ticketId : null };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
