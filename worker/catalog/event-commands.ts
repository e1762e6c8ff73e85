import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { auditLog, events, quotas, quotaTicketTypes, ticketTypes } from '../db/schema';
import { type FieldError, notFound, problem, validationFailed } from '../domain/errors';
import { newId } from '../domain/ids';
import { type CreateEventInput, heldCapError, type PatchEventInput } from './event-input';
import { reorderTypes, type TypeMove } from './event-order';
import {
  type EventRecord,
  loadEvent,
  type QuotaRecord,
  type TicketTypeRow,
  toInventoryConfig,
} from './event-record';
import { scheduleErrors } from './event-schedule';
import { inventoryFor } from './inventory';
import { checkTestModeSwitch, requireLiveSales } from './test-mode';

type Batch = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

const slugTaken = () => problem('slug_taken', 'Another event already uses this slug.');

/** An organizer's own event, or 404 (another organizer's event is indistinguishable from none). */
export async function loadOwnEvent(
  db: Db,
  organizerId: string,
  eventId: string,
): Promise<EventRecord> {
  const record = await loadEvent(db, eventId);
  if (!record || record.event.organizerId !== organizerId || record.event.id !== eventId)
    throw notFound('event');
  return record;
}

/** Resolves quota members given by ticket-type key to ids; unknown keys are field errors. */
function resolveQuotas(
  input: { name: string; size: number; ticketTypes: string[] }[],
  types: Pick<TicketTypeRow, 'id' | 'key'>[],
): QuotaRecord[] {
  const idByKey = new Map(types.map((t) => [t.key, t.id]));
  const errors: FieldError[] = [];
  const resolved = input.map((quota, i) => ({
    id: newId('quo'),
    name: quota.name,
    size: quota.size,
    ticketTypeIds: quota.ticketTypes.flatMap((key, j) => {
      const id = idByKey.get(key);
      if (!id)
        errors.push({
          path: `quotas.${i}.ticketTypes.${j}`,
          message: `No ticket type with key "${key}"`,
        });
      return id ? [id] : [];
    }),
  }));
  if (errors.length > 0) throw validationFailed(errors);
  return resolved;
}

function quotaWrites(db: Db, eventId: string, list: QuotaRecord[]): BatchItem<'sqlite'>[] {
  const writes: BatchItem<'sqlite'>[] = [];
  for (const quota of list) {
    writes.push(
      db.insert(quotas).values({ id: quota.id, eventId, name: quota.name, size: quota.size }),
    );
    if (quota.ticketTypeIds.length > 0) {
      writes.push(
        db.insert(quotaTicketTypes).values(
          [...new Set(quota.ticketTypeIds)].map((ticketTypeId) => ({
            quotaId: quota.id,
            ticketTypeId,
          })),
        ),
      );
    }
  }
  return writes;
}

export async function createEvent(
  db: Db,
  env: Env,
  organizerId: string,
  input: CreateEventInput,
): Promise<EventRecord> {
  const now = new Date().toISOString();
  const eventId = newId('evt');
  const types: TicketTypeRow[] = input.ticketTypes.map((t, position) => ({
    id: newId('tt'),
    eventId,
    position,
    ...t,
    hidden: t.hidden ?? false,
  }));
  const quotaList = resolveQuotas(input.quotas, types);
  const { ticketTypes: _types, quotas: _quotas, ...fields } = input;
  const event = {
    ...fields,
    id: eventId,
    organizerId,
    status: 'draft' as const,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(events).values(event),
      db.insert(ticketTypes).values(types),
      ...quotaWrites(db, eventId, quotaList),
      db
        .insert(auditLog)
        .values({ id: newId('au'), organizerId, action: 'event.created', subjectId: eventId }),
    ] as Batch);
  } catch (error) {
    if (isUniqueViolation(error, 'slug')) throw slugTaken();
    throw error;
  }
  const record: EventRecord = { event, ticketTypes: types, quotas: quotaList };
  await inventoryFor(env, eventId).configure(toInventoryConfig(record));
  return record;
}

/**
 * Partial update. The Durable Object checks capacities against sold + held first (it owns
 * those numbers); D1 is written only when it agreed, and the object is put back if D1 fails.
 */
export async function patchEvent(
  db: Db,
  env: Env,
  organizerId: string,
  eventId: string,
  input: PatchEventInput,
): Promise<EventRecord> {
  const current = await loadOwnEvent(db, organizerId, eventId);
  const now = new Date().toISOString();
  const { ticketTypes: typeChanges, quotas: quotaInput, ...fields } = input;

  const edited = current.ticketTypes.map((t) => ({ ...t }));
  const errors: FieldError[] = [];
  const moves: TypeMove[] = [];
  (typeChanges ?? []).forEach(({ position, ...change }, i) => {
    if ('id' in change) {
      const existing = edited.find((t) => t.id === change.id);
      if (!existing)
        errors.push({ path: `ticketTypes.${i}.id`, message: 'No such ticket type in this event' });
      else
        Object.assign(
          existing,
          Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
        );
      if (existing && position !== undefined) moves.push({ id: existing.id, position });
    } else {
      const id = newId('tt');
      edited.push({ ...change, hidden: change.hidden ?? false, id, eventId, position: 0 });
      if (position !== undefined) moves.push({ id, position });
    }
  });
  const keys = new Set<string>();
  edited.forEach((t, i) => {
    if (keys.has(t.key))
      errors.push({ path: `ticketTypes.${i}.key`, message: `Duplicate key "${t.key}"` });
    keys.add(t.key);
  });
  const types = reorderTypes(edited, moves);
  const event = { ...current.event, ...fields, updatedAt: now };
  // The dates as they will be, stored and patched together; a new start must be ahead.
  errors.push(
    ...scheduleErrors(event, Date.now(), { startsInFuture: fields.startsAt !== undefined }),
  );
  const capError = heldCapError(event);
  if (capError) errors.push({ path: 'maxHeldPerClient', message: capError });
  if (errors.length > 0) throw validationFailed(errors);
  const quotaList = quotaInput ? resolveQuotas(quotaInput, types) : current.quotas;
  await checkTestModeSwitch(db, env, current.event, fields.testMode);
  const next: EventRecord = { event, ticketTypes: types, quotas: quotaList };

  if (fields.slug && fields.slug !== current.event.slug) {
    const taken = await db
      .select({ id: events.id })
      .from(events)
      .where(eq(events.slug, fields.slug))
      .get();
    if (taken) throw slugTaken();
  }
  const inventory = inventoryFor(env, eventId);
  const configured = await inventory.configure(toInventoryConfig(next));
  if (!configured.ok) {
    throw problem(
      'capacity_below_sold',
      `Capacity can not drop below what is sold plus held (${configured.minimum}).`,
      {
        ticketTypeId: configured.ticketTypeId,
        quotaId: configured.quotaId,
        minimum: configured.minimum,
      },
    );
  }
  try {
    await db.batch([
      db
        .update(events)
        .set({ ...fields, updatedAt: now })
        .where(eq(events.id, eventId)),
      // Renamed keys first move aside, so swapping two keys never trips the unique index.
      ...renamedTypes(current.ticketTypes, types).map((t) =>
        db
          .update(ticketTypes)
          .set({ key: `~${t.id}` })
          .where(eq(ticketTypes.id, t.id)),
      ),
      ...types.map((t) =>
        db
          .insert(ticketTypes)
          .values(t)
          .onConflictDoUpdate({
            target: ticketTypes.id,
            set: {
              key: t.key,
              name: t.name,
              priceMinor: t.priceMinor,
              capacity: t.capacity,
              hidden: t.hidden,
              position: t.position,
            },
          }),
      ),
      ...(quotaInput
        ? [
            ...current.quotas.map((q) =>
              db.delete(quotaTicketTypes).where(eq(quotaTicketTypes.quotaId, q.id)),
            ),
            db.delete(quotas).where(eq(quotas.eventId, eventId)),
            ...quotaWrites(db, eventId, quotaList),
          ]
        : []),
      db.insert(auditLog).values({
        id: newId('au'),
        organizerId,
        action: 'event.updated',
        subjectId: eventId,
        data: input,
      }),
    ] as Batch);
  } catch (error) {
    await inventory.configure(toInventoryConfig(current));
    if (isUniqueViolation(error, 'slug')) throw slugTaken();
    throw error;
  }
  return next;
}

function renamedTypes(before: TicketTypeRow[], after: TicketTypeRow[]): TicketTypeRow[] {
  const keyBefore = new Map(before.map((t) => [t.id, t.key]));
  return after.filter((t) => keyBefore.has(t.id) && keyBefore.get(t.id) !== t.key);
}

/** Puts a draft on sale. Publishing again is harmless and re-pushes the inventory. */
export async function publishEvent(
  db: Db,
  env: Env,
  organizerId: string,
  eventId: string,
): Promise<EventRecord> {
  const current = await loadOwnEvent(db, organizerId, eventId);
  if (current.event.status === 'canceled') {
    throw problem('invalid_state', 'A canceled event can not be published.');
  }
  // Outside development a live event goes on sale only where live payments can be taken.
  await requireLiveSales(env, db, current.event);
  // A draft goes on sale only with dates that can still be sold (an event on sale stays so).
  if (current.event.status === 'draft') {
    const errors = scheduleErrors(current.event, Date.now(), { startsInFuture: true });
    if (errors.length > 0) {
      throw validationFailed(errors, "Fix the event's dates before publishing it.");
    }
  }
  const updatedAt = new Date().toISOString();
  if (current.event.status === 'draft') {
    await db.batch([
      db
        .update(events)
        .set({ status: 'on_sale', updatedAt })
        .where(and(eq(events.id, eventId), eq(events.status, 'draft'))),
      db
        .insert(auditLog)
        .values({ id: newId('au'), organizerId, action: 'event.published', subjectId: eventId }),
    ]);
  }
  const published: EventRecord = {
    ...current,
    event: { ...current.event, status: 'on_sale', updatedAt },
  };
  await inventoryFor(env, eventId).configure(toInventoryConfig(published));
  return published;
}
