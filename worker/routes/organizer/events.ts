import { and, eq, inArray, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { requireAllowed, visibleEvents } from '../../access/authorize';
import { actorOf } from '../../access/principal';
import type { AppEnv } from '../../app-env';
import { createEvent, loadOwnEvent, patchEvent, publishEvent } from '../../catalog/event-commands';
import { createEventSchema, patchEventSchema } from '../../catalog/event-input';
import { cancelEvent, duplicateEvent, unpublishEvent } from '../../catalog/event-lifecycle';
import { organizerEventView } from '../../catalog/event-record';
import { inventoryFor } from '../../catalog/inventory';
import { events, orders } from '../../db/schema';
import { valid } from '../../http/validate';
import { deleteTestOrders } from '../../orders/test-orders';

export const organizerEvents = new Hono<AppEnv>();

organizerEvents.post('/', valid('json', createEventSchema), async (c) => {
  requireAllowed(c.get('principal'), 'event.create');
  const record = await createEvent(c.get('db'), c.env, c.get('organizerId'), c.req.valid('json'));
  return c.json(organizerEventView(record), 201);
});

organizerEvents.get('/', async (c) => {
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read');
  const scope = visibleEvents(principal);
  const rows = await c
    .get('db')
    .select({
      id: events.id,
      slug: events.slug,
      title: events.title,
      status: events.status,
      startsAt: events.startsAt,
    })
    .from(events)
    .where(
      and(
        eq(events.organizerId, c.get('organizerId')),
        scope ? inArray(events.id, [...scope]) : undefined,
      ),
    )
    .orderBy(events.startsAt);
  return c.json({ data: rows });
});

organizerEvents.get('/:eventId', async (c) => {
  requireAllowed(c.get('principal'), 'event.read', { eventId: c.req.param('eventId') });
  const record = await loadOwnEvent(c.get('db'), c.get('organizerId'), c.req.param('eventId'));
  return c.json(organizerEventView(record));
});

organizerEvents.patch('/:eventId', valid('json', patchEventSchema), async (c) => {
  requireAllowed(c.get('principal'), 'event.edit', { eventId: c.req.param('eventId') });
  const record = await patchEvent(
    c.get('db'),
    c.env,
    c.get('organizerId'),
    c.req.param('eventId'),
    c.req.valid('json'),
  );
  return c.json(organizerEventView(record));
});

organizerEvents.post('/:eventId/publish', async (c) => {
  requireAllowed(c.get('principal'), 'event.publish', { eventId: c.req.param('eventId') });
  const record = await publishEvent(
    c.get('db'),
    c.env,
    c.get('organizerId'),
    c.req.param('eventId'),
  );
  return c.json(organizerEventView(record));
});

/** Status changes and copies: each answers the event as it is afterwards. */
for (const [step, command] of [
  ['unpublish', unpublishEvent],
  ['cancel', cancelEvent],
] as const) {
  organizerEvents.post(`/:eventId/${step}`, async (c) => {
    requireAllowed(c.get('principal'), 'event.publish', { eventId: c.req.param('eventId') });
    const record = await command(c.get('db'), c.env, c.get('organizerId'), c.req.param('eventId'));
    return c.json(organizerEventView(record));
  });
}

organizerEvents.post('/:eventId/duplicate', async (c) => {
  requireAllowed(c.get('principal'), 'event.read', { eventId: c.req.param('eventId') });
  requireAllowed(c.get('principal'), 'event.create');
  const copy = await duplicateEvent(
    c.get('db'),
    c.env,
    c.get('organizerId'),
    c.req.param('eventId'),
  );
  return c.json(organizerEventView(copy), 201);
});

/** Live numbers: availability from the Durable Object, money and orders from D1. */
organizerEvents.get('/:eventId/stats', async (c) => {
  requireAllowed(c.get('principal'), 'stats.read', { eventId: c.req.param('eventId') });
  const db = c.get('db');
  const record = await loadOwnEvent(db, c.get('organizerId'), c.req.param('eventId'));
  const [snapshot, byStatus] = await Promise.all([
    inventoryFor(c.env, record.event.id).availability(),
    db
      .select({
        status: orders.status,
        testMode: orders.testMode,
        count: sql<number>`count(*)`,
        revenue: sql<number>`coalesce(sum(${orders.totalMinor} - ${orders.refundedMinor}), 0)`,
      })
      .from(orders)
      .where(and(eq(orders.eventId, record.event.id)))
      .groupBy(orders.status, orders.testMode),
  ]);
  // Live numbers only; test-mode orders are counted apart, under `test` (DESIGN.md "Test mode").
  const live = { orders: {} as Record<string, number>, revenueMinor: 0 };
  const test = { orders: {} as Record<string, number>, revenueMinor: 0 };
  for (const row of byStatus) {
    const into = row.testMode ? test : live;
    into.orders[row.status] = row.count;
    if (row.status === 'paid' || row.status === 'partially_refunded')
      into.revenueMinor += row.revenue;
  }
  return c.json({
    eventId: record.event.id,
    currency: record.event.currency,
    ticketTypes: snapshot?.ticketTypes ?? [],
    quotas: (snapshot?.quotas ?? []).map((q) => ({
      ...q,
      name: record.quotas.find((r) => r.id === q.id)?.name ?? '',
    })),
    orders: live.orders,
    revenueMinor: live.revenueMinor,
    test,
    checkedIn: snapshot?.checkedIn ?? 0,
    // Queue length, admitted, active shoppers, admission rate, time to drain (API.md).
    waitingRoom: snapshot?.waitingRoom ?? null,
  });
});

/**
 * Deletes the event's test-mode orders in one action (DESIGN.md "Test mode"). Allowed to
 * whoever may refund the event's orders; idempotent (a repeat deletes nothing); audit-logged.
 */
organizerEvents.delete('/:eventId/test-orders', async (c) => {
  const principal = c.get('principal');
  const eventId = c.req.param('eventId');
  requireAllowed(principal, 'order.refund', { eventId });
  const db = c.get('db');
  const organizerId = c.get('organizerId');
  await loadOwnEvent(db, organizerId, eventId);
  const result = await deleteTestOrders(
    c.env,
    db,
    { organizerId, actor: actorOf(principal) },
    eventId,
  );
  return c.json({ eventId, ...result });
});
