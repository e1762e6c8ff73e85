import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { inventoryFor } from '../../catalog/inventory';
import { notFound } from '../../domain/errors';
import { eventIdOfHold } from '../../domain/ids';
import {
  ADMISSION_HEADER,
  holdItemsSchema,
  holdResponse,
  placeHold,
  releaseHold,
} from '../../holds/hold-service';
import { releaseFailure } from '../../holds/refusals';
import { valid } from '../../http/validate';
import { requestClientKey } from '../../limits/client-key';

export const holdRoutes = new Hono<AppEnv>();

holdRoutes.post('/events/:eventId/holds', valid('json', holdItemsSchema), async (c) => {
  const { items } = c.req.valid('json');
  const placed = await placeHold(c.env, c.req.param('eventId'), items, {
    admissionToken: c.req.header(ADMISSION_HEADER)?.trim(),
    clientKey: requestClientKey(c),
  });
  if (!placed.ok) throw placed.error;
  return c.json(holdResponse(placed.hold), 201);
});

function holdEventId(holdId: string): string {
  const eventId = eventIdOfHold(holdId);
  if (!eventId) throw notFound('hold');
  return eventId;
}

holdRoutes.get('/holds/:holdId', async (c) => {
  const holdId = c.req.param('holdId');
  const hold = await inventoryFor(c.env, holdEventId(holdId)).getHold(holdId);
  if (!hold) throw notFound('hold');
  return c.json(holdResponse(hold));
});

holdRoutes.delete('/holds/:holdId', async (c) => {
  const holdId = c.req.param('holdId');
  const result = await releaseHold(c.env, holdEventId(holdId), holdId);
  if (!result.ok) throw releaseFailure(result);
  return c.body(null, 204);
});
