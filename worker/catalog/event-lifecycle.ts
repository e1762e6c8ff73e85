import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, type EventStatus, events } from '../db/schema';
import { AppError, problem } from '../domain/errors';
import { newId } from '../domain/ids';
import { createEvent, loadOwnEvent } from './event-commands';
import type { CreateEventInput } from './event-input';
import { type EventRecord, toInventoryConfig } from './event-record';
import { inventoryFor } from './inventory';

/**
 * An event's life after it was created: taken off sale (back to draft), canceled, copied.
 * Each status change is one conditional write from the states it may leave, then the new
 * status is pushed to the event's Durable Object, which stops or allows holds at once.
 */

const LEAVES: Record<'unpublish' | 'cancel', { from: EventStatus[]; to: EventStatus }> = {
  unpublish: { from: ['on_sale'], to: 'draft' },
  cancel: { from: ['draft', 'on_sale'], to: 'canceled' },
};

async function changeStatus(
  db: Db,
  env: Env,
  organizerId: string,
  eventId: string,
  change: keyof typeof LEAVES,
): Promise<EventRecord> {
  const current = await loadOwnEvent(db, organizerId, eventId);
  const { from, to } = LEAVES[change];
  if (current.event.status === to) return current;
  if (!from.includes(current.event.status)) {
    throw problem('invalid_state', `A ${current.event.status} event can not be ${change}ed.`, {
      status: current.event.status,
    });
  }
  const updatedAt = new Date().toISOString();
  const [updated] = await db.batch([
    db
      .update(events)
      .set({ status: to, updatedAt })
      .where(and(eq(events.id, eventId), inArray(events.status, from)))
      .returning({ id: events.id }),
    db.insert(auditLog).values({
      id: newId('au'),
      organizerId,
      action: `event.${change}ed`,
      subjectId: eventId,
    }),
  ]);
  if (updated.length === 0) {
    throw problem('invalid_state', 'The event changed meanwhile; reload it and try again.');
  }
  const next: EventRecord = { ...current, event: { ...current.event, status: to, updatedAt } };
  await inventoryFor(env, eventId).configure(toInventoryConfig(next));
  return next;
}

/** Takes an event off sale: no new holds; holds and orders already made go on. */
export const unpublishEvent = (db: Db, env: Env, organizerId: string, eventId: string) =>
  changeStatus(db, env, organizerId, eventId, 'unpublish');

/** Stops sales for good. Refunding the orders already paid is a separate step. */
export const cancelEvent = (db: Db, env: Env, organizerId: string, eventId: string) =>
  changeStatus(db, env, organizerId, eventId, 'cancel');

/** The catalog of an event as a create body: what a copy starts from. */
export function asCreateInput(record: EventRecord): CreateEventInput {
  const { event } = record;
  const keyOf = new Map(record.ticketTypes.map((t) => [t.id, t.key]));
  return {
    title: event.title,
    slug: event.slug,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    currency: event.currency,
    venue: event.venue,
    salesStartAt: event.salesStartAt,
    salesEndAt: event.salesEndAt,
    holdMinutes: event.holdMinutes,
    maxPerOrder: event.maxPerOrder,
    maxHeldPerClient: event.maxHeldPerClient,
    ticketTypes: [...record.ticketTypes]
      .sort((a, b) => a.position - b.position)
      .map((t) => ({ key: t.key, name: t.name, priceMinor: t.priceMinor, capacity: t.capacity })),
    quotas: record.quotas.map((q) => ({
      name: q.name,
      size: q.size,
      ticketTypes: q.ticketTypeIds.map((id) => keyOf.get(id) ?? id),
    })),
    waitingRoom: event.waitingRoom,
    allowedOrigins: event.allowedOrigins,
    testMode: event.testMode,
  };
}

/**
 * A draft copy of an event with the same catalog and settings (nothing sold, nothing
 * held), titled "… (copy)" under the first free slug `<slug>-copy`, `<slug>-copy-2`, ….
 */
export async function duplicateEvent(
  db: Db,
  env: Env,
  organizerId: string,
  eventId: string,
): Promise<EventRecord> {
  const source = await loadOwnEvent(db, organizerId, eventId);
  const input = asCreateInput(source);
  const title = `${source.event.title} (copy)`.slice(0, 200);
  const stem = `${source.event.slug.slice(0, 52)}-copy`;
  for (let n = 1; n <= 20; n++) {
    const slug = n === 1 ? stem : `${stem}-${n}`;
    try {
      return await createEvent(db, env, organizerId, { ...input, title, slug });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'slug_taken')) throw error;
    }
  }
  throw problem('slug_taken', 'No free slug for the copy; rename the earlier copies first.');
}
