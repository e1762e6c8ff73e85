import { and, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { requireAllowed } from '../../access/authorize';
import { actorOf } from '../../access/principal';
import { loadOwnEvent } from '../../catalog/event-commands';
import { optionalSetting } from '../../config';
import { doorDevices } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { createDevice } from '../../door/devices';
import { createDeviceSchema } from '../../door/list-input';
import { eventLists } from '../../door/lists';
import { issuePairingCode } from '../../door/pairing';
import { publicOrigin } from '../../http/bearer';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { DevicePairingPage, type PairingShown } from '../../views/dashboard/device-pairing-page';
import type { FormErrors } from '../../views/dashboard/form';
import {
  type DashboardContext,
  domainFieldErrors,
  formFields,
  memberPrincipal,
  navFor,
  parseForm,
} from './shared';

/**
 * Adding a door device (`devices.manage`: owners, admins, door and box-office staff): the
 * form, then the pairing QR of `<origin>/scan#pair=<code>`. The answer is the page itself,
 * not a redirect, and is never stored (`no-store`): the code is on this one screen.
 */
export const deviceRoutes = new Hono<DashboardEnv>();

/** As `requireEventAccess(…, 'devices.manage')` (door/event-access.ts), for a session. */
function deviceManager(c: DashboardContext, eventId: string) {
  requireAllowed(c.get('principal'), 'device.manage', { eventId });
  return loadOwnEvent(c.get('db'), c.get('organizerId'), eventId);
}

async function render(
  c: DashboardContext,
  eventId: string,
  status: 200 | 201 | 422,
  extra: {
    values?: { name?: string; listIds?: string[] };
    errors?: FormErrors;
    pairing?: PairingShown;
  } = {},
) {
  const { event } = await deviceManager(c, eventId);
  const [nav, lists] = await Promise.all([navFor(c, 'events'), eventLists(c.get('db'), event)]);
  return c.html(
    <DevicePairingPage
      nav={nav}
      event={{ id: event.id, title: event.title }}
      lists={lists.map((l) => ({ id: l.id, name: l.name, direction: l.direction }))}
      {...extra}
    />,
    status,
  );
}

function pairingUrl(c: DashboardContext, code: string): string {
  const origin = optionalSetting(c.env, 'PUBLIC_ORIGIN') ?? publicOrigin(c);
  // In the fragment: a browser never sends it to a server or on as a referrer.
  return `${origin}/scan#pair=${code}`;
}

deviceRoutes.get('/events/:eventId/devices/new', (c) => render(c, c.req.param('eventId'), 200));

deviceRoutes.post('/events/:eventId/devices/new', async (c) => {
  const principal = memberPrincipal(c);
  const { event } = await deviceManager(c, c.req.param('eventId'));
  const fields = await formFields(c);
  const name = typeof fields.name === 'string' ? fields.name : '';
  const ticked = fields.listIds === undefined ? [] : [fields.listIds].flat();
  const values = { name, listIds: ticked };
  const form = parseForm(createDeviceSchema, {
    name,
    listIds: ticked.length > 0 ? ticked : null,
  });
  if (!form.ok) return render(c, event.id, 422, { values, errors: form.errors });
  const db = c.get('db');
  const createdBy = actorOf(principal);
  try {
    // The token made here is never shown: pairing gives the phone a fresh one.
    const { row } = await createDevice(
      db,
      { eventId: event.id, organizerId: event.organizerId, createdBy, name: form.data.name },
      form.data.listIds,
      await eventLists(db, event),
    );
    const { code, expiresAt } = await issuePairingCode(db, row, createdBy, Date.now());
    const pairing = {
      deviceId: row.id,
      deviceName: row.name,
      code,
      expiresAt,
      url: pairingUrl(c, code),
    };
    return render(c, event.id, 201, { pairing });
  } catch (error) {
    const errors = domainFieldErrors(error);
    if (errors) return render(c, event.id, 422, { values, errors });
    throw error;
  }
});

/** A new code for a device that is not revoked (the last one expired, or a phone changes). */
deviceRoutes.post('/events/:eventId/devices/:deviceId/pairing-code', async (c) => {
  const principal = memberPrincipal(c);
  const { event } = await deviceManager(c, c.req.param('eventId'));
  const device = await c
    .get('db')
    .select({ id: doorDevices.id, name: doorDevices.name, eventId: doorDevices.eventId })
    .from(doorDevices)
    .where(
      and(
        eq(doorDevices.id, c.req.param('deviceId')),
        eq(doorDevices.eventId, event.id),
        isNull(doorDevices.revokedAt),
      ),
    )
    .get();
  if (!device) throw notFound('device');
  const { code, expiresAt } = await issuePairingCode(
    c.get('db'),
    device,
    actorOf(principal),
    Date.now(),
  );
  const pairing = {
    deviceId: device.id,
    deviceName: device.name,
    code,
    expiresAt,
    url: pairingUrl(c, code),
  };
  return render(c, event.id, 201, { pairing });
});
