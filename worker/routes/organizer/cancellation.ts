import { Hono } from 'hono';
import { requireAllowed } from '../../access/authorize';
import { actorOf } from '../../access/principal';
import type { AppEnv } from '../../app-env';
import { cancellationProgress } from '../../cancellation/progress';
import { retryFailedCancellations, startCancellation } from '../../cancellation/run';
import { loadOwnEvent } from '../../catalog/event-commands';
import { notFound } from '../../domain/errors';

/**
 * Cancel an event with refunds (DESIGN.md "Cancel event"): start (or resume) the run, read
 * its progress, retry its failures. Starting cancels the event and refunds its paid orders,
 * so it takes both `event.publish` and `order.refund`; reading takes `order.read`.
 */
export const organizerCancellation = new Hono<AppEnv>();

organizerCancellation.post('/:eventId/cancellation', async (c) => {
  const eventId = c.req.param('eventId');
  const principal = c.get('principal');
  requireAllowed(principal, 'event.publish', { eventId });
  requireAllowed(principal, 'order.refund', { eventId });
  const db = c.get('db');
  await startCancellation(
    c.env,
    db,
    { organizerId: c.get('organizerId'), actor: actorOf(principal) },
    eventId,
  );
  return c.json(await cancellationProgress(db, eventId), 202);
});

organizerCancellation.get('/:eventId/cancellation', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.read', { eventId });
  const db = c.get('db');
  await loadOwnEvent(db, c.get('organizerId'), eventId);
  const progress = await cancellationProgress(db, eventId);
  if (!progress) throw notFound('cancellation');
  return c.json(progress);
});

organizerCancellation.post('/:eventId/cancellation/retry', async (c) => {
  const eventId = c.req.param('eventId');
  requireAllowed(c.get('principal'), 'order.refund', { eventId });
  const db = c.get('db');
  await loadOwnEvent(db, c.get('organizerId'), eventId);
  if (!(await cancellationProgress(db, eventId))) throw notFound('cancellation');
  await retryFailedCancellations(c.env, db, eventId);
  return c.json(await cancellationProgress(db, eventId), 202);
});
