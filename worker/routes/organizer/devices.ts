import { Hono } from 'hono';
import { actorOf } from '../../access/principal';
import type { AppEnv } from '../../app-env';
import { optionalSetting } from '../../config';
import { createDevice, deviceView, eventDevices, revokeDevice } from '../../door/devices';
import { requireEventAccess } from '../../door/event-access';
import { createDeviceSchema } from '../../door/list-input';
import { eventLists } from '../../door/lists';
import { publicOrigin } from '../../http/bearer';
import { valid } from '../../http/validate';

/** Door devices of an event: pair (the token is shown once), list, revoke. */
export const organizerDevices = new Hono<AppEnv>();

organizerDevices.post('/:eventId/devices', valid('json', createDeviceSchema), async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'devices.manage');
  const db = c.get('db');
  const { name, listIds } = c.req.valid('json');
  const { row, token } = await createDevice(
    db,
    {
      eventId: event.id,
      organizerId: event.organizerId,
      createdBy: actorOf(c.get('principal')),
      name,
    },
    listIds,
    await eventLists(db, event),
  );
  // The token rides in the fragment: a browser never sends it to a server or as a referrer.
  const origin = optionalSetting(c.env, 'PUBLIC_ORIGIN') ?? publicOrigin(c);
  c.header('cache-control', 'no-store');
  return c.json({ ...deviceView(row), token, pairingUrl: `${origin}/scan#pair=${token}` }, 201);
});

organizerDevices.get('/:eventId/devices', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'devices.manage');
  const rows = await eventDevices(c.get('db'), event.id);
  return c.json({ data: rows.map(deviceView) });
});

organizerDevices.delete('/:eventId/devices/:deviceId', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'devices.manage');
  await revokeDevice(c.get('db'), event.id, c.req.param('deviceId'));
  return c.body(null, 204);
});
