import { and, eq, inArray } from 'drizzle-orm';
import { bindSlices } from '../db/bind-slices';
import type { Db } from '../db/client';
import { apiKeys, orders, people, tickets, ticketTypes } from '../db/schema';

/** Names the door screens show instead of ids: who did it, whose ticket it is. */

/** People by email and API keys by name ("API key Door tablet"), of this workspace's actors. */
export async function actorNames(
  db: Db,
  organizerId: string,
  actors: string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(actors)];
  const personIds = wanted.filter((id) => id.startsWith('per_'));
  const keyIds = wanted.filter((id) => id.startsWith('key_'));
  const [persons, keys] = await Promise.all([
    Promise.all(
      bindSlices(personIds).map((ids) =>
        db
          .select({ id: people.id, email: people.email })
          .from(people)
          .where(inArray(people.id, ids)),
      ),
    ),
    Promise.all(
      bindSlices(keyIds).map((ids) =>
        db
          .select({ id: apiKeys.id, label: apiKeys.label })
          .from(apiKeys)
          .where(and(eq(apiKeys.organizerId, organizerId), inArray(apiKeys.id, ids))),
      ),
    ),
  ]);
  return new Map([
    ...persons.flat().map((p): [string, string] => [p.id, p.email]),
    ...keys.flat().map((k): [string, string] => [k.id, `API key ${k.label}`]),
  ]);
}

/** The holder's name and ticket type of some tickets of one event. */
export async function ticketHolders(
  db: Db,
  eventId: string,
  ticketIds: string[],
): Promise<Map<string, { holderName: string; ticketTypeName: string | null }>> {
  const wanted = [...new Set(ticketIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({
      id: tickets.id,
      holderName: orders.buyerName,
      ticketTypeName: ticketTypes.name,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(ticketTypes, eq(ticketTypes.id, tickets.ticketTypeId))
    .where(and(eq(tickets.eventId, eventId), inArray(tickets.id, wanted)));
  return new Map(rows.map((r) => [r.id, r]));
}
