import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env';
import { inventoryFor } from '../../catalog/inventory';
import { notFound } from '../../domain/errors';
import { deviceNames } from '../../door/devices';
import { requireEventAccess } from '../../door/event-access';
import { createListSchema, patchListSchema } from '../../door/list-input';
import {
  type CheckinList,
  createList,
  deleteList,
  eventLists,
  findList,
  listView,
  patchList,
  validTicketsByType,
} from '../../door/lists';
import { valid } from '../../http/validate';

/** Check-in lists of an event and their live counts; the door's conflicts. */
export const organizerCheckinLists = new Hono<AppEnv>();

async function views(
  env: Env,
  db: AppEnv['Variables']['db'],
  eventId: string,
  lists: CheckinList[],
) {
  const [counts, byType] = await Promise.all([
    inventoryFor(env, eventId).checkinCounts(),
    validTicketsByType(db, eventId),
  ]);
  const countOf = new Map(counts.map((c) => [c.listId, c]));
  return lists.map((list) => listView(list, countOf.get(list.id), byType));
}

organizerCheckinLists.get('/:eventId/checkin-lists', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.read');
  const lists = await eventLists(c.get('db'), event);
  return c.json({ data: await views(c.env, c.get('db'), event.id, lists) });
});

organizerCheckinLists.post(
  '/:eventId/checkin-lists',
  valid('json', createListSchema),
  async (c) => {
    const record = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.manage');
    const typeIds = record.ticketTypes.map((t) => t.id);
    const list = await createList(c.get('db'), record.event, typeIds, c.req.valid('json'));
    const [view] = await views(c.env, c.get('db'), record.event.id, [list]);
    return c.json(view, 201);
  },
);

organizerCheckinLists.get('/:eventId/checkin-lists/:listId', async (c) => {
  const { event } = await requireEventAccess(c, c.req.param('eventId'), 'checkin.lists.read');
  const list = await findList(c.get('db'), event, c.req.param('listId'));
  if (!list) throw notFound('check-in list');
  const [view] = await views(c.env, c.get('db'), event.id, [list]);
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
    const [view] = await views(c.env, c.get('db'), record.event.id, [list]);
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
    const conflicts = await inventoryFor(c.env, event.id).checkinConflicts(after, limit);
    const names = await deviceNames(
      c.get('db'),
      event.id,
      conflicts.flatMap((x) => [x.first.deviceId, x.second.deviceId]),
    );
    const withName = (side: (typeof conflicts)[number]['first']) => ({
      ...side,
      deviceName: names.get(side.deviceId) ?? null,
    });
    const last = conflicts.at(-1);
    return c.json({
      data: conflicts.map((x) => ({ ...x, first: withName(x.first), second: withName(x.second) })),
      nextAfter: conflicts.length === limit && last ? last.id : null,
    });
  },
);
