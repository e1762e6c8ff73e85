import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireAllowed, visibleEvents } from '../../access/authorize';
import type { AppEnv } from '../../app-env';
import { ORDER_STATUSES, orders } from '../../db/schema';
import { notFound, validationFailed } from '../../domain/errors';
import { parseOrThrow, valid } from '../../http/validate';
import { organizerOrderView } from '../../orders/organizer-order';
import { refundOrder } from '../../orders/refunds';

export const organizerOrders = new Hono<AppEnv>();

const listQuery = z.object({
  eventId: z.string().max(64).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Opaque keyset cursor over (createdAt, id), newest first. */
const encodeCursor = (createdAt: string, id: string) => btoa(JSON.stringify([createdAt, id]));
const cursorSchema = z.tuple([z.string(), z.string()]);

function decodeCursor(cursor: string): [string, string] | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(atob(cursor)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

organizerOrders.get('/', valid('query', listQuery), async (c) => {
  const { eventId, status, cursor, limit } = c.req.valid('query');
  const principal = c.get('principal');
  requireAllowed(principal, 'order.read', { eventId });
  const scope = visibleEvents(principal);
  const after = cursor ? decodeCursor(cursor) : null;
  if (cursor && !after) {
    throw validationFailed([{ path: 'cursor', message: 'Not a cursor from this API' }]);
  }
  const rows = await c
    .get('db')
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.organizerId, c.get('organizerId')),
        eventId ? eq(orders.eventId, eventId) : undefined,
        scope ? inArray(orders.eventId, [...scope]) : undefined,
        status ? eq(orders.status, status) : undefined,
        after
          ? or(
              lt(orders.createdAt, after[0]),
              and(eq(orders.createdAt, after[0]), lt(orders.id, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return c.json({
    data: page.map((o) => ({
      id: o.id,
      eventId: o.eventId,
      status: o.status,
      testMode: o.testMode,
      buyer: { name: o.buyerName, email: o.buyerEmail },
      totalMinor: o.totalMinor,
      refundedMinor: o.refundedMinor,
      currency: o.currency,
      createdAt: o.createdAt,
      paidAt: o.paidAt,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  });
});

organizerOrders.get('/:orderId', async (c) => {
  const view = await organizerOrderView(c.get('db'), c.get('organizerId'), c.req.param('orderId'));
  requireAllowed(c.get('principal'), 'order.read', { eventId: view.eventId });
  return c.json(view);
});

/** Nothing (all that is left), an amount, or some tickets of the order: never both. */
const refundBody = z
  .object({
    amountMinor: z.number().int().min(1).max(1_000_000_000_000).optional(),
    ticketIds: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
  })
  .strict()
  .refine((body) => body.amountMinor === undefined || body.ticketIds === undefined, {
    message: 'Give amountMinor or ticketIds, not both',
    path: ['ticketIds'],
  })
  .refine((body) => new Set(body.ticketIds ?? []).size === (body.ticketIds ?? []).length, {
    message: 'A ticket may be named once',
    path: ['ticketIds'],
  });

organizerOrders.post('/:orderId/refund', async (c) => {
  // An empty body means a full refund; a body must be valid JSON of the schema.
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  const request = parseOrThrow(refundBody, body);
  // The order's event decides the scope; another workspace's order is simply not there.
  const own = await c
    .get('db')
    .select({ eventId: orders.eventId })
    .from(orders)
    .where(and(eq(orders.id, c.req.param('orderId')), eq(orders.organizerId, c.get('organizerId'))))
    .get();
  if (!own) throw notFound('order');
  requireAllowed(c.get('principal'), 'order.refund', { eventId: own.eventId });
  // Optional: the same key again answers the same refund instead of making a second one.
  const key = c.req.header('idempotency-key');
  if (key !== undefined && (key.length > 255 || !/^[\x21-\x7e]+$/.test(key))) {
    throw validationFailed([
      { path: 'Idempotency-Key', message: '1-255 visible ASCII characters' },
    ]);
  }
  const result = await refundOrder(
    c.env,
    c.get('db'),
    c.get('organizerId'),
    c.req.param('orderId'),
    request,
    key,
  );
  // 202: claimed, but the provider has not confirmed it yet; the sweep finishes it.
  return c.json(result, result.refund.state === 'pending' ? 202 : 200);
});
