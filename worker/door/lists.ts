import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { checkinLists, tickets } from '../db/schema';
import { type FieldError, notFound, problem, validationFailed } from '../domain/errors';
import { defaultCheckinListId, newId } from '../domain/ids';
import type { CreateListInput, PatchListInput } from './list-input';
import { eligibleTotal } from './list-rules';

export type CheckinList = typeof checkinLists.$inferSelect;

const MAX_LISTS = 50;

/**
 * The default list as it is until an organizer changes it: every event has it, so it needs no
 * row (and no write at event creation); a PATCH stores it.
 */
export function defaultList(eventId: string, createdAt: string): CheckinList {
  return {
    id: defaultCheckinListId(eventId),
    eventId,
    name: 'All tickets',
    ticketTypeIds: null,
    direction: 'entry',
    validFrom: null,
    validUntil: null,
    gate: null,
    isDefault: true,
    createdAt,
    updatedAt: createdAt,
  };
}

/** The event's lists, the default first; `eventCreatedAt` dates the default until it is stored. */
export async function eventLists(
  db: Db,
  event: { id: string; createdAt: string },
): Promise<CheckinList[]> {
  const rows = await db
    .select()
    .from(checkinLists)
    .where(eq(checkinLists.eventId, event.id))
    .orderBy(checkinLists.createdAt, checkinLists.id);
  return withDefault(rows, event);
}

export function withDefault(
  rows: CheckinList[],
  event: { id: string; createdAt: string },
): CheckinList[] {
  const stored = rows.find((l) => l.isDefault);
  const rest = rows.filter((l) => !l.isDefault);
  return [stored ?? defaultList(event.id, event.createdAt), ...rest];
}

export async function findList(
  db: Db,
  event: { id: string; createdAt: string },
  listId: string,
): Promise<CheckinList | undefined> {
  if (listId === defaultCheckinListId(event.id)) {
    const row = await db.select().from(checkinLists).where(eq(checkinLists.id, listId)).get();
    return row ?? defaultList(event.id, event.createdAt);
  }
  return db
    .select()
    .from(checkinLists)
    .where(and(eq(checkinLists.id, listId), eq(checkinLists.eventId, event.id)))
    .get();
}

function checkTypes(ids: string[] | null | undefined, eventTypeIds: string[]): void {
  const known = new Set(eventTypeIds);
  const errors: FieldError[] = (ids ?? []).flatMap((id, i) =>
    known.has(id)
      ? []
      : [{ path: `ticketTypeIds.${i}`, message: 'No such ticket type in this event' }],
  );
  if (errors.length > 0) throw validationFailed(errors);
}

export async function createList(
  db: Db,
  event: { id: string; createdAt: string },
  eventTypeIds: string[],
  input: CreateListInput,
): Promise<CheckinList> {
  checkTypes(input.ticketTypeIds, eventTypeIds);
  const count = await db
    .select({ n: sql<number>`count(*)` })
    .from(checkinLists)
    .where(and(eq(checkinLists.eventId, event.id), eq(checkinLists.isDefault, false)))
    .get();
  if ((count?.n ?? 0) >= MAX_LISTS - 1) {
    throw problem('invalid_state', `An event has at most ${MAX_LISTS} check-in lists.`);
  }
  const now = new Date().toISOString();
  const row: CheckinList = {
    ...input,
    id: newId('cl'),
    eventId: event.id,
    isDefault: false,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(checkinLists).values(row);
  return row;
}

export async function patchList(
  db: Db,
  event: { id: string; createdAt: string },
  eventTypeIds: string[],
  listId: string,
  input: PatchListInput,
): Promise<CheckinList> {
  const current = await findList(db, event, listId);
  if (!current) throw notFound('check-in list');
  checkTypes(input.ticketTypeIds, eventTypeIds);
  const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const next: CheckinList = { ...current, ...changes, updatedAt: new Date().toISOString() };
  if (
    next.validFrom &&
    next.validUntil &&
    Date.parse(next.validUntil) <= Date.parse(next.validFrom)
  ) {
    throw validationFailed([{ path: 'validUntil', message: 'validUntil must be after validFrom' }]);
  }
  // The default list gets its row the first time it is changed.
  await db
    .insert(checkinLists)
    .values(next)
    .onConflictDoUpdate({
      target: checkinLists.id,
      set: { ...changes, updatedAt: next.updatedAt },
    });
  return next;
}

export async function deleteList(
  db: Db,
  event: { id: string; createdAt: string },
  listId: string,
): Promise<void> {
  const current = await findList(db, event, listId);
  if (!current) throw notFound('check-in list');
  if (current.isDefault) {
    throw problem('invalid_state', 'The default list can not be deleted; restrict it instead.');
  }
  // Its scans stay in the event's Durable Object as facts.
  await db.delete(checkinLists).where(eq(checkinLists.id, listId));
}

/** Valid tickets of the event per ticket type (the denominators of the live counts). */
export async function validTicketsByType(db: Db, eventId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ typeId: tickets.ticketTypeId, n: sql<number>`count(*)` })
    .from(tickets)
    .where(and(eq(tickets.eventId, eventId), eq(tickets.status, 'valid')))
    .groupBy(tickets.ticketTypeId);
  return new Map(rows.map((r) => [r.typeId, r.n]));
}

export interface ListCounts {
  checkedIn: number;
  inside: number;
}

export function listView(
  list: CheckinList,
  counts: ListCounts | undefined,
  validByType: ReadonlyMap<string, number>,
) {
  return {
    id: list.id,
    eventId: list.eventId,
    name: list.name,
    isDefault: list.isDefault,
    direction: list.direction,
    allTicketTypes: list.ticketTypeIds === null,
    ticketTypeIds: list.ticketTypeIds,
    validFrom: list.validFrom,
    validUntil: list.validUntil,
    gate: list.gate,
    checkedIn: counts?.checkedIn ?? 0,
    inside: list.direction === 'entry' ? (counts?.inside ?? 0) : 0,
    total: eligibleTotal(list, validByType),
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
  };
}
