import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { AppError } from '../../domain/errors';
import { bearerToken } from '../../http/bearer';
import { problemResponse } from '../../http/problem';
import { requestClientKey } from '../../limits/client-key';
import { JOIN_RETRY_AFTER_SECONDS, joinQueue, queueStatus } from '../../waiting-room/service';

/** The waiting room's buyer API under /api/v1/events (API.md "Waiting room"). */
export const queueRoutes = new Hono<AppEnv>();

/** Join the line; with a valid `Authorization: Bearer <queueToken>`, the same place again. */
queueRoutes.post('/:eventId/queue', async (c) => {
  c.header('cache-control', 'no-store');
  try {
    const { view, joined } = await joinQueue(c.env, c.executionCtx, {
      eventId: c.req.param('eventId'),
      clientKey: requestClientKey(c),
      queueToken: bearerToken(c),
    });
    return c.json(view, joined ? 201 : 200);
  } catch (error) {
    if (error instanceof AppError && error.code === 'rate_limited') return tooManyJoins(c, error);
    throw error;
  }
});

/** Position and wait from the token and the cached room: no Durable Object request per poll. */
queueRoutes.get('/:eventId/queue/status', async (c) => {
  c.header('cache-control', 'no-store');
  const view = await queueStatus(c.env, c.executionCtx, c.req.param('eventId'), bearerToken(c));
  return c.json(view);
});

function tooManyJoins(c: Context<AppEnv>, error: AppError): Response {
  const response = problemResponse(error, c.get('requestId'));
  response.headers.set('retry-after', String(JOIN_RETRY_AFTER_SECONDS));
  response.headers.set('cache-control', 'no-store');
  return response;
}
