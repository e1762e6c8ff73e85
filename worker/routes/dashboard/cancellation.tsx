import { and, eq, inArray, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import { actorOf } from '../../access/principal';
import { cancellationProgress } from '../../cancellation/progress';
import { retryFailedCancellations, startCancellation } from '../../cancellation/run';
import { loadOwnEvent } from '../../catalog/event-commands';
import { field } from '../../dashboard/event-form';
import { orders } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { sourceStates } from '../../domain/order-states';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { CancellationFigures, CancellationPage } from '../../views/dashboard/cancellation-pages';
import { type DashboardContext, formFields, navFor } from './shared';

/** Cancel event with refunds from the dashboard (the API's run: worker/cancellation/). */
export const cancellationRoutes = new Hono<DashboardEnv>();

async function drawPage(c: DashboardContext, eventId: string, error?: string) {
  const principal = c.get('principal');
  const db = c.get('db');
  const record = await loadOwnEvent(db, principal.organizerId, eventId);
  const [progress, [paid]] = await Promise.all([
    cancellationProgress(db, eventId),
    db
      .select({ n: sql<number>`COUNT(*)` })
      .from(orders)
      .where(
        and(eq(orders.eventId, eventId), inArray(orders.status, sourceStates('refundPartly'))),
      ),
  ]);
  const { event } = record;
  return c.html(
    <CancellationPage
      nav={await navFor(c, 'events')}
      event={{ id: event.id, title: event.title, status: event.status, currency: event.currency }}
      paidOrders={paid?.n ?? 0}
      progress={progress}
      canRetry={authorize(principal, 'order.refund', { eventId }) === 'allow'}
      error={error}
    />,
    error ? 422 : 200,
  );
}

cancellationRoutes.get('/events/:eventId/cancellation', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.read', { eventId });
  return drawPage(c, eventId);
});

cancellationRoutes.get('/events/:eventId/cancellation/progress', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.read', { eventId });
  const record = await loadOwnEvent(c.get('db'), c.get('organizerId'), eventId);
  const progress = await cancellationProgress(c.get('db'), eventId);
  if (!progress) throw notFound('cancellation');
  return c.html(
    <div
      id="cancellation-live"
      {...(progress.pending > 0
        ? { 'hx-get': c.req.path, 'hx-trigger': 'every 3s', 'hx-swap': 'outerHTML' }
        : {})}
    >
      <CancellationFigures progress={progress} currency={record.event.currency} />
    </div>,
  );
});

cancellationRoutes.post('/events/:eventId/cancellation', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.publish', { eventId });
  requireAllowed(principal, 'order.refund', { eventId });
  if (field(await formFields(c), 'confirm') !== 'yes') {
    await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
    return drawPage(c, eventId, 'Tick the box to confirm: this can not be undone.');
  }
  await startCancellation(
    c.env,
    c.get('db'),
    { organizerId: principal.organizerId, actor: actorOf(principal) },
    eventId,
  );
  return c.redirect(`/dashboard/events/${eventId}/cancellation`, 303);
});

cancellationRoutes.post('/events/:eventId/cancellation/retry', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.refund', { eventId });
  const db = c.get('db');
  await loadOwnEvent(db, c.get('organizerId'), eventId);
  if (!(await cancellationProgress(db, eventId))) throw notFound('cancellation');
  await retryFailedCancellations(c.env, db, eventId);
  return c.redirect(`/dashboard/events/${eventId}/cancellation`, 303);
});
