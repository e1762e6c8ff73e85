import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { cachedAvailability } from '../../catalog/availability-cache';
import type { EventRecord } from '../../catalog/event-record';
import { storefrontEventView } from '../../catalog/storefront-view';
import { holdItemsSchema, placeHold } from '../../holds/hold-service';
import { retryAfterSeconds } from '../../http/problem';
import { requestClientKey } from '../../limits/client-key';
import { EventPage } from '../../views/event-page';
import { chosenQuantities, holdErrorText } from '../../views/hold-form';
import { joinAndGo, queueDoor } from './queue';
import { readAdmissionCookie } from './queue-cookies';
import { formFields, type PageContext, publicEvent, type Status } from './shared';

/** The event page and its "hold these tickets" form. */
export const eventPageRoutes = new Hono<AppEnv>();

/** The event page, with availability at most a second old (DESIGN.md: the hold decides). */
async function renderEvent(
  c: PageContext,
  record: EventRecord,
  status: Status,
  notice?: { kind: 'info' | 'error'; text: string },
  selected?: ReadonlyMap<string, number>,
) {
  const now = Date.now();
  // A buyer's own hold (placed or refused) drops this isolate's copy (placeHold), so the page
  // it renders and the next one show the numbers that decided it.
  const snapshot = await cachedAvailability(c.env, record.event.id, now);
  const view = storefrontEventView(record, snapshot, now);
  // While the room is active the page depends on this buyer's cookies: never shared.
  const door = view.waitingRoom.active ? await queueDoor(c, record) : {};
  if (view.waitingRoom.active) c.header('cache-control', 'private, no-store');
  return c.html(
    <EventPage
      event={view}
      now={now}
      notice={notice ?? door.notice}
      selected={selected}
      queue={door.queue}
    />,
    status,
  );
}

eventPageRoutes.get('/e/:slug', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  c.header('cache-control', 'public, max-age=1');
  const released = c.req.query('released') === '1';
  return renderEvent(
    c,
    record,
    200,
    released
      ? { kind: 'info', text: 'Your tickets were released. Choose again whenever you like.' }
      : undefined,
  );
});

/** The event page's form: hold what was chosen, then on to checkout (303, so a reload never re-posts). */
eventPageRoutes.post('/e/:slug/hold', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const chosen = chosenQuantities(await formFields(c));
  const refuse = (status: Status, text: string) =>
    renderEvent(c, record, status, { kind: 'error', text }, chosen.selected);
  if (chosen.malformed) return refuse(422, 'Choose the number of tickets from the lists.');
  const parsed = holdItemsSchema.safeParse({ items: chosen.items });
  if (!parsed.success) {
    return refuse(
      422,
      chosen.items.length === 0
        ? 'Choose at least one ticket first.'
        : 'Some of the tickets you chose are not offered. Please choose again.',
    );
  }
  const { items } = parsed.data;
  // The same gate as the API: the admission (from its cookie) goes to the event's DO.
  const result = await placeHold(c.env, record.event.id, items, {
    admissionToken: readAdmissionCookie(c, record.event),
    clientKey: requestClientKey(c),
  });
  if (!result.ok) {
    const { error } = result;
    // No admission (or one that ended): into the line, not onto an error.
    if (error.code === 'admission_required' || error.code === 'admission_ended') {
      return joinAndGo(c, record);
    }
    const inUse = error.code === 'admission_in_use' ? error.extra.holdId : undefined;
    if (typeof inUse === 'string') {
      return c.redirect(`/e/${record.event.slug}/checkout/${inUse}`, 303);
    }
    if (error.status === 404) throw error;
    const retryAfter = retryAfterSeconds(error);
    if (retryAfter !== undefined) c.header('retry-after', String(retryAfter));
    return refuse(
      error.status === 409 || error.status === 429 ? error.status : 422,
      holdErrorText(error, new Map(record.ticketTypes.map((t) => [t.id, t.name]))),
    );
  }
  return c.redirect(`/e/${record.event.slug}/checkout/${result.hold.holdId}`, 303);
});
