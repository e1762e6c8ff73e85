import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { SoldCounts } from '../../durable-objects/inventory/types';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { events, orders, reconciliationDifferences, tickets } from '../db/schema';
import { openDifferencesOfEvent, recordDifference, resolve } from './differences';
import type { Window } from './stripe-ledger';
import type { CheckTally } from './tally';

/** Events whose counts are compared per run: those with order changes, and open drifts. */
export const MAX_EVENTS_PER_RUN = 200;

/**
 * D1's valid tickets per ticket type against the event DO's sold counter, for every event
 * whose orders changed in the window and every event with a drift still open. A drift is
 * recorded (never "fixed" by writing a counter: which side is right needs a person); one
 * that is gone when checked again is closed as such. Both sides move in one fulfilment a
 * few milliseconds apart, so a drift seen once may be a sale in flight: it closes itself on
 * the next run.
 */
export async function checkTicketCounts(
  env: Env,
  db: Db,
  window: Window,
  now: string,
  tally: CheckTally,
): Promise<void> {
  const from = new Date(window.fromMs).toISOString();
  const to = new Date(window.toMs).toISOString();
  const [changed, drifting] = await db.batch([
    db
      .selectDistinct({ eventId: orders.eventId })
      .from(orders)
      .where(and(gte(orders.updatedAt, from), lt(orders.updatedAt, to)))
      .limit(MAX_EVENTS_PER_RUN),
    db
      .selectDistinct({ eventId: reconciliationDifferences.eventId })
      .from(reconciliationDifferences)
      .where(
        and(
          eq(reconciliationDifferences.kind, 'ticket_count_drift'),
          eq(reconciliationDifferences.status, 'open'),
        ),
      ),
  ]);
  const eventIds = new Set([...changed, ...drifting].map((r) => r.eventId).filter(isString));
  for (const eventId of eventIds) {
    tally.events++;
    try {
      await checkEvent(env, db, eventId, now, tally);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'error',
          job: 'reconciliation',
          eventId,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }
}

async function checkEvent(env: Env, db: Db, eventId: string, now: string, tally: CheckTally) {
  const [[event], valid] = await db.batch([
    db.select({ organizerId: events.organizerId }).from(events).where(eq(events.id, eventId)),
    db
      .select({ ticketTypeId: tickets.ticketTypeId, n: sql<number>`COUNT(*)` })
      .from(tickets)
      .where(and(eq(tickets.eventId, eventId), eq(tickets.status, 'valid')))
      .groupBy(tickets.ticketTypeId),
  ]);
  const counts = await soldCountsOf(env, eventId);
  if (!event || !counts) return;
  const inD1 = new Map(valid.map((r) => [r.ticketTypeId, r.n]));
  const inDo = new Map(counts.ticketTypes.map((t) => [t.id, t.sold]));
  const drifted = new Set<string>();
  for (const typeId of new Set([...inD1.keys(), ...inDo.keys()])) {
    const d1 = inD1.get(typeId) ?? 0;
    const sold = inDo.get(typeId) ?? 0;
    if (d1 === sold) continue;
    drifted.add(typeId);
    await recordDifference(
      db,
      {
        kind: 'ticket_count_drift',
        objects: { eventId, ticketTypeId: typeId },
        organizerId: event.organizerId,
        eventId,
        details: { d1ValidTickets: d1, doSold: sold },
      },
      now,
    );
    tally.recorded++;
  }
  for (const open of await openDifferencesOfEvent(db, eventId, 'ticket_count_drift')) {
    if (drifted.has(open.objects.ticketTypeId ?? '')) continue;
    await resolve(db, open.id, 'fixed', 'The counts agree again (checked later).', now);
  }
}

/** `soldCounts()`, or the same figures from `availability()` on an object that predates it. */
async function soldCountsOf(env: Env, eventId: string): Promise<SoldCounts | null> {
  const stub = inventoryFor(env, eventId);
  try {
    return await stub.soldCounts();
  } catch {
    const snapshot = await stub.availability();
    return snapshot
      ? { ticketTypes: snapshot.ticketTypes.map((t) => ({ id: t.id, sold: t.sold })) }
      : null;
  }
}

function isString(value: string | null): value is string {
  return typeof value === 'string';
}
