import { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from '../../access/principal';
import type { AppEnv } from '../../app-env';
import { notFound } from '../../domain/errors';
import { conflictViews, reviewConflict } from '../../door/conflicts';
import { requireEventAccess } from '../../door/event-access';
import { createListSchema, patchListSchema } from '../../door/list-input';
import { listViews } from '../../door/list-views';
import { createList, deleteList, eventLists, findList, patchList } from '../../door/lists';
import { valid } from '../../http/validate';

/** Check-in lists of an event and their live counts; the door's conflicts. */
export const organizerCheckinLists = new Hono<AppEnv>();

organizerCheckinLists.get('/:eventId/checkin-lists', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.read');
  const lists = await eventLists(c.get('db'), event);
  return c.json({ data: await listViews(c.env, c.get('db'), event.id, lists) });
});

organizerCheckinLists.post(
  '/:eventId/checkin-lists',
  valid('json', createListSchema),
  async (c) => {
    const record = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.manage');
    const typeIds = record.ticketTypes.map((t) => t.id);
    const list = await createList(c.get('db'), record.event, typeIds, c.req.valid('json'));
    const [view] = await listViews(c.env, c.get('db'), record.event.id, [list]);
    return c.json(view, 201);
  },
);

organizerCheckinLists.get('/:eventId/checkin-lists/:listId', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.read');
  const list = await findList(c.get('db'), event, c.req.param('listId'));
  if (!list) throw notFound('check-in list');
  const [view] = await listViews(c.env, c.get('db'), event.id, [list]);
  return c.json(view);
});

organizerCheckinLists.patch(
  '/:eventId/checkin-lists/:listId',
  valid('json', patchListSchema),
  async (c) => {
    const record = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.manage');
    const typeIds = record.ticketTypes.map((t) => t.id);
    const list = await patchList(
      c.get('db'),
      record.event,
      typeIds,
      c.req.param('listId'),
      c.req.valid('json'),
    );
    const [view] = await listViews(c.env, c.get('db'), record.event.id, [list]);
    return c.json(view);
  },
);

organizerCheckinLists.delete('/:eventId/checkin-lists/:listId', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.manage');
  await deleteList(c.get('db'), event, c.req.param('listId'));
  return c.body(null, 204);
});

const conflictQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Tickets two devices admitted on one list (with no exit between): both facts, side by side. */
organizerCheckinLists.get(
  '/:eventId/checkin-conflicts',
  valid('query', conflictQuery),
  async (c) => {
    const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.conflicts.read');
    const { after, limit } = c.req.valid('query');
    const data = await conflictViews(c.env, c.get('db'), event.id, { afterId: after, limit });
    const last = data.at(-1);
    return c.json({ data, nextAfter: data.length === limit && last ? last.id : null });
  },
);

const conflictId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** Someone looked at a conflict: marked reviewed once, by whom and when. */
organizerCheckinLists.post('/:eventId/checkin-conflicts/:conflictId/review', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.conflicts.review');
  const id = conflictId.safeParse(c.req.param('conflictId'));
  if (!id.success) throw notFound('conflict');
  const actor = actorOf(c.get('principal'));
  return c.json(await reviewConflict(c.env, c.get('db'), event.id, id.data, actor));
});
