import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import type { Action } from '../../access/roles';
import { checklist, eventSummaries, workspaceName } from '../../access/workspace-events';
import { loadOwnEvent } from '../../catalog/event-commands';
import { inventoryFor } from '../../catalog/inventory';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { EventSummaryPage, EventsPage, HomePage } from '../../views/dashboard/home-pages';
import { navFor } from './shared';

/** The workspace home (checklist, events with sold / capacity) and the event summaries. */
export const homeRoutes = new Hono<DashboardEnv>();

homeRoutes.get('/', async (c) => {
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read');
  const db = c.get('db');
  const [nav, name, events] = await Promise.all([
    navFor(c, 'home'),
    workspaceName(db, principal.organizerId),
    eventSummaries(c.env, db, principal),
  ]);
  return c.html(
    <HomePage
      nav={nav}
      name={name}
      steps={checklist(events)}
      events={events}
      canCreate={authorize(principal, 'event.create') === 'allow'}
    />,
  );
});

homeRoutes.get('/events', async (c) => {
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read');
  const [nav, events] = await Promise.all([
    navFor(c, 'events'),
    eventSummaries(c.env, c.get('db'), principal),
  ]);
  return c.html(
    <EventsPage
      nav={nav}
      events={events}
      canCreate={authorize(principal, 'event.create') === 'allow'}
    />,
  );
});

homeRoutes.get('/events/:eventId', async (c) => {
  const principal = c.get('principal');
  const eventId = c.req.param('eventId');
  requireAllowed(principal, 'event.read', { eventId });
  const record = await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
  const [nav, snapshot] = await Promise.all([
    navFor(c, 'events'),
    inventoryFor(c.env, eventId).availability(),
  ]);
  const allowed = (action: Action) => authorize(principal, action, { eventId }) === 'allow';
  return c.html(
    <EventSummaryPage
      nav={nav}
      record={record}
      availability={snapshot?.ticketTypes ?? []}
      can={{
        edit: allowed('event.edit'),
        publish: allowed('event.publish'),
        copy: allowed('event.create'),
      }}
      done={c.req.query('done')}
    />,
  );
});
