import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { auditInsert } from '../../access/audit';
import { requireAllowed } from '../../access/authorize';
import { actorOf } from '../../access/principal';
import { forgetAvailability } from '../../catalog/availability-cache';
import { loadOwnEvent, patchEvent } from '../../catalog/event-commands';
import { patchEventSchema } from '../../catalog/event-input';
import { inventoryFor } from '../../catalog/inventory';
import { field } from '../../dashboard/event-form';
import { readLiveRoom } from '../../dashboard/room-live';
import { events } from '../../db/schema';
import { notFound, problem } from '../../domain/errors';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { RoomFigures } from '../../views/dashboard/room-panel';
import { clockIn, renderEventPage } from './event-page';
import { type DashboardContext, formFields } from './shared';

/**
 * The waiting room's live figures (a fragment for htmx, `stats.read`) and its controls
 * (`event.edit`): pause and resume admission in the event's DO, and the admission rate
 * through the normal event patch, so D1 and the DO keep agreeing.
 */
export const roomRoutes = new Hono<DashboardEnv>();

/** The event's time zone, when it is this workspace's event: one small D1 read per poll. */
async function ownEventZone(c: DashboardContext, eventId: string): Promise<string> {
  const row = await c
    .get('db')
    .select({ timezone: events.timezone })
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.organizerId, c.get('organizerId'))))
    .get();
  if (!row) throw notFound('event');
  return row.timezone;
}

roomRoutes.get('/events/:eventId/room', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'stats.read', { eventId });
  const timezone = await ownEventZone(c, eventId);
  const room = await readLiveRoom(c.env, eventId);
  if (!room) throw notFound('event');
  return c.html(<RoomFigures room={room} updatedAt={clockIn(timezone)} />);
});

for (const [step, paused] of [
  ['pause', true],
  ['resume', false],
] as const) {
  roomRoutes.post(`/events/:eventId/room/${step}`, async (c) => {
    const eventId = c.req.param('eventId');
    const principal = c.get('principal');
    requireAllowed(principal, 'event.edit', { eventId });
    const db = c.get('db');
    const record = await loadOwnEvent(db, principal.organizerId, eventId);
    if (paused && record.event.waitingRoom.mode === 'off') {
      throw problem('invalid_state', 'The waiting room is off: there is no line to pause.');
    }
    const result = await inventoryFor(c.env, eventId).setAdmissionPaused(paused);
    if (!result.ok) throw notFound('event');
    forgetAvailability(eventId);
    await auditInsert(db, {
      organizerId: principal.organizerId,
      actor: actorOf(principal),
      action: paused ? 'waiting_room.paused' : 'waiting_room.resumed',
      subjectId: eventId,
    });
    return c.redirect(`/dashboard/events/${eventId}?done=${paused ? 'paused' : 'resumed'}`, 303);
  });
}

roomRoutes.post('/events/:eventId/room/rate', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.edit', { eventId });
  const db = c.get('db');
  const record = await loadOwnEvent(db, principal.organizerId, eventId);
  const value = field(await formFields(c), 'admitPerMinute').trim();
  const refuse = (error: string) => renderEventPage(c, eventId, { value, error });
  if (!/^\d{1,9}$/.test(value)) return refuse('Enter a whole number');
  // The same schema as the API's PATCH, on the whole room as it is, with the new rate.
  const parsed = patchEventSchema.safeParse({
    waitingRoom: { ...record.event.waitingRoom, admitPerMinute: Number(value) },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(issue ? issue.message : 'Not a valid rate');
  }
  await patchEvent(db, c.env, principal.organizerId, eventId, parsed.data);
  forgetAvailability(eventId);
  return c.redirect(`/dashboard/events/${eventId}?done=rate`, 303);
});
