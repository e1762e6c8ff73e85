import { Hono } from 'hono';
import { requireAllowed } from '../../access/authorize';
import { loadOwnEvent } from '../../catalog/event-commands';
import { inventoryFor } from '../../catalog/inventory';
import { storefrontEventView } from '../../catalog/storefront-view';
import { usePagePolicy } from '../../middleware/dashboard-headers';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { WidgetPreviewPage } from '../../views/dashboard/widget-preview';
import { EventPage } from '../../views/event-page';
import { inlineCodeHashes } from '../../views/inline-code';

/**
 * Previews an event as buyers will see it, before or after it is published: the hosted event
 * page (GET /events/:id/preview) and the widget (GET /events/:id/preview/widget). Neither can
 * place a hold: the page's form is inert, and the widget exists only for a published event.
 */
export const previewRoutes = new Hono<DashboardEnv>();

previewRoutes.get('/events/:eventId/preview', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read', { eventId });
  const record = await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
  const snapshot = await inventoryFor(c.env, eventId).availability();
  const now = Date.now();
  const draft = record.event.status === 'draft';
  // A draft is shown as it will be once published: the tickets and what is free of them.
  const asPublished = draft
    ? { ...record, event: { ...record.event, status: 'on_sale' as const } }
    : record;
  const view = storefrontEventView(asPublished, snapshot, now);
  // The hosted page's own stylesheet is inline, allowed by its hash (inline-code.ts).
  usePagePolicy(c, { add: { 'style-src': (await inlineCodeHashes()).styles } });
  return c.html(<EventPage event={view} now={now} preview={draft ? 'draft' : 'published'} />);
});

previewRoutes.get('/events/:eventId/preview/widget', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.read', { eventId });
  const { event } = await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
  // The one dashboard page the dashboard may frame (the event page's live preview).
  usePagePolicy(c, { frameAncestors: 'self' });
  return c.html(
    <WidgetPreviewPage
      eventId={event.id}
      slug={event.slug}
      title={event.title}
      onSale={event.status === 'on_sale'}
    />,
  );
});
