import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { auditInsert } from '../../access/audit';
import { actorOf } from '../../access/principal';
import { actorNames } from '../../dashboard/door-names';
import { doorDevices } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { eventDevices, revokeDevice } from '../../door/devices';
import { eventLists } from '../../door/lists';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { DevicesPage, RevokeDevicePage } from '../../views/dashboard/door-devices-page';
import { doorPage } from './door-shared';

/**
 * Door devices in the dashboard (`device.manage`: door and box office too): the list, and
 * revoke with a confirm step. "Add a device" is the pairing page at …/devices/new.
 */
export const doorDeviceRoutes = new Hono<DashboardEnv>();

doorDeviceRoutes.get('/events/:eventId/devices', async (c) => {
  const page = await doorPage(c, 'devices');
  const db = c.get('db');
  const [rows, lists] = await Promise.all([
    eventDevices(db, page.event.id),
    eventLists(db, page.record.event),
  ]);
  const names = await actorNames(
    db,
    page.record.event.organizerId,
    rows.map((r) => r.createdBy),
  );
  const listName = new Map(lists.map((l) => [l.id, l.name]));
  const devices = rows.map((r) => ({
    id: r.id,
    name: r.name,
    lists: r.listIds === null ? null : r.listIds.map((id) => listName.get(id) ?? 'A deleted list'),
    createdBy: names.get(r.createdBy) ?? 'Someone no longer here',
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    revokedAt: r.revokedAt,
  }));
  return c.html(<DevicesPage {...page} devices={devices} done={c.req.query('done')} />);
});

doorDeviceRoutes.get('/events/:eventId/devices/:deviceId/revoke', async (c) => {
  const page = await doorPage(c, 'devices');
  const device = await c
    .get('db')
    .select({ id: doorDevices.id, name: doorDevices.name, revokedAt: doorDevices.revokedAt })
    .from(doorDevices)
    .where(and(eq(doorDevices.id, c.req.param('deviceId')), eq(doorDevices.eventId, page.event.id)))
    .get();
  if (!device) throw notFound('device');
  const back = `/dashboard/events/${page.event.id}/devices`;
  if (device.revokedAt) return c.redirect(back, 303);
  return c.html(<RevokeDevicePage {...page} device={device} />);
});

/** Revoked at once: every door request reads the device from D1 (worker/door/devices.ts). */
doorDeviceRoutes.post('/events/:eventId/devices/:deviceId/revoke', async (c) => {
  const { event, record } = await doorPage(c, 'devices');
  const deviceId = c.req.param('deviceId');
  const db = c.get('db');
  await revokeDevice(db, event.id, deviceId);
  await auditInsert(db, {
    organizerId: record.event.organizerId,
    actor: actorOf(c.get('principal')),
    action: 'device.revoked',
    subjectId: deviceId,
  });
  return c.redirect(`/dashboard/events/${event.id}/devices?done=revoked`, 303);
});
