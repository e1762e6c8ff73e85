import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import { checklist, eventSummaries, workspaceName } from '../../access/workspace-events';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { EventsPage, HomePage } from '../../views/dashboard/home-pages';
import { renderEventPage } from './event-page';
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
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'event.read', { eventId });
  return renderEventPage(c, eventId);
});
