import { Hono } from 'hono';
import { z } from 'zod';
import { actorOf } from '../../access/principal';
import { actorNames, ticketHolders } from '../../dashboard/door-names';
import { notFound, problem } from '../../domain/errors';
import { conflictViews, reviewConflict } from '../../door/conflicts';
import { eventLists } from '../../door/lists';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { ConflictsPage } from '../../views/dashboard/door-conflicts-page';
import { doorPage } from './door-shared';

/**
 * The door's conflicts in the dashboard, newest first (`stats.read`, as the API's list), and
 * "Mark reviewed" (`checkin.manage`).
 */
export const doorConflictRoutes = new Hono<DashboardEnv>();

/** A page of conflicts; D1 reads for the page's names stay under its 100 bound values. */
const PAGE = 25;
const conflictId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

doorConflictRoutes.get('/events/:eventId/conflicts', async (c) => {
  const page = await doorPage(c, 'conflicts');
  const db = c.get('db');
  const before = conflictId.optional().safeParse(c.req.query('before'));
  if (!before.success) {
    throw problem('validation_failed', 'The page of conflicts to show is not a number.');
  }
  const views = await conflictViews(c.env, db, page.event.id, {
    afterId: 0,
    beforeId: before.data ?? Number.MAX_SAFE_INTEGER,
    limit: PAGE,
  });
  const [holders, lists, reviewers] = await Promise.all([
    ticketHolders(
      db,
      page.event.id,
      views.map((x) => x.ticketId),
    ),
    eventLists(db, page.record.event),
    actorNames(
      db,
      page.record.event.organizerId,
      views.flatMap((x) => (x.reviewedBy ? [x.reviewedBy] : [])),
    ),
  ]);
  const listName = new Map(lists.map((l) => [l.id, l.name]));
  const conflicts = views.map((x) => ({
    ...x,
    holderName: holders.get(x.ticketId)?.holderName ?? null,
    ticketTypeName: holders.get(x.ticketId)?.ticketTypeName ?? null,
    listName: listName.get(x.listId) ?? 'A deleted list',
    reviewedByName: x.reviewedBy ? (reviewers.get(x.reviewedBy) ?? null) : null,
  }));
  const last = views.at(-1);
  return c.html(
    <ConflictsPage
      {...page}
      conflicts={conflicts}
      olderThan={views.length === PAGE && last ? last.id : null}
      done={c.req.query('done')}
    />,
  );
});

doorConflictRoutes.post('/events/:eventId/conflicts/:conflictId/review', async (c) => {
  const { event } = await doorPage(c, 'conflicts.review');
  const id = conflictId.safeParse(c.req.param('conflictId'));
  if (!id.success) throw notFound('conflict');
  await reviewConflict(c.env, c.get('db'), event.id, id.data, actorOf(c.get('principal')));
  return c.redirect(`/dashboard/events/${event.id}/conflicts?done=reviewed`, 303);
});
