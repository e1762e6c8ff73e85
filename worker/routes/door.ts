import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { events } from '../db/schema';
import { notFound } from '../domain/errors';
import { doorBundle } from '../door/bundle';
import { deviceLists } from '../door/devices';
import { eventLists } from '../door/lists';
import { scanTicket } from '../door/scan';
import { bundleQuery, doorScanSchema, searchQuery, syncSchema } from '../door/scan-input';
import { searchAttendees } from '../door/search';
import { syncDeviceScans } from '../door/sync';
import { valid } from '../http/validate';
import { doorAuth } from '../middleware/door-auth';

/**
 * The door, for a paired device (`Authorization: Bearer dev_…`): scan, search, the offline
 * bundle and sync, for the device's one event and lists. Nothing else accepts a device token.
 */
export const doorRoutes = new Hono<AppEnv>();
doorRoutes.use('*', doorAuth);
doorRoutes.use('*', async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
});

doorRoutes.post('/scan', valid('json', doorScanSchema), async (c) => {
  const device = c.get('device');
  const { code, ticketId, listId, gate, nonce } = c.req.valid('json');
  const answer = await scanTicket(
    c.env,
    c.get('db'),
    {
      eventId: device.eventId,
      ticket: ticketId !== undefined ? { ticketId } : { code: code ?? '' },
      listId,
      gate,
      nonce,
      scanner: { deviceId: device.id, listIds: device.listIds },
    },
    (p) => c.executionCtx.waitUntil(p),
  );
  return c.json(answer);
});

doorRoutes.get('/search', valid('query', searchQuery), async (c) => {
  return c.json(await searchAttendees(c.get('db'), c.get('device').eventId, c.req.valid('query')));
});

doorRoutes.get('/bundle', valid('query', bundleQuery), async (c) => {
  return c.json(await doorBundle(c.env, c.get('db'), c.get('device'), c.req.valid('query')));
});

doorRoutes.post('/sync', valid('json', syncSchema), async (c) => {
  const db = c.get('db');
  const device = c.get('device');
  const event = await db
    .select({ id: events.id, createdAt: events.createdAt })
    .from(events)
    .where(eq(events.id, device.eventId))
    .get();
  if (!event) throw notFound('event');
  const lists = deviceLists(device, await eventLists(db, event));
  const { scans } = c.req.valid('json');
  return c.json(await syncDeviceScans(c.env, db, device, lists, scans, Date.now()));
});
