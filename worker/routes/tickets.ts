import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAllowed } from '../access/authorize';
import type { AppEnv } from '../app-env';
import { loadOwnEvent } from '../catalog/event-commands';
import { inventoryFor } from '../catalog/inventory';
import { orders, tickets } from '../db/schema';
import { bearerOrQueryToken } from '../http/bearer';
import { valid } from '../http/validate';
import { organizerAuth } from '../middleware/organizer-auth';
import { loadTicketForBuyer } from '../orders/order-view';
import { publicJwks, verifyTicketCode } from '../tickets/codes';
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
  })
  .strict();

/**
 * The door. The signature proves we issued the code (no D1 needed to reject a forgery); the
 * event's Durable Object decides first scan vs. repeat atomically. D1 gets a copy for reports.
 */
ticketRoutes.post('/checkin', organizerAuth, valid('json', checkinBody), async (c) => {
  const { eventId, code } = c.req.valid('json');
  const db = c.get('db');
  requireAllowed(c.get('principal'), 'checkin.scan', { eventId });
  const record = await loadOwnEvent(db, c.get('organizerId'), eventId);
  const claims = await verifyTicketCode(c.env, code);
  if (!claims) return c.json({ result: 'invalid' as const });
  if (claims.eventId !== eventId) return c.json({ result: 'wrong_event' as const });
  // A test-mode ticket never enters a live event, and is not recorded as checked in.
  if (claims.test && !record.event.testMode) {
    return c.json({ result: 'test_ticket' as const, ticket: { id: claims.ticketId } });
  }
  const outcome = await inventoryFor(c.env, eventId).checkIn(claims.ticketId);
  const details = await db
    .select({
      id: tickets.id,
      ticketTypeId: tickets.ticketTypeId,
      orderId: tickets.orderId,
      holderName: orders.buyerName,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .where(eq(tickets.id, claims.ticketId))
    .get();
  const ticket = details ?? {
    id: claims.ticketId,
    ticketTypeId: null,
    orderId: null,
    holderName: null,
  };
  if (outcome.result === 'ok') {
    c.executionCtx.waitUntil(
      db
        .update(tickets)
        .set({ checkedInAt: outcome.checkedInAt })
        .where(eq(tickets.id, claims.ticketId))
        .run(),
    );
    return c.json({ result: 'ok' as const, ticket, checkedInAt: outcome.checkedInAt });
  }
  if (outcome.result === 'already_checked_in') {
    return c.json({
      result: 'already_checked_in' as const,
      ticket,
      firstCheckedInAt: outcome.firstCheckedInAt,
    });
  }
  return c.json({ result: 'refunded' as const, ticket });
});

export const wellKnownRoutes = new Hono<AppEnv>();

wellKnownRoutes.get('/jwks.json', async (c) => {
  c.header('cache-control', 'public, max-age=300');
  return c.json(await publicJwks(c.env));
});
