import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { type CheckinList, listView, validTicketsByType } from './lists';

export type ListView = ReturnType<typeof listView>;

/** Lists with their live counts: the DO's check-ins over D1's valid tickets of each list. */
export async function listViews(
  env: Env,
  db: Db,
  eventId: string,
  lists: CheckinList[],
): Promise<ListView[]> {
  const [counts, byType] = await Promise.all([
    inventoryFor(env, eventId).checkinCounts(),
    validTicketsByType(db, eventId),
  ]);
  const countOf = new Map(counts.map((c) => [c.listId, c]));
  return lists.map((list) => listView(list, countOf.get(list.id), byType));
}
