import { Hono } from 'hono';
import { loadOwnEvent } from '../../catalog/event-commands';
import type { EventRecord } from '../../catalog/event-record';
import { mayUseDoorScreen, requireDoorScreen } from '../../dashboard/door-access';
import type { FormFields } from '../../dashboard/event-form';
import { listFormErrors, listFormValues, readListForm } from '../../dashboard/list-form';
import { AppError, type FieldError, notFound } from '../../domain/errors';
import { listViews } from '../../door/list-views';
import { createList, deleteList, eventLists, findList, patchList } from '../../door/lists';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { DeleteListPage, ListFormPage } from '../../views/dashboard/door-list-form';
import { ListsPage, ListsTable } from '../../views/dashboard/door-lists-page';
import { doorPage } from './door-shared';
import { clockIn } from './event-page';
import { type DashboardContext, formFields } from './shared';

/**
 * Check-in lists in the dashboard: the lists with live counts (people who work the door), and
 * create / edit / delete (`checkin.manage`) through the same functions as the organizer API.
 */
export const doorListRoutes = new Hono<DashboardEnv>();

const listsPath = (eventId: string) => `/dashboard/events/${eventId}/checkin-lists`;

async function liveLists(c: DashboardContext, record: EventRecord) {
  const db = c.get('db');
  const lists = await listViews(c.env, db, record.event.id, await eventLists(db, record.event));
  const typeNames = new Map(record.ticketTypes.map((t) => [t.id, t.name]));
  return { lists, typeNames, updatedAt: clockIn(record.event.timezone) };
}

doorListRoutes.get('/events/:eventId/checkin-lists', async (c) => {
  const page = await doorPage(c, 'lists');
  const live = await liveLists(c, page.record);
  return c.html(<ListsPage {...page} {...live} done={c.req.query('done')} />);
});

/** The fragment htmx polls: the same table, nothing around it. */
doorListRoutes.get('/events/:eventId/checkin-lists/live', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireDoorScreen(principal, 'lists', eventId);
  const record = await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
  const live = await liveLists(c, record);
  const { event } = record;
  return c.html(
    <ListsTable
      event={{ id: event.id, title: event.title, timezone: event.timezone }}
      {...live}
      canManage={mayUseDoorScreen(principal, 'lists.manage', eventId)}
    />,
  );
});

/** Field errors of a domain `validation_failed` (a ticket type of another event), or null. */
function domainErrors(error: unknown) {
  if (!(error instanceof AppError) || error.code !== 'validation_failed') return null;
  const list = Array.isArray(error.extra.errors) ? (error.extra.errors as FieldError[]) : [];
  return listFormErrors(list);
}

async function renderForm(
  c: DashboardContext,
  listId: string | null,
  values: FormFields | null,
  errors: Record<string, string>,
) {
  const page = await doorPage(c, 'lists.manage');
  const list = listId ? await findList(c.get('db'), page.record.event, listId) : undefined;
  if (listId && !list) throw notFound('check-in list');
  const shown = values ?? (list ? listFormValues(list, page.event.timezone) : {});
  return c.html(
    <ListFormPage
      {...page}
      ticketTypes={page.record.ticketTypes.map((t) => ({ id: t.id, name: t.name }))}
      list={list}
      values={shown}
      errors={errors}
    />,
    Object.keys(errors).length > 0 ? 422 : 200,
  );
}

doorListRoutes.get('/events/:eventId/checkin-lists/new', (c) => renderForm(c, null, null, {}));
doorListRoutes.get('/events/:eventId/checkin-lists/:listId/edit', (c) =>
  renderForm(c, c.req.param('listId'), null, {}),
);

doorListRoutes.post('/events/:eventId/checkin-lists/new', async (c) => {
  const { record } = await doorPage(c, 'lists.manage');
  const fields = await formFields(c);
  const form = readListForm(fields, record.event.timezone, 'create');
  if (!form.ok) return renderForm(c, null, fields, form.errors);
  try {
    const typeIds = record.ticketTypes.map((t) => t.id);
    await createList(c.get('db'), record.event, typeIds, form.body);
  } catch (error) {
    const errors = domainErrors(error);
    if (errors) return renderForm(c, null, fields, errors);
    throw error;
  }
  return c.redirect(`${listsPath(record.event.id)}?done=created`, 303);
});

doorListRoutes.post('/events/:eventId/checkin-lists/:listId/edit', async (c) => {
  const { record } = await doorPage(c, 'lists.manage');
  const listId = c.req.param('listId');
  if (!(await findList(c.get('db'), record.event, listId))) throw notFound('check-in list');
  const fields = await formFields(c);
  const form = readListForm(fields, record.event.timezone, 'edit');
  if (!form.ok) return renderForm(c, listId, fields, form.errors);
  try {
    const typeIds = record.ticketTypes.map((t) => t.id);
    await patchList(c.get('db'), record.event, typeIds, listId, form.body);
  } catch (error) {
    const errors = domainErrors(error);
    if (errors) return renderForm(c, listId, fields, errors);
    throw error;
  }
  return c.redirect(`${listsPath(record.event.id)}?done=saved`, 303);
});

doorListRoutes.get('/events/:eventId/checkin-lists/:listId/delete', async (c) => {
  const page = await doorPage(c, 'lists.manage');
  const list = await findList(c.get('db'), page.record.event, c.req.param('listId'));
  if (!list) throw notFound('check-in list');
  if (list.isDefault) return c.redirect(listsPath(page.event.id), 303);
  return c.html(<DeleteListPage {...page} list={list} />);
});

/** The default list can not be deleted: 409, as in the API. */
doorListRoutes.post('/events/:eventId/checkin-lists/:listId/delete', async (c) => {
  const { record } = await doorPage(c, 'lists.manage');
  await deleteList(c.get('db'), record.event, c.req.param('listId'));
  return c.redirect(`${listsPath(record.event.id)}?done=deleted`, 303);
});
