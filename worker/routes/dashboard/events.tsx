import { Hono } from 'hono';
import { requireAllowed } from '../../access/authorize';
import type { Action } from '../../access/roles';
import { workspaceDefaults } from '../../access/workspaces';
import { loadOwnEvent, publishEvent } from '../../catalog/event-commands';
import { cancelEvent, duplicateEvent, unpublishEvent } from '../../catalog/event-lifecycle';
import { organizerEventView } from '../../catalog/event-record';
import { inventoryFor } from '../../catalog/inventory';
import {
  eventFormValues,
  type FormFields,
  field,
  moveIntent,
  moveTypeRow,
  rowIndices,
} from '../../dashboard/event-form';
import { saveEventForm } from '../../dashboard/save-event';
import { publicOrigin } from '../../http/bearer';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import type { Usage } from '../../views/dashboard/editor-catalog';
import { EventEditorPage } from '../../views/dashboard/event-editor-page';
import { type DashboardContext, formFields, navFor } from './shared';

/**
 * The event editor: create, edit, publish, take off sale, cancel, copy. A saved form
 * redirects (303) to the event; a refused one is drawn again as typed, with its errors (422).
 * "Add another" buttons draw the form with one more blank row and save nothing.
 */
export const eventEditorRoutes = new Hono<DashboardEnv>();

/**
 * Blank rows to draw besides the posted ones (blank rows come back as posted): one for an
 * "add another" press, and one ticket type to start a new event with.
 */
function extraRows(fields: FormFields, kind: 'type' | 'quota'): number {
  const added = field(fields, 'intent') === `add-${kind}` ? 1 : 0;
  const none = kind === 'type' && rowIndices(fields, 'types').length === 0 ? 1 : 0;
  return Math.max(added, none);
}

async function drawEditor(
  c: DashboardContext,
  eventId: string | null,
  initial: FormFields,
  errors: Record<string, string>,
  status: 200 | 422,
) {
  let values = initial;
  // Up / down on a ticket type: the same form, that row swapped with its neighbour.
  const move = moveIntent(values);
  if (move) values = moveTypeRow(values, move.row, move.direction);
  const usage = new Map<string, Usage>();
  if (eventId) {
    const snapshot = await inventoryFor(c.env, eventId).availability();
    for (const t of snapshot?.ticketTypes ?? []) usage.set(t.id, { sold: t.sold, held: t.held });
  }
  const title = eventId ? `Edit ${field(values, 'title') || 'event'}` : 'New event';
  return c.html(
    <EventEditorPage
      nav={await navFor(c, 'events')}
      title={title}
      eventId={eventId}
      state={{ values, errors }}
      usage={usage}
      extraTypeRows={extraRows(values, 'type')}
      extraQuotaRows={extraRows(values, 'quota')}
      publicOrigin={publicOrigin(c)}
    />,
    status,
  );
}

eventEditorRoutes.get('/events/new', async (c) => {
  requireAllowed(c.get('principal'), 'event.create');
  const workspace = await workspaceDefaults(c.get('db'), c.get('organizerId'));
  return drawEditor(
    c,
    null,
    {
      timezone: workspace.timezone ?? 'UTC',
      currency: workspace.currency ?? 'EUR',
      'venue.country': workspace.country ?? '',
      holdMinutes: '10',
      maxPerOrder: '10',
      'waitingRoom.mode': 'off',
    },
    {},
    200,
  );
});

eventEditorRoutes.post('/events/new', async (c) => {
  requireAllowed(c.get('principal'), 'event.create');
  const fields = await formFields(c);
  if (field(fields, 'intent') !== 'save') return drawEditor(c, null, fields, {}, 200);
  const saved = await saveEventForm(c.get('db'), c.env, c.get('organizerId'), fields);
  if (!saved.ok) return drawEditor(c, null, fields, saved.errors, 422);
  return c.redirect(`/dashboard/events/${saved.record.event.id}?done=created`, 303);
});

eventEditorRoutes.get('/events/:eventId/edit', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'event.edit', { eventId });
  const record = await loadOwnEvent(c.get('db'), c.get('organizerId'), eventId);
  return drawEditor(c, eventId, eventFormValues(organizerEventView(record)), {}, 200);
});

eventEditorRoutes.post('/events/:eventId/edit', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'event.edit', { eventId });
  const db = c.get('db');
  await loadOwnEvent(db, c.get('organizerId'), eventId);
  const fields = await formFields(c);
  if (field(fields, 'intent') !== 'save') return drawEditor(c, eventId, fields, {}, 200);
  const saved = await saveEventForm(db, c.env, c.get('organizerId'), fields, eventId);
  if (!saved.ok) return drawEditor(c, eventId, fields, saved.errors, 422);
  return c.redirect(`/dashboard/events/${eventId}?done=saved`, 303);
});

/** The buttons on an event's page: each one command, then back to the event. */
const STEPS = {
  publish: { action: 'event.publish', run: publishEvent, done: 'published' },
  unpublish: { action: 'event.publish', run: unpublishEvent, done: 'unpublished' },
  cancel: { action: 'event.publish', run: cancelEvent, done: 'canceled' },
} as const satisfies Record<string, { action: Action; run: unknown; done: string }>;

for (const [step, { action, run, done }] of Object.entries(STEPS)) {
  eventEditorRoutes.post(`/events/:eventId/${step}`, async (c) => {
    const eventId = c.req.param('eventId');
    requireAllowed(c.get('principal'), action, { eventId });
    await run(c.get('db'), c.env, c.get('organizerId'), eventId);
    return c.redirect(`/dashboard/events/${eventId}?done=${done}`, 303);
  });
}

eventEditorRoutes.post('/events/:eventId/duplicate', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read', { eventId });
  requireAllowed(principal, 'event.create');
  const copy = await duplicateEvent(c.get('db'), c.env, c.get('organizerId'), eventId);
  return c.redirect(`/dashboard/events/${copy.event.id}?done=copied`, 303);
});
