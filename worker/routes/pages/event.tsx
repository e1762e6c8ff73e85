import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import type { EventRecord } from '../../catalog/event-record';
import { inventoryFor } from '../../catalog/inventory';
import { storefrontEventView } from '../../catalog/storefront-view';
import { EventPage } from '../../pages/event-page';
import { chosenQuantities, holdErrorText } from '../../pages/hold-form';
import { holdFailure, holdItemsSchema } from '../storefront/holds';
import { formFields, type PageContext, publicEvent, type Status } from './shared';

/** The event page and its "hold these tickets" form. */
export const eventPageRoutes = new Hono<AppEnv>();

/** The event page, with fresh availability (after a refusal too: the numbers may have moved). */
async function renderEvent(
  c: PageContext,
  record: EventRecord,
  status: Status,
  notice?: { kind: 'info' | 'error'; text: string },
  selected?: ReadonlyMap<string, number>,
) {
  const now = Date.now();
  const snapshot = await inventoryFor(c.env, record.event.id).availability();
  const view = storefrontEventView(record, snapshot, now);
  return c.html(<EventPage event={view} now={now} notice={notice} selected={selected} />, status);
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
  const result = await inventoryFor(c.env, record.event.id).hold(items);
  if (!result.ok) {
    const error = holdFailure(result, items);
    if (error.status === 404) throw error;
    return refuse(
      error.status === 409 ? 409 : 422,
      holdErrorText(error, new Map(record.ticketTypes.map((t) => [t.id, t.name]))),
    );
  }
  return c.redirect(`/e/${record.event.slug}/checkout/${result.hold.holdId}`, 303);
});
