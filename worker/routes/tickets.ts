import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { requireEventAccess } from '../door/event-access';
import { scanTicket } from '../door/scan';
import { gateSchema, nonceSchema } from '../door/scan-input';
import { bearerOrQueryToken } from '../http/bearer';
import { valid } from '../http/validate';
import { organizerAuth } from '../middleware/organizer-auth';
import { loadTicketForBuyer } from '../orders/order-view';
import { publicJwks } from '../tickets/codes';
import { renderQrSvg } from '../tickets/qr-svg';

export const ticketRoutes = new Hono<AppEnv>();

ticketRoutes.get('/tickets/:ticketId/qr.svg', async (c) => {
  const ticket = await loadTicketForBuyer(
    c.env,
    c.get('db'),
    c.req.param('ticketId'),
    bearerOrQueryToken(c),
  );
  return c.body(renderQrSvg(ticket.code, { title: `Ticket ${ticket.id}` }), 200, {
    'content-type': 'image/svg+xml',
    'cache-control': 'private, max-age=3600',
  });
});

const checkinBody = z
  .object({
    eventId: z.string().min(1).max(64),
    code: z.string().min(1).max(2048),
    listId: z.string().min(1).max(64).optional(),
    gate: gateSchema.optional(),
    nonce: nonceSchema.optional(),
  })
  .strict();

/**
 * The door, for an organizer's key. The signature proves we issued the code (no D1 needed to
 * reject a forgery); the list's rules are applied here, and the event's Durable Object decides
 * first scan vs. repeat atomically. Without `listId`: the event's default list.
 */
ticketRoutes.post('/checkin', organizerAuth, valid('json', checkinBody), async (c) => {
  const { eventId, code, listId, gate, nonce } = c.req.valid('json');
  await requireEventAccess(c, eventId, 'checkin.scan');
  const answer = await scanTicket(
    c.env,
    c.get('db'),
    { eventId, ticket: { code }, listId, gate, nonce, scanner: { deviceId: '', listIds: null } },
    (p) => c.executionCtx.waitUntil(p),
  );
  return c.json(answer);
});

export const wellKnownRoutes = new Hono<AppEnv>();

wellKnownRoutes.get('/jwks.json', async (c) => {
  c.header('cache-control', 'public, max-age=300');
  return c.json(await publicJwks(c.env));
});
