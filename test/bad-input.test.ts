import { env, SELF } from 'cloudflare:test';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../worker/app';
import { inventoryFor } from '../worker/catalog/inventory';
import { createDb } from '../worker/db/client';
import { newHoldId, newId } from '../worker/domain/ids';
import { SandboxProvider } from '../worker/payments/sandbox';
import { signAdmissionToken, signQueueToken } from '../worker/waiting-room/tokens';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  typeId,
} from './support/api';
import {
  expectProblem,
  type ProblemExpectation,
  type Purchase,
  purchase,
  settledSnapshot,
} from './support/db-snapshot';
import { type JsonResponse, readJsonResponse } from './support/json-response';

/**
 * Every route, fed bad input: a 4xx problem+json with a stable code, never a 500, and
 * nothing written (every D1 table and the watched event Durable Objects are compared before
 * and after the request). Each row: [name, expected problem, how to build the request].
 */

type Auth = Record<string, string>;

interface World {
  a: Auth;
  b: Auth;
  /** A's published event: ga (3900, 500), vip (9900, 50), 10 per order. */
  event: CreatedEvent;
  /** A's draft event. */
  draft: CreatedEvent;
  /** B's published event. */
  bEvent: CreatedEvent;
  /** A's paid order of 2 ga (7800). */
  paid: Purchase;
  /** A's order of 1 ga awaiting payment (3900). */
  pending: Purchase;
}

interface Request {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Event Durable Objects to watch besides the world's. */
  watch?: string[];
  /** A body of this many bytes sent as a stream: chunked, without Content-Length. */
  chunked?: { bytes: number; type: string };
  /** Settings the Worker runs with for this request, over the test bindings. */
  settings?: Record<string, string>;
}

interface Expected extends ProblemExpectation {}

/** Builds what the row needs (before the "before" snapshot) and returns the bad request. */
type Build = (w: World) => Request | Promise<Request>;
type Row = [name: string, expected: Expected, request: Build];

// --- expectations ------------------------------------------------------------------------------

const problem = (status: number, code: string): Expected => ({ status, code });
const invalid = (path?: string): Expected => ({
  status: 422,
  code: 'validation_failed',
  ...(path ? { path } : {}),
});

const UNAUTHORIZED = problem(401, 'unauthorized');
const NOT_FOUND = problem(404, 'not_found');
const UNSUPPORTED = problem(415, 'unsupported_media_type');
const MALFORMED = { status: 400, code: 'validation_failed', path: '(root)' };

// --- request builders --------------------------------------------------------------------------

const EVENTS = '/api/v1/organizer/events';
const ORDERS = '/api/v1/organizer/orders';
const WRONG_KEY = { authorization: 'Bearer tsk_test_not_a_real_key_000000000000' };
const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };
const ev = eventBody;

const req = (method: string, path: string, extra: Partial<Request> = {}): Request => ({
  method,
  path,
  ...extra,
});
/** A body sent as is, with the given content type. */
const raw = (method: string, path: string, text: string, type: string, headers: Auth = {}) =>
  req(method, path, { raw: text, headers: { ...headers, 'content-type': type } });

function without(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[key];
  return copy;
}

/** An event body with one ticket type, changed by `overrides`. */
const oneType = (overrides: Record<string, unknown>) =>
  ev({
    ticketTypes: [{ key: 'ga', name: 'GA', priceMinor: 3900, capacity: 500, ...overrides }],
    quotas: [],
  });

async function createDraft(auth: Auth, overrides: Record<string, unknown> = {}) {
  const res = await call<CreatedEvent>('POST', EVENTS, { body: ev(overrides), headers: auth });
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function hold(
  event: CreatedEvent,
  items: Record<string, number>,
  headers: Auth = {},
): Promise<string> {
  const res = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: {
      items: Object.entries(items).map(([key, quantity]) => ({
        ticketTypeId: typeId(event, key),
        quantity,
      })),
    },
    headers,
  });
  if (res.status !== 201) throw new Error(`hold: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.holdId;
}

// --- POST /api/v1/organizer/events ---------------------------------------------------------------

const create =
  (body: () => unknown): Build =>
  (w) =>
    req('POST', EVENTS, { body: body(), headers: w.a });

async function revokedKey(): Promise<Request> {
  const { apiKey, organizerId } = await createOrganizer('Revoked');
  await env.DB.prepare('UPDATE api_keys SET revoked_at = ? WHERE organizer_id = ?')
    .bind(new Date().toISOString(), organizerId)
    .run();
  return req('POST', EVENTS, { body: ev(), headers: { authorization: `Bearer ${apiKey}` } });
}

const createEventRows: Row[] = [
  ['no Authorization header', UNAUTHORIZED, () => req('POST', EVENTS, { body: ev() })],
  ['wrong API key', UNAUTHORIZED, () => req('POST', EVENTS, { body: ev(), headers: WRONG_KEY })],
  ['revoked API key', UNAUTHORIZED, revokedKey],
  [
    'Basic instead of Bearer',
    UNAUTHORIZED,
    () => req('POST', EVENTS, { body: ev(), headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
  ],
  ['malformed JSON', MALFORMED, (w) => raw('POST', EVENTS, '{"title":', 'application/json', w.a)],
  ['empty body', MALFORMED, (w) => raw('POST', EVENTS, '', 'application/json', w.a)],
  [
    'text/plain body',
    UNSUPPORTED,
    (w) => raw('POST', EVENTS, JSON.stringify(ev()), 'text/plain', w.a),
  ],
  [
    'form-encoded body',
    UNSUPPORTED,
    (w) => raw('POST', EVENTS, 'title=x', 'application/x-www-form-urlencoded', w.a),
  ],
  ['empty object', invalid('title'), create(() => ({}))],
  ['JSON null', invalid('(root)'), create(() => null)],
  ['JSON array', invalid('(root)'), create(() => [ev()])],
  ['missing title', invalid('title'), create(() => without(ev(), 'title'))],
  ['blank title', invalid('title'), create(() => ev({ title: '   ' }))],
  ['slug in upper case', invalid('slug'), create(() => ev({ slug: 'Night-Owls' }))],
  ['slug with spaces', invalid('slug'), create(() => ev({ slug: 'night owls' }))],
  ['slug of 65 characters', invalid('slug'), create(() => ev({ slug: 'a'.repeat(65) }))],
  [
    'slug taken',
    problem(409, 'slug_taken'),
    (w) => req('POST', EVENTS, { body: ev({ slug: w.event.slug }), headers: w.a }),
  ],
  [
    "slug of another organizer's draft",
    problem(409, 'slug_taken'),
    (w) => req('POST', EVENTS, { body: ev({ slug: w.draft.slug }), headers: w.b }),
  ],
  ['currency "EURO"', invalid('currency'), create(() => ev({ currency: 'EURO' }))],
  ['currency "XXY"', invalid('currency'), create(() => ev({ currency: 'XXY' }))],
  ['currency in lower case', invalid('currency'), create(() => ev({ currency: 'eur' }))],
  ['unknown time zone', invalid('timezone'), create(() => ev({ timezone: 'Mars/Olympus' }))],
  ['startsAt not ISO', invalid('startsAt'), create(() => ev({ startsAt: 'next friday 8pm' }))],
  ['startsAt a date only', invalid('startsAt'), create(() => ev({ startsAt: '2027-03-01' }))],
  [
    'startsAt on February 30th',
    invalid('startsAt'),
    create(() => ev({ startsAt: '2027-02-30T19:00:00Z' })),
  ],
  [
    'endsAt before startsAt',
    invalid('endsAt'),
    create(() => ev({ endsAt: '2027-03-01T18:00:00Z' })),
  ],
  [
    'salesEndAt before salesStartAt',
    invalid('salesEndAt'),
    create(() => ev({ salesStartAt: '2027-02-01T00:00:00Z', salesEndAt: '2027-01-01T00:00:00Z' })),
  ],
  [
    'negative price',
    invalid('ticketTypes.0.priceMinor'),
    create(() => oneType({ priceMinor: -1 })),
  ],
  [
    'float price 39.5',
    invalid('ticketTypes.0.priceMinor'),
    create(() => oneType({ priceMinor: 39.5 })),
  ],
  [
    'price as a string',
    invalid('ticketTypes.0.priceMinor'),
    create(() => oneType({ priceMinor: '39' })),
  ],
  [
    'price above 10^8',
    invalid('ticketTypes.0.priceMinor'),
    create(() => oneType({ priceMinor: 1e12 })),
  ],
  ['capacity -1', invalid('ticketTypes.0.capacity'), create(() => oneType({ capacity: -1 }))],
  [
    'ticket type key in upper case',
    invalid('ticketTypes.0.key'),
    create(() => oneType({ key: 'GA' })),
  ],
  [
    'ticket type without a name',
    invalid('ticketTypes.0.name'),
    create(() => oneType({ name: '' })),
  ],
  [
    'duplicate ticket type keys',
    invalid('ticketTypes.1.key'),
    create(() =>
      ev({
        ticketTypes: [
          { key: 'ga', name: 'GA', priceMinor: 3900, capacity: 10 },
          { key: 'ga', name: 'GA again', priceMinor: 4900, capacity: 10 },
        ],
        quotas: [],
      }),
    ),
  ],
  [
    'quota naming an unknown ticket type key',
    invalid('quotas.0.ticketTypes.2'),
    create(() =>
      ev({ quotas: [{ name: 'Venue', size: 9, ticketTypes: ['ga', 'vip', 'balcony'] }] }),
    ),
  ],
  ['zero ticket types', invalid('ticketTypes'), create(() => ev({ ticketTypes: [], quotas: [] }))],
  ['holdMinutes 0', invalid('holdMinutes'), create(() => ev({ holdMinutes: 0 }))],
  ['maxPerOrder 1000', invalid('maxPerOrder'), create(() => ev({ maxPerOrder: 1000 }))],
  ['maxHeldPerClient 0', invalid('maxHeldPerClient'), create(() => ev({ maxHeldPerClient: 0 }))],
  [
    'maxHeldPerClient 2.5',
    invalid('maxHeldPerClient'),
    create(() => ev({ maxHeldPerClient: 2.5 })),
  ],
  [
    'maxHeldPerClient "20"',
    invalid('maxHeldPerClient'),
    create(() => ev({ maxHeldPerClient: '20' })),
  ],
  [
    'maxHeldPerClient 10,001',
    invalid('maxHeldPerClient'),
    create(() => ev({ maxHeldPerClient: 10_001 })),
  ],
  [
    'maxHeldPerClient below maxPerOrder',
    invalid('maxHeldPerClient'),
    create(() => ev({ maxPerOrder: 10, maxHeldPerClient: 9 })),
  ],
  [
    'waitingRoom mode "sometimes"',
    invalid('waitingRoom.mode'),
    create(() => ev({ waitingRoom: { mode: 'sometimes' } })),
  ],
  ['missing venue', invalid('venue'), create(() => without(ev(), 'venue'))],
  [
    'venue country in lower case',
    invalid('venue.country'),
    create(() => ev({ venue: { name: 'Halle 7', country: 'de' } })),
  ],
  ['unknown top-level field', invalid(), create(() => ({ ...ev(), organizerId: 'org_x' }))],
  [
    'unknown top-level field, named in errors[].path',
    invalid('organizerId'),
    create(() => ({ ...ev(), organizerId: 'org_x' })),
  ],
  [
    'unknown field inside waitingRoom (a typo)',
    invalid('waitingRoom.autothreshold'),
    create(() => ev({ waitingRoom: { mode: 'off', autothreshold: 50 } })),
  ],
  [
    'waiting room with no active shoppers allowed',
    invalid('waitingRoom.activeLimit'),
    create(() => ev({ waitingRoom: { mode: 'always', activeLimit: 0 } })),
  ],
  [
    'waiting room pre-queue of negative minutes',
    invalid('waitingRoom.preQueueMinutes'),
    create(() => ev({ waitingRoom: { mode: 'always', preQueueMinutes: -5 } })),
  ],
  [
    'allowed origin with a path',
    invalid('allowedOrigins.0'),
    create(() => ev({ allowedOrigins: ['https://example.org/tickets'] })),
  ],
  [
    'allowed origin that is a script URL',
    invalid('allowedOrigins.1'),
    create(() => ev({ allowedOrigins: ['https://example.org', 'javascript:alert(1)'] })),
  ],
  [
    'allowed origin over plain http on a public host',
    invalid('allowedOrigins.0'),
    create(() => ev({ allowedOrigins: ['http://example.org'] })),
  ],
];

// --- PATCH /api/v1/organizer/events/:id (each row on a fresh published event of A) ---------------

const patch =
  (body: (event: CreatedEvent, w: World) => unknown): Build =>
  async (w) => {
    const event = await createPublishedEvent(w.a);
    const path = `${EVENTS}/${event.id}`;
    return req('PATCH', path, { body: body(event, w), headers: w.a, watch: [event.id] });
  };

/** A fresh event with some tickets sold and some held, patched with `body`. */
const patchAfterSales =
  (
    sold: Record<string, number>,
    held: Record<string, number>,
    body: (e: CreatedEvent) => unknown,
  ): Build =>
  async (w) => {
    const event = await createPublishedEvent(w.a);
    for (const [key, quantity] of Object.entries(sold))
      await purchase(event, typeId(event, key), quantity);
    if (Object.keys(held).length > 0) await hold(event, held);
    const path = `${EVENTS}/${event.id}`;
    return req('PATCH', path, { body: body(event), headers: w.a, watch: [event.id] });
  };

const patchEventRows: Row[] = [
  [
    'no Authorization header',
    UNAUTHORIZED,
    (w) => req('PATCH', `${EVENTS}/${w.event.id}`, { body: {} }),
  ],
  [
    "another organizer's event",
    NOT_FOUND,
    (w) => req('PATCH', `${EVENTS}/${w.bEvent.id}`, { body: { title: 'Mine' }, headers: w.a }),
  ],
  [
    'unknown event',
    NOT_FOUND,
    (w) => req('PATCH', `${EVENTS}/${newId('evt')}`, { body: { title: 'x' }, headers: w.a }),
  ],
  [
    'unknown ticketType id',
    invalid('ticketTypes.0.id'),
    patch(() => ({ ticketTypes: [{ id: newId('tt'), capacity: 5 }] })),
  ],
  [
    "ticketType id of another organizer's event",
    invalid('ticketTypes.0.id'),
    patch((_e, w) => ({ ticketTypes: [{ id: typeId(w.bEvent, 'ga'), capacity: 5 }] })),
  ],
  ['title of the wrong type', invalid('title'), patch(() => ({ title: 5 }))],
  ['holdMinutes as a string', invalid('holdMinutes'), patch(() => ({ holdMinutes: '10' }))],
  ['ticketTypes not an array', invalid('ticketTypes'), patch(() => ({ ticketTypes: 'ga' }))],
  [
    'capacity -1 on an existing type',
    invalid(),
    patch((e) => ({ ticketTypes: [{ id: typeId(e, 'ga'), capacity: -1 }] })),
  ],
  [
    'endsAt before the stored startsAt',
    invalid('endsAt'),
    patch(() => ({ endsAt: '2027-03-01T18:00:00Z' })),
  ],
  ['status is not patchable', invalid(), patch(() => ({ status: 'canceled' }))],
  ['bad slug', invalid('slug'), patch(() => ({ slug: 'Not A Slug' }))],
  [
    'malformed JSON',
    MALFORMED,
    async (w) => ({
      ...(await patch(() => undefined)(w)),
      raw: '{"title":',
      headers: { ...w.a, 'content-type': 'application/json' },
    }),
  ],
  ['slug taken', problem(409, 'slug_taken'), patch((_e, w) => ({ slug: w.event.slug }))],
  [
    'slug taken, together with a new ticket type',
    problem(409, 'slug_taken'),
    patch((_e, w) => ({
      slug: w.event.slug,
      ticketTypes: [{ key: 'late', name: 'Late entry', priceMinor: 1500, capacity: 20 }],
    })),
  ],
  [
    'new ticket type reusing an existing key',
    invalid('ticketTypes.2.key'),
    patch(() => ({ ticketTypes: [{ key: 'ga', name: 'GA 2', priceMinor: 100, capacity: 5 }] })),
  ],
  [
    'renaming a type to the key of another',
    invalid('ticketTypes.1.key'),
    patch((e) => ({ ticketTypes: [{ id: typeId(e, 'ga'), key: 'vip' }] })),
  ],
  [
    'quota naming an unknown key',
    invalid('quotas.0.ticketTypes.0'),
    patch(() => ({ quotas: [{ name: 'Balcony', size: 10, ticketTypes: ['balcony'] }] })),
  ],
  [
    'capacity below sold (3 sold, capacity 2)',
    problem(409, 'capacity_below_sold'),
    patchAfterSales({ ga: 3 }, {}, (e) => ({
      ticketTypes: [{ id: typeId(e, 'ga'), capacity: 2 }],
    })),
  ],
  [
    'capacity below held (3 held, capacity 2)',
    problem(409, 'capacity_below_sold'),
    patchAfterSales({}, { ga: 3 }, (e) => ({
      ticketTypes: [{ id: typeId(e, 'ga'), capacity: 2 }],
    })),
  ],
  [
    'quota below sold plus held (2 sold, 1 held, size 2)',
    problem(409, 'capacity_below_sold'),
    patchAfterSales({ vip: 2 }, { ga: 1 }, () => ({
      quotas: [{ name: 'Venue', size: 2, ticketTypes: ['ga', 'vip'] }],
    })),
  ],
  [
    "maxHeldPerClient below the event's maxPerOrder (10)",
    invalid('maxHeldPerClient'),
    patch(() => ({ maxHeldPerClient: 3 })),
  ],
  [
    "maxPerOrder raised above the event's maxHeldPerClient",
    invalid('maxHeldPerClient'),
    async (w) => {
      const event = await createPublishedEvent(w.a, { maxPerOrder: 10, maxHeldPerClient: 12 });
      const path = `${EVENTS}/${event.id}`;
      return req('PATCH', path, { body: { maxPerOrder: 20 }, headers: w.a, watch: [event.id] });
    },
  ],
  ['maxHeldPerClient -1', invalid('maxHeldPerClient'), patch(() => ({ maxHeldPerClient: -1 }))],
];

// --- organizer event by id, orders list, refunds ---------------------------------------------------

const organizerEventRows: Row[] = [
  [
    "GET another organizer's event",
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.bEvent.id}`, { headers: w.a }),
  ],
  [
    'GET an unknown event',
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${newId('evt')}`, { headers: w.a }),
  ],
  [
    'GET an own event by slug',
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.event.slug}`, { headers: w.a }),
  ],
  [
    "publish another organizer's draft",
    NOT_FOUND,
    async (w) => {
      const draft = await createDraft(w.b);
      return req('POST', `${EVENTS}/${draft.id}/publish`, { headers: w.a, watch: [draft.id] });
    },
  ],
  ['publish without auth', UNAUTHORIZED, (w) => req('POST', `${EVENTS}/${w.draft.id}/publish`)],
  [
    "stats of another organizer's event",
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.bEvent.id}/stats`, { headers: w.a }),
  ],
  ['list events with a wrong key', UNAUTHORIZED, () => req('GET', EVENTS, { headers: WRONG_KEY })],
];

const listOrders =
  (query: string): Build =>
  (w) =>
    req('GET', `${ORDERS}?${query}`, { headers: w.a });

const orderListRows: Row[] = [
  ['no auth', UNAUTHORIZED, () => req('GET', ORDERS)],
  ['unknown status', invalid('status'), listOrders('status=shipped')],
  ['status given twice', invalid('status'), listOrders('status=paid&status=refunded')],
  ['bad percent-encoding', invalid('status'), listOrders('status=%ZZ')],
  ['garbage cursor', invalid('cursor'), listOrders('cursor=not-a-cursor')],
  ['cursor of the wrong shape', invalid('cursor'), listOrders(`cursor=${btoa('{"a":1}')}`)],
  ['limit 0', invalid('limit'), listOrders('limit=0')],
  ['limit 1000', invalid('limit'), listOrders('limit=1000')],
  ['limit not a number', invalid('limit'), listOrders('limit=ten')],
];

const refund =
  (order: (w: World) => string, body?: unknown): Build =>
  (w) =>
    req('POST', `${ORDERS}/${order(w)}/refund`, { body, headers: w.a });
const paidOrder = (w: World) => w.paid.orderId;

async function refundedOrder(w: World): Promise<string> {
  const order = await purchase(w.event, typeId(w.event, 'ga'), 1);
  const first = await call('POST', `${ORDERS}/${order.orderId}/refund`, { headers: w.a });
  if (first.status !== 200) throw new Error(`refund: ${first.status}`);
  return order.orderId;
}

const refundRows: Row[] = [
  ['no auth', UNAUTHORIZED, (w) => req('POST', `${ORDERS}/${w.paid.orderId}/refund`)],
  ['unknown order', NOT_FOUND, refund(() => newId('ord'))],
  [
    "another organizer's order",
    NOT_FOUND,
    (w) => req('POST', `${ORDERS}/${w.paid.orderId}/refund`, { headers: w.b }),
  ],
  ['amount 0', invalid('amountMinor'), refund(paidOrder, { amountMinor: 0 })],
  [
    'amount above the total',
    problem(422, 'refund_exceeds_paid'),
    refund(paidOrder, { amountMinor: 7801 }),
  ],
  ['negative amount', invalid('amountMinor'), refund(paidOrder, { amountMinor: -100 })],
  ['amount as a string', invalid('amountMinor'), refund(paidOrder, { amountMinor: '100' })],
  ['fractional amount', invalid('amountMinor'), refund(paidOrder, { amountMinor: 10.5 })],
  ['unknown field', invalid(), refund(paidOrder, { amountMinor: 100, reason: 'x' })],
  [
    'malformed JSON (422 here, not 400)',
    { ...MALFORMED, status: 422 },
    (w) =>
      raw('POST', `${ORDERS}/${w.paid.orderId}/refund`, '{"amountMinor":', 'application/json', w.a),
  ],
  ['a pending order', problem(409, 'invalid_state'), refund((w) => w.pending.orderId)],
  [
    'an order refunded already',
    problem(409, 'invalid_state'),
    async (w) => {
      const orderId = await refundedOrder(w);
      return refund(() => orderId)(w);
    },
  ],
];

// --- storefront: events, holds -------------------------------------------------------------------

const storefrontEventRows: Row[] = [
  ['unknown slug', NOT_FOUND, () => req('GET', '/api/v1/events/no-such-event')],
  ['unknown id', NOT_FOUND, () => req('GET', `/api/v1/events/${newId('evt')}`)],
  ['bad percent-encoding', NOT_FOUND, () => req('GET', '/api/v1/events/%E0%A4%A')],
  ["a draft's slug", NOT_FOUND, (w) => req('GET', `/api/v1/events/${w.draft.slug}`)],
  ["a draft's id", NOT_FOUND, (w) => req('GET', `/api/v1/events/${w.draft.id}`)],
];

type Items = Record<string, unknown>[];
const holdsAt = (eventId: string, body: unknown): Request =>
  req('POST', `/api/v1/events/${eventId}/holds`, { body, watch: [eventId] });
/** Holds of A's ticket types at A's event (or at the id `at` picks); `items` as {key: quantity}. */
const holds =
  (
    items: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    at = (w: World) => w.event.id,
  ) =>
  (w: World): Request =>
    req('POST', `/api/v1/events/${at(w)}/holds`, {
      body: {
        items: Object.entries(items).map(([key, quantity]) => ({
          ticketTypeId: typeId(w.event, key),
          quantity,
        })),
        ...extra,
      },
    });
const holdsWith =
  (items: (w: World) => Items): Build =>
  (w) =>
    holdsAt(w.event.id, { items: items(w) });
/** A fresh published event of A (after `prepare`), then one ga hold at it. */
const holdsAtFresh =
  (
    overrides: Record<string, unknown>,
    prepare?: (e: CreatedEvent) => Promise<unknown>,
    items: Record<string, number> = { ga: 1 },
  ): Build =>
  async (w) => {
    const event = await createPublishedEvent(w.a, overrides);
    await prepare?.(event);
    const list = Object.entries(items).map(([key, quantity]) => ({
      ticketTypeId: typeId(event, key),
      quantity,
    }));
    return holdsAt(event.id, { items: list });
  };
const twoTypes = (ga: number, vip: number) => ({
  ticketTypes: [
    { key: 'ga', name: 'GA', priceMinor: 3900, capacity: ga },
    { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: vip },
  ],
  quotas: [],
});
const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();

const holdRows: Row[] = [
  ['unknown event id', NOT_FOUND, holds({ ga: 1 }, {}, () => newId('evt'))],
  ['malformed event id', NOT_FOUND, holds({ ga: 1 }, {}, () => 'nope')],
  ['an event slug instead of its id', NOT_FOUND, holds({ ga: 1 }, {}, (w) => w.event.slug)],
  ['empty items', invalid('items'), (w) => holdsAt(w.event.id, { items: [] })],
  ['no items', invalid('items'), (w) => holdsAt(w.event.id, {})],
  ['quantity 0', invalid('items.0.quantity'), holds({ ga: 0 })],
  ['quantity 2.5', invalid('items.0.quantity'), holds({ ga: 2.5 })],
  ['quantity "2"', invalid('items.0.quantity'), holds({ ga: '2' })],
  ['quantity -1', invalid('items.0.quantity'), holds({ ga: -1 })],
  [
    'malformed ticketTypeId',
    invalid('items.0.ticketTypeId'),
    holdsWith(() => [{ ticketTypeId: 'ga', quantity: 1 }]),
  ],
  [
    'unknown ticketTypeId',
    invalid('items.1.ticketTypeId'),
    holdsWith((w) => [
      { ticketTypeId: typeId(w.event, 'ga'), quantity: 1 },
      { ticketTypeId: newId('tt'), quantity: 1 },
    ]),
  ],
  [
    "ticketTypeId of another organizer's event",
    invalid('items.0.ticketTypeId'),
    holdsWith((w) => [{ ticketTypeId: typeId(w.bEvent, 'ga'), quantity: 1 }]),
  ],
  ['more than maxPerOrder', problem(422, 'max_per_order_exceeded'), holds({ ga: 11 })],
  [
    'more than maxPerOrder across items',
    problem(422, 'max_per_order_exceeded'),
    holds({ ga: 6, vip: 5 }),
  ],
  [
    'a draft event (to a stranger it does not exist)',
    NOT_FOUND,
    (w) => holdsAt(w.draft.id, { items: [{ ticketTypeId: typeId(w.draft, 'ga'), quantity: 1 }] }),
  ],
  ['sales not started', problem(409, 'not_on_sale'), holdsAtFresh({ salesStartAt: inOneDay() })],
  [
    'sales ended',
    problem(409, 'not_on_sale'),
    holdsAtFresh({ salesStartAt: '2020-01-01T00:00:00Z', salesEndAt: '2020-02-01T00:00:00Z' }),
  ],
  ['sold out', problem(409, 'sold_out'), holdsAtFresh(twoTypes(2, 5), (e) => hold(e, { ga: 2 }))],
  [
    'one of two items sold out: nothing is held',
    problem(409, 'sold_out'),
    holdsAtFresh(twoTypes(2, 5), (e) => hold(e, { ga: 2 }), { vip: 2, ga: 1 }),
  ],
  [
    'quota exhausted',
    problem(409, 'sold_out'),
    holdsAtFresh(
      { quotas: [{ name: 'Venue', size: 2, ticketTypes: ['ga', 'vip'] }] },
      (e) => hold(e, { ga: 2 }),
      { vip: 1 },
    ),
  ],
  ['unknown top-level field', invalid(), holds({ ga: 1 }, { promo: 'x' })],
  [
    'unknown field in an item',
    invalid(),
    holdsWith((w) => [{ ticketTypeId: typeId(w.event, 'ga'), quantity: 1, priceMinor: 0 }]),
  ],
  [
    'malformed JSON',
    MALFORMED,
    (w) => raw('POST', `/api/v1/events/${w.event.id}/holds`, '{"items": [', 'application/json'),
  ],
  [
    'text/plain body',
    UNSUPPORTED,
    (w) => raw('POST', `/api/v1/events/${w.event.id}/holds`, '{"items":[]}', 'text/plain'),
  ],
  [
    'above the tickets one client may hold at once (2 x maxPerOrder 2, all held)',
    problem(409, 'hold_limit_reached'),
    async (w) => {
      const event = await createPublishedEvent(w.a, { maxPerOrder: 2 });
      const client = { 'cf-connecting-ip': '2001:db8:bad::1' };
      await hold(event, { ga: 2 }, client);
      await hold(event, { ga: 2 }, { 'cf-connecting-ip': '2001:db8:bad::2' });
      const body = { items: [{ ticketTypeId: typeId(event, 'ga'), quantity: 1 }] };
      return { ...holdsAt(event.id, body), headers: client };
    },
  ],
];

const holdByIdRows: Row[] = [
  ['GET a malformed hold id', NOT_FOUND, () => req('GET', '/api/v1/holds/not-a-hold')],
  [
    'GET a hold of an unknown event',
    NOT_FOUND,
    () => req('GET', `/api/v1/holds/${newHoldId(newId('evt'))}`),
  ],
  [
    'GET an unknown hold of a real event',
    NOT_FOUND,
    (w) => req('GET', `/api/v1/holds/${newHoldId(w.event.id)}`),
  ],
  ['DELETE a malformed hold id', NOT_FOUND, () => req('DELETE', '/api/v1/holds/hold_123')],
  [
    'DELETE an unknown hold',
    NOT_FOUND,
    (w) => req('DELETE', `/api/v1/holds/${newHoldId(w.event.id)}`),
  ],
  [
    'DELETE a hold that became an order',
    problem(409, 'hold_converted'),
    (w) => req('DELETE', `/api/v1/holds/${w.paid.holdId}`),
  ],
];

// --- waiting room: join, status, holds while the room is active --------------------------------------

/** Two published events of A whose room always queues (made once, before any snapshot). */
let roomEvents: Promise<[CreatedEvent, CreatedEvent]> | undefined;
const rooms = (w: World) => {
  const always = { waitingRoom: { mode: 'always' } };
  roomEvents ??= Promise.all([
    createPublishedEvent(w.a, always),
    createPublishedEvent(w.a, always),
  ]).then(async (events) => {
    // Sales are open: the room owes its draw to the clock, and the first request to reach the
    // room makes it. Made here, so no row's snapshots see it.
    for (const event of events) await inventoryFor(env, event.id).roomState();
    return events;
  });
  return roomEvents;
};
/**
 * A valid queue token for the first room. Signed here rather than joined: a buyer in line
 * would make the room tick (and its stats move) while rows compare snapshots.
 */
const queueToken = async (w: World) => {
  const [room] = await rooms(w);
  return signQueueToken(env, { eventId: room.id, seq: 1, watermark: 0, salesStartAt: null });
};
const inTenMinutes = () => new Date(Date.now() + 600_000).toISOString();

const join =
  (at: (w: World) => string | Promise<string>): Build =>
  async (w) =>
    req('POST', `/api/v1/events/${await at(w)}/queue`, {
      headers: { 'cf-connecting-ip': '203.0.113.51' },
    });
const joinFresh =
  (overrides: Record<string, unknown>): Build =>
  async (w) => {
    const event = await createPublishedEvent(w.a, overrides);
    return { ...(await join(() => event.id)(w)), watch: [event.id] };
  };
const INVALID_TOKEN = problem(401, 'invalid_token');

const queueJoinRows: Row[] = [
  ['unknown event', NOT_FOUND, join(() => newId('evt'))],
  ['malformed event id', NOT_FOUND, join(() => 'nope')],
  ['an event slug instead of its id', NOT_FOUND, join((w) => w.event.slug)],
  ['an event without a waiting room', problem(409, 'waiting_room_off'), join((w) => w.event.id)],
  [
    'a draft event (to a stranger it does not exist)',
    NOT_FOUND,
    async (w) => {
      const draft = await createDraft(w.a, { waitingRoom: { mode: 'always' } });
      return { ...(await join(() => draft.id)(w)), watch: [draft.id] };
    },
  ],
  [
    'sales ended',
    problem(409, 'not_on_sale'),
    joinFresh({
      waitingRoom: { mode: 'always' },
      salesStartAt: '2020-01-01T00:00:00Z',
      salesEndAt: '2020-02-01T00:00:00Z',
    }),
  ],
  [
    'before the pre-queue opens',
    problem(409, 'queue_not_open'),
    joinFresh({ waitingRoom: { mode: 'always', preQueueMinutes: 30 }, salesStartAt: inOneDay() }),
  ],
];

const statusOf =
  (
    token: (w: World) => string | undefined | Promise<string | undefined>,
    scheme = 'Bearer',
  ): Build =>
  async (w) => {
    const [room] = await rooms(w);
    const value = await token(w);
    const headers: Auth = value === undefined ? {} : { authorization: `${scheme} ${value}` };
    return req('GET', `/api/v1/events/${room.id}/queue/status`, { headers, watch: [room.id] });
  };

const queueStatusRows: Row[] = [
  ['no token', UNAUTHORIZED, statusOf(() => undefined)],
  ['Basic instead of Bearer', UNAUTHORIZED, statusOf(queueToken, 'Basic')],
  ['garbage token', INVALID_TOKEN, statusOf(() => 'not-a-token')],
  [
    'token with its signature cut',
    INVALID_TOKEN,
    statusOf(async (w) => (await queueToken(w)).slice(0, -4)),
  ],
  [
    "another event's queue token",
    INVALID_TOKEN,
    statusOf(async (w) => {
      const [, other] = await rooms(w);
      return signQueueToken(env, { eventId: other.id, seq: 1, watermark: 0, salesStartAt: null });
    }),
  ],
  [
    'expired queue token',
    INVALID_TOKEN,
    statusOf(async (w) => {
      const [room] = await rooms(w);
      const input = { eventId: room.id, seq: 1, watermark: 0, salesStartAt: null };
      return signQueueToken(env, input, Date.now() - 3 * 86_400_000);
    }),
  ],
  [
    'an admission token instead',
    INVALID_TOKEN,
    statusOf(async (w) => {
      const [room] = await rooms(w);
      return signAdmissionToken(env, { eventId: room.id, seq: 1, expiresAt: inTenMinutes() });
    }),
  ],
  [
    'unknown event (the token can not be for it)',
    INVALID_TOKEN,
    async (w) =>
      req('GET', `/api/v1/events/${newId('evt')}/queue/status`, {
        headers: { authorization: `Bearer ${await queueToken(w)}` },
      }),
  ],
  [
    'malformed event id',
    NOT_FOUND,
    async (w) =>
      req('GET', '/api/v1/events/nope/queue/status', {
        headers: { authorization: `Bearer ${await queueToken(w)}` },
      }),
  ],
];

/** One ga hold at the first room, with `admission` as the Tessera-Admission header. */
const holdInRoom =
  (admission: (w: World, roomId: string) => undefined | string | Promise<string>): Build =>
  async (w) => {
    const [room] = await rooms(w);
    const value = await admission(w, room.id);
    return req('POST', `/api/v1/events/${room.id}/holds`, {
      body: { items: [{ ticketTypeId: typeId(room, 'ga'), quantity: 1 }] },
      headers: value === undefined ? {} : { 'tessera-admission': value },
      watch: [room.id],
    });
  };
const ADMISSION_REQUIRED = problem(403, 'admission_required');

const admissionRows: Row[] = [
  ['no admission header', ADMISSION_REQUIRED, holdInRoom(() => undefined)],
  ['garbage admission', ADMISSION_REQUIRED, holdInRoom(() => 'not-a-token')],
  ['a queue token as the admission', ADMISSION_REQUIRED, holdInRoom((w) => queueToken(w))],
  [
    "another event's admission",
    ADMISSION_REQUIRED,
    holdInRoom(async (w) => {
      const [, other] = await rooms(w);
      return signAdmissionToken(env, { eventId: other.id, seq: 1, expiresAt: inTenMinutes() });
    }),
  ],
  [
    'an expired admission',
    ADMISSION_REQUIRED,
    holdInRoom((_w, roomId) =>
      signAdmissionToken(env, {
        eventId: roomId,
        seq: 1,
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    ),
  ],
];

// --- checkout, buyer's order ------------------------------------------------------------------------

const checkoutReq = (body: unknown, key: string | null = crypto.randomUUID()): Request =>
  req('POST', '/api/v1/checkout', {
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
/** A checkout of a fresh 1-ga hold at A's event. */
const checkoutOf =
  (build: (holdId: string) => Request): Build =>
  async (w) =>
    build(await hold(w.event, { ga: 1 }));
const checkoutBody = (body: (holdId: string) => unknown): Build =>
  checkoutOf((holdId) => checkoutReq(body(holdId)));

async function releasedHold(w: World): Promise<Request> {
  const holdId = await hold(w.event, { ga: 1 });
  const released = await call('DELETE', `/api/v1/holds/${holdId}`);
  if (released.status !== 204) throw new Error(`release: ${released.status}`);
  return checkoutReq({ holdId, buyer });
}

async function reusedKey(w: World): Promise<Request> {
  const key = crypto.randomUUID();
  const holdId = await hold(w.event, { ga: 1 });
  const first = await call('POST', '/api/v1/checkout', {
    body: { holdId, buyer },
    headers: { 'idempotency-key': key },
  });
  if (first.status !== 201) throw new Error(`checkout: ${first.status}`);
  return checkoutReq({ holdId, buyer: { ...buyer, name: 'Someone Else' } }, key);
}

const IDEMPOTENCY = problem(400, 'idempotency_key_required');
const checkoutRows: Row[] = [
  [
    'missing Idempotency-Key',
    IDEMPOTENCY,
    checkoutOf((holdId) => checkoutReq({ holdId, buyer }, null)),
  ],
  [
    'Idempotency-Key of 256 characters',
    IDEMPOTENCY,
    checkoutOf((holdId) => checkoutReq({ holdId, buyer }, 'k'.repeat(256))),
  ],
  [
    'Idempotency-Key with a space',
    IDEMPOTENCY,
    checkoutOf((holdId) => checkoutReq({ holdId, buyer }, 'my key')),
  ],
  [
    'bad email',
    invalid('buyer.email'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, email: 'ada@' } })),
  ],
  [
    'empty name',
    invalid('buyer.name'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, name: '' } })),
  ],
  [
    'blank name',
    invalid('buyer.name'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, name: '  ' } })),
  ],
  ['no buyer', invalid('buyer'), checkoutBody((holdId) => ({ holdId }))],
  ['no holdId', invalid('holdId'), () => checkoutReq({ buyer })],
  ['unknown hold', NOT_FOUND, (w) => checkoutReq({ holdId: newHoldId(w.event.id), buyer })],
  [
    'hold of an unknown event',
    NOT_FOUND,
    () => checkoutReq({ holdId: newHoldId(newId('evt')), buyer }),
  ],
  ['malformed hold id', NOT_FOUND, () => checkoutReq({ holdId: 'hold_nope', buyer })],
  ['released hold', problem(409, 'hold_expired'), releasedHold],
  [
    'hold in checkout under another key',
    problem(409, 'hold_in_checkout'),
    (w) => checkoutReq({ holdId: w.pending.holdId, buyer }),
  ],
  [
    'hold sold already, another key',
    problem(409, 'hold_converted'),
    (w) => checkoutReq({ holdId: w.paid.holdId, buyer }),
  ],
  ['same Idempotency-Key, different body', problem(422, 'idempotency_key_reused'), reusedKey],
  [
    'a promo code (none exist yet)',
    invalid('promoCode'),
    checkoutBody((holdId) => ({ holdId, buyer, promoCode: 'EARLY' })),
  ],
  [
    'unknown top-level field',
    invalid(),
    checkoutBody((holdId) => ({ holdId, buyer, totalMinor: 0 })),
  ],
  [
    'unknown buyer field',
    invalid(),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, vip: true } })),
  ],
  [
    'malformed JSON',
    MALFORMED,
    () =>
      raw('POST', '/api/v1/checkout', '{"holdId"', 'application/json', {
        'idempotency-key': 'k-1',
      }),
  ],
  [
    'text/plain body',
    UNSUPPORTED,
    checkoutOf((holdId) =>
      raw('POST', '/api/v1/checkout', JSON.stringify({ holdId, buyer }), 'text/plain', {
        'idempotency-key': 'k-2',
      }),
    ),
  ],
];

const order = (w: World, headers: Auth = {}, query = '') =>
  req('GET', `/api/v1/orders/${w.paid.orderId}${query}`, { headers });
const buyerOrderRows: Row[] = [
  ['no token', UNAUTHORIZED, (w) => order(w)],
  ['wrong token', NOT_FOUND, (w) => order(w, { authorization: 'Bearer not-the-token' })],
  [
    "another order's token",
    NOT_FOUND,
    (w) => order(w, { authorization: `Bearer ${w.pending.orderToken}` }),
  ],
  ['wrong ?token=', NOT_FOUND, (w) => order(w, {}, '?token=nope')],
  [
    'unknown order',
    NOT_FOUND,
    (w) =>
      req('GET', `/api/v1/orders/${newId('ord')}`, {
        headers: { authorization: `Bearer ${w.paid.orderToken}` },
      }),
  ],
];

// --- webhooks, sandbox payments ---------------------------------------------------------------------

const stripeWebhooks = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient() })
  .webhooks;
const cryptoProvider = Stripe.createSubtleCryptoProvider();
const OTHER_SECRET = 'whsec_not_the_sandbox_secret_0000000000';

/** The sandbox's success webhook for an order, as the provider would send it. */
function succeededWebhook(paid: Purchase, amountMinor: number): string {
  return JSON.stringify({
    id: `evt_sandbox_${paid.paymentId}_succeeded`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: paid.paymentId,
        object: 'payment_intent',
        amount: amountMinor,
        amount_received: amountMinor,
        currency: 'eur',
        status: 'succeeded',
        metadata: { orderId: paid.orderId },
      },
    },
  });
}

function sign(payload: string, secret: string, ageSeconds = 0): Promise<string> {
  const timestamp = Math.floor(Date.now() / 1000) - ageSeconds;
  return stripeWebhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    timestamp,
    cryptoProvider,
  });
}

/**
 * The success webhook of a fresh pending order (so a wrongly accepted one would pay it),
 * signed by `signature` and then changed by `tamper`.
 */
const webhook =
  (
    signature: (body: string) => Promise<string | null>,
    tamper = (body: string) => body,
    provider = 'sandbox',
  ): Build =>
  async (w) => {
    const pending = await purchase(w.event, typeId(w.event, 'ga'), 1, { pay: false });
    const body = succeededWebhook(pending, 3900);
    const header = await signature(body);
    return raw(
      'POST',
      `/api/v1/webhooks/${provider}`,
      tamper(body),
      'application/json',
      header ? { 'stripe-signature': header } : {},
    );
  };

const BAD_SIGNATURE = problem(400, 'invalid_signature');
const webhookRows: Row[] = [
  ['sandbox: missing signature', BAD_SIGNATURE, webhook(async () => null)],
  ['sandbox: garbage signature', BAD_SIGNATURE, webhook(async () => 't=1700000000,v1=deadbeef')],
  [
    'sandbox: made-up digest',
    BAD_SIGNATURE,
    webhook(async () => `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`),
  ],
  [
    'sandbox: signed with another secret',
    BAD_SIGNATURE,
    webhook((body) => sign(body, OTHER_SECRET)),
  ],
  [
    'sandbox: body changed after signing',
    BAD_SIGNATURE,
    webhook(
      (body) => sign(body, env.SANDBOX_WEBHOOK_SECRET),
      (body) => body.replace('"amount":3900', '"amount":1'),
    ),
  ],
  [
    'sandbox: stale timestamp (10 min)',
    BAD_SIGNATURE,
    webhook((body) => sign(body, env.SANDBOX_WEBHOOK_SECRET, 600)),
  ],
  [
    'stripe: not configured',
    NOT_FOUND,
    webhook((body) => sign(body, OTHER_SECRET), undefined, 'stripe'),
  ],
];

const pay = (w: World, body: unknown) =>
  req('POST', `/sandbox/pay/${w.pending.paymentId}`, { body });
const sandboxPayRows: Row[] = [
  [
    'unknown payment',
    NOT_FOUND,
    () => req('POST', '/sandbox/pay/pi_sandbox_unknown', { body: { outcome: 'succeed' } }),
  ],
  ['outcome "maybe"', invalid('outcome'), (w) => pay(w, { outcome: 'maybe' })],
  ['no outcome', invalid('outcome'), (w) => pay(w, {})],
  [
    'malformed JSON (422 here, not 400)',
    { ...MALFORMED, status: 422 },
    (w) => raw('POST', `/sandbox/pay/${w.pending.paymentId}`, '{"outcome"', 'application/json'),
  ],
  [
    'payment page of an unknown payment',
    NOT_FOUND,
    () => req('GET', '/sandbox/pay/pi_sandbox_unknown'),
  ],
];

/** Outside development, without Stripe: no sandbox for a live event's orders (test mode only). */
const outside =
  (settings: Record<string, string>, build: Build): Build =>
  async (w) => ({ ...(await build(w)), settings });
const PRODUCTION = { ENVIRONMENT: 'production' };
const signedWebhook = webhook((body) => sign(body, env.SANDBOX_WEBHOOK_SECRET));
const sandboxOffRows: Row[] = [
  [
    'payment page in production',
    NOT_FOUND,
    outside(PRODUCTION, (w) => req('GET', `/sandbox/pay/${w.pending.paymentId}`)),
  ],
  [
    'payment form in production',
    NOT_FOUND,
    outside(PRODUCTION, (w) => pay(w, { outcome: 'succeed' })),
  ],
  [
    'payment form in staging',
    NOT_FOUND,
    outside({ ENVIRONMENT: 'staging' }, (w) => pay(w, { outcome: 'succeed' })),
  ],
  [
    'payment form with the retired opt-in ALLOW_SANDBOX_PAYMENTS = "true"',
    NOT_FOUND,
    outside({ ...PRODUCTION, ALLOW_SANDBOX_PAYMENTS: 'true' }, (w) =>
      pay(w, { outcome: 'succeed' }),
    ),
  ],
  ['correctly signed sandbox webhook in production', NOT_FOUND, outside(PRODUCTION, signedWebhook)],
];

// --- tickets, check-in, unknown routes ------------------------------------------------------------

const qr =
  (ticketId: (w: World) => string | undefined, query = '') =>
  (w: World) =>
    req('GET', `/api/v1/tickets/${ticketId(w)}/qr.svg${query}`);
const paidTicket = (w: World) => w.paid.tickets[0]?.id;
const qrRows: Row[] = [
  ['no token', UNAUTHORIZED, qr(paidTicket)],
  ['wrong token', NOT_FOUND, qr(paidTicket, '?token=nope')],
  [
    "another order's token",
    NOT_FOUND,
    (w) => qr(paidTicket, `?token=${encodeURIComponent(w.pending.orderToken)}`)(w),
  ],
  [
    'unknown ticket',
    NOT_FOUND,
    (w) => qr(() => newId('tkt'), `?token=${encodeURIComponent(w.paid.orderToken)}`)(w),
  ],
];

const code0 = (w: World): string => w.paid.tickets[0]?.code ?? '';
const checkin =
  (body: (w: World) => unknown, auth: (w: World) => Auth = (w) => w.a): Build =>
  (w) =>
    req('POST', '/api/v1/checkin', { body: body(w), headers: auth(w) });
const checkinRows: Row[] = [
  [
    'no auth',
    UNAUTHORIZED,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      () => ({}),
    ),
  ],
  [
    'wrong key',
    UNAUTHORIZED,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      () => WRONG_KEY,
    ),
  ],
  [
    "another organizer's event",
    NOT_FOUND,
    checkin(
      (w) => ({ eventId: w.event.id, code: code0(w) }),
      (w) => w.b,
    ),
  ],
  ['unknown event', NOT_FOUND, checkin((w) => ({ eventId: newId('evt'), code: code0(w) }))],
  ['missing code', invalid('code'), checkin((w) => ({ eventId: w.event.id }))],
  ['empty code', invalid('code'), checkin((w) => ({ eventId: w.event.id, code: '' }))],
  ['missing eventId', invalid('eventId'), checkin((w) => ({ code: code0(w) }))],
  [
    'unknown field',
    invalid(),
    checkin((w) => ({ eventId: w.event.id, code: code0(w), force: true })),
  ],
  [
    'malformed JSON',
    MALFORMED,
    (w) => raw('POST', '/api/v1/checkin', '{"code":', 'application/json', w.a),
  ],
];

// --- the door: check-in lists, devices, door routes (docs/API.md "The door") ---------------------

const LISTS = (eventId: string) => `${EVENTS}/${eventId}/checkin-lists`;
const DEVICES = (eventId: string) => `${EVENTS}/${eventId}/devices`;
const doorNonce = () => `n_${crypto.randomUUID().replaceAll('-', '')}`;
const TOO_LARGE_DOOR = problem(413, 'payload_too_large');
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** A's event's default list id (derived from the event id). */
const defaultListOf = (event: CreatedEvent) => `cl_${event.id.slice(4)}`;

async function pairDevice(auth: Auth, eventId: string, body: unknown = { name: 'Door' }) {
  const res = await call<{ id: string; token: string }>('POST', DEVICES(eventId), {
    body,
    headers: auth,
  });
  if (res.status !== 201) throw new Error(`device: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, auth: { authorization: `Bearer ${res.body.token}` } };
}

/** One device of A's event, paired once for every row that needs it. */
let sharedDevice: Promise<{ id: string; auth: Auth }> | undefined;
const deviceOf = (w: World) => {
  sharedDevice ??= pairDevice(w.a, w.event.id);
  return sharedDevice;
};

const doorScanReq =
  (body: (w: World) => unknown): Build =>
  async (w) =>
    req('POST', '/api/v1/door/scan', { body: body(w), headers: (await deviceOf(w)).auth });
const doorGet =
  (path: string): Build =>
  async (w) =>
    req('GET', path, { headers: (await deviceOf(w)).auth });
const offline = (w: World, extra: Record<string, unknown> = {}) => ({
  nonce: doorNonce(),
  ticketId: w.paid.tickets[0]?.id,
  listId: defaultListOf(w.event),
  scannedAt: minutesFromNow(-5),
  result: 'ok',
  ...extra,
});
const syncReq =
  (scans: (w: World) => unknown): Build =>
  async (w) =>
    req('POST', '/api/v1/door/sync', {
      body: { scans: scans(w) },
      headers: (await deviceOf(w)).auth,
    });

const doorScanRows: Row[] = [
  [
    'no auth',
    UNAUTHORIZED,
    (w) => req('POST', '/api/v1/door/scan', { body: { code: code0(w), nonce: doorNonce() } }),
  ],
  [
    "an organizer's API key",
    UNAUTHORIZED,
    (w) =>
      req('POST', '/api/v1/door/scan', {
        body: { code: code0(w), nonce: doorNonce() },
        headers: w.a,
      }),
  ],
  [
    'a token that is no device token',
    UNAUTHORIZED,
    (w) =>
      req('POST', '/api/v1/door/scan', {
        body: { code: code0(w), nonce: doorNonce() },
        headers: { authorization: 'Bearer dev_short' },
      }),
  ],
  [
    'a revoked device',
    UNAUTHORIZED,
    async (w) => {
      const device = await pairDevice(w.a, w.event.id);
      await call('DELETE', `${DEVICES(w.event.id)}/${device.id}`, { headers: w.a });
      return req('POST', '/api/v1/door/scan', {
        body: { code: code0(w), nonce: doorNonce() },
        headers: device.auth,
      });
    },
  ],
  ['missing nonce', invalid('nonce'), doorScanReq((w) => ({ code: code0(w) }))],
  [
    'nonce of 3 characters',
    invalid('nonce'),
    doorScanReq((w) => ({ code: code0(w), nonce: 'abc' })),
  ],
  [
    'nonce with spaces',
    invalid('nonce'),
    doorScanReq((w) => ({ code: code0(w), nonce: 'a b c d e f g h' })),
  ],
  ['neither code nor ticketId', invalid('code'), doorScanReq(() => ({ nonce: doorNonce() }))],
  [
    'both code and ticketId',
    invalid('code'),
    doorScanReq((w) => ({ code: code0(w), ticketId: w.paid.tickets[0]?.id, nonce: doorNonce() })),
  ],
  [
    'ticketId not a ticket id',
    invalid('ticketId'),
    doorScanReq(() => ({ ticketId: 'ord_x', nonce: doorNonce() })),
  ],
  [
    'unknown list id',
    invalid('listId'),
    doorScanReq((w) => ({ code: code0(w), listId: 'cl_nope', nonce: doorNonce() })),
  ],
  [
    "another event's list",
    invalid('listId'),
    doorScanReq((w) => ({ code: code0(w), listId: defaultListOf(w.bEvent), nonce: doorNonce() })),
  ],
  [
    'gate with a control character',
    invalid('gate'),
    doorScanReq((w) => ({ code: code0(w), gate: 'N\u0007', nonce: doorNonce() })),
  ],
  [
    'unknown field',
    invalid(),
    doorScanReq((w) => ({ code: code0(w), nonce: doorNonce(), force: true })),
  ],
  [
    'a nonce replayed for another ticket',
    problem(422, 'nonce_reused'),
    async (w) => {
      const device = await deviceOf(w);
      const nonce = doorNonce();
      await call('POST', '/api/v1/door/scan', {
        body: { ticketId: w.paid.tickets[1]?.id, nonce },
        headers: device.auth,
      });
      return req('POST', '/api/v1/door/scan', {
        body: { code: code0(w), nonce },
        headers: device.auth,
      });
    },
  ],
  [
    'text/plain body',
    UNSUPPORTED,
    async (w) => raw('POST', '/api/v1/door/scan', '{}', 'text/plain', (await deviceOf(w)).auth),
  ],
];

const doorReadRows: Row[] = [
  ['search: no auth', UNAUTHORIZED, () => req('GET', '/api/v1/door/search?q=ada')],
  ['search: q of one character', invalid('q'), doorGet('/api/v1/door/search?q=a')],
  ['search: q of two spaces', invalid('q'), doorGet('/api/v1/door/search?q=%20%20')],
  ['search: no q', invalid('q'), doorGet('/api/v1/door/search')],
  ['search: limit 0', invalid('limit'), doorGet('/api/v1/door/search?q=ada&limit=0')],
  [
    'search: a forged cursor',
    invalid('cursor'),
    doorGet('/api/v1/door/search?q=ada&cursor=%27%20OR%201'),
  ],
  ['bundle: since not a date', invalid('since'), doorGet('/api/v1/door/bundle?since=yesterday')],
  ['bundle: limit 10000', invalid('limit'), doorGet('/api/v1/door/bundle?limit=10000')],
  ['bundle: a forged cursor', invalid('cursor'), doorGet('/api/v1/door/bundle?cursor=x')],
  ['bundle: an API key', UNAUTHORIZED, (w) => req('GET', '/api/v1/door/bundle', { headers: w.a })],
];

const syncRows: Row[] = [
  [
    'no auth',
    UNAUTHORIZED,
    (w) => req('POST', '/api/v1/door/sync', { body: { scans: [offline(w)] } }),
  ],
  [
    'JSON null',
    invalid('(root)'),
    async (w) =>
      req('POST', '/api/v1/door/sync', { body: null, headers: (await deviceOf(w)).auth }),
  ],
  [
    'malformed JSON',
    MALFORMED,
    async (w) =>
      raw('POST', '/api/v1/door/sync', '{"scans":[', 'application/json', (await deviceOf(w)).auth),
  ],
  ['scans not a list', invalid('scans'), syncReq(() => 'all of them')],
  ['no scans', invalid('scans'), syncReq(() => [])],
  ['a scan that is a string', invalid('scans.0'), syncReq(() => ['garbage'])],
  [
    'a scan without result',
    invalid('scans.0.result'),
    syncReq((w) => [without(offline(w), 'result')]),
  ],
  [
    'an unknown result',
    invalid('scans.0.result'),
    syncReq((w) => [offline(w, { result: 'waved_through' })]),
  ],
  [
    'scannedAt not a date',
    invalid('scans.0.scannedAt'),
    syncReq((w) => [offline(w, { scannedAt: 'at 8' })]),
  ],
  [
    'scannedAt an hour ahead',
    invalid('scans.0.scannedAt'),
    syncReq((w) => [offline(w, { scannedAt: minutesFromNow(60) })]),
  ],
  [
    'scannedAt 30 days ago',
    invalid('scans.0.scannedAt'),
    syncReq((w) => [offline(w, { scannedAt: minutesFromNow(-30 * 1440) })]),
  ],
  [
    'an unknown list',
    invalid('scans.0.listId'),
    syncReq((w) => [offline(w, { listId: 'cl_nope' })]),
  ],
  [
    "another event's list",
    invalid('scans.0.listId'),
    syncReq((w) => [offline(w, { listId: defaultListOf(w.bEvent) })]),
  ],
  [
    'one good scan and one bad: nothing recorded',
    invalid('scans.1.listId'),
    syncReq((w) => [offline(w), offline(w, { listId: 'cl_nope' })]),
  ],
  [
    'the same nonce twice in one batch',
    invalid('scans.1.nonce'),
    syncReq((w) => {
      const scan = offline(w);
      return [scan, scan];
    }),
  ],
  [
    'both code and ticketId',
    invalid('scans.0.code'),
    syncReq((w) => [offline(w, { code: code0(w) })]),
  ],
  [
    '501 scans (at most 500)',
    invalid('scans'),
    syncReq((w) => Array.from({ length: 501 }, () => offline(w))),
  ],
  [
    'over the door body limit (512 KB)',
    TOO_LARGE_DOOR,
    async (w) =>
      raw(
        'POST',
        '/api/v1/door/sync',
        JSON.stringify({ scans: [offline(w, { gate: 'g'.repeat(600 * 1024) })] }),
        'application/json',
        (await deviceOf(w)).auth,
      ),
  ],
  [
    'a nonce replayed with another time',
    problem(422, 'nonce_reused'),
    async (w) => {
      const device = await deviceOf(w);
      const scan = offline(w, { ticketId: w.paid.tickets[1]?.id, result: 'already_checked_in' });
      await call('POST', '/api/v1/door/sync', { body: { scans: [scan] }, headers: device.auth });
      return req('POST', '/api/v1/door/sync', {
        body: { scans: [{ ...scan, scannedAt: minutesFromNow(-4) }] },
        headers: device.auth,
      });
    },
  ],
];

const checkinListRows: Row[] = [
  [
    "another organizer's event (GET)",
    NOT_FOUND,
    (w) => req('GET', LISTS(w.bEvent.id), { headers: w.a }),
  ],
  [
    "another organizer's event (POST)",
    NOT_FOUND,
    (w) => req('POST', LISTS(w.bEvent.id), { body: { name: 'x' }, headers: w.a }),
  ],
  ['unknown event', NOT_FOUND, (w) => req('GET', LISTS(newId('evt')), { headers: w.a })],
  [
    'a device token',
    UNAUTHORIZED,
    async (w) => req('GET', LISTS(w.event.id), { headers: (await deviceOf(w)).auth }),
  ],
  [
    'missing name',
    invalid('name'),
    (w) => req('POST', LISTS(w.event.id), { body: {}, headers: w.a }),
  ],
  [
    'U+202E in the name',
    invalid('name'),
    (w) => req('POST', LISTS(w.event.id), { body: { name: `VIP${RLO}` }, headers: w.a }),
  ],
  [
    'a ticket type of another event',
    invalid('ticketTypeIds.0'),
    (w) =>
      req('POST', LISTS(w.event.id), {
        body: { name: 'x', ticketTypeIds: [typeId(w.bEvent, 'ga')] },
        headers: w.a,
      }),
  ],
  [
    'direction "sideways"',
    invalid('direction'),
    (w) =>
      req('POST', LISTS(w.event.id), { body: { name: 'x', direction: 'sideways' }, headers: w.a }),
  ],
  [
    'validFrom not a date',
    invalid('validFrom'),
    (w) => req('POST', LISTS(w.event.id), { body: { name: 'x', validFrom: 'soon' }, headers: w.a }),
  ],
  [
    'validUntil before validFrom',
    invalid('validUntil'),
    (w) =>
      req('POST', LISTS(w.event.id), {
        body: { name: 'x', validFrom: '2027-03-01T20:00:00Z', validUntil: '2027-03-01T19:00:00Z' },
        headers: w.a,
      }),
  ],
  [
    'PATCH: direction (fixed once created)',
    invalid('direction'),
    (w) =>
      req('PATCH', `${LISTS(w.event.id)}/${defaultListOf(w.event)}`, {
        body: { direction: 'exit' },
        headers: w.a,
      }),
  ],
  [
    'PATCH: unknown list',
    NOT_FOUND,
    (w) => req('PATCH', `${LISTS(w.event.id)}/cl_nope`, { body: { name: 'x' }, headers: w.a }),
  ],
  [
    "PATCH: another event's list",
    NOT_FOUND,
    (w) =>
      req('PATCH', `${LISTS(w.event.id)}/${defaultListOf(w.bEvent)}`, {
        body: { name: 'x' },
        headers: w.a,
      }),
  ],
  [
    'DELETE: the default list',
    problem(409, 'invalid_state'),
    (w) => req('DELETE', `${LISTS(w.event.id)}/${defaultListOf(w.event)}`, { headers: w.a }),
  ],
  [
    'DELETE: unknown list',
    NOT_FOUND,
    (w) => req('DELETE', `${LISTS(w.event.id)}/cl_nope`, { headers: w.a }),
  ],
  [
    "conflicts: another organizer's event",
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.bEvent.id}/checkin-conflicts`, { headers: w.a }),
  ],
  [
    'conflicts: limit 0',
    invalid('limit'),
    (w) => req('GET', `${EVENTS}/${w.event.id}/checkin-conflicts?limit=0`, { headers: w.a }),
  ],
  [
    'conflicts: after -1',
    invalid('after'),
    (w) => req('GET', `${EVENTS}/${w.event.id}/checkin-conflicts?after=-1`, { headers: w.a }),
  ],
];

const deviceRows: Row[] = [
  [
    'missing name',
    invalid('name'),
    (w) => req('POST', DEVICES(w.event.id), { body: {}, headers: w.a }),
  ],
  [
    'unknown list id',
    invalid('listIds.0'),
    (w) =>
      req('POST', DEVICES(w.event.id), { body: { name: 'x', listIds: ['cl_nope'] }, headers: w.a }),
  ],
  [
    "another event's list",
    invalid('listIds.0'),
    (w) =>
      req('POST', DEVICES(w.event.id), {
        body: { name: 'x', listIds: [defaultListOf(w.bEvent)] },
        headers: w.a,
      }),
  ],
  [
    'no lists at all',
    invalid('listIds'),
    (w) => req('POST', DEVICES(w.event.id), { body: { name: 'x', listIds: [] }, headers: w.a }),
  ],
  [
    "another organizer's event",
    NOT_FOUND,
    (w) => req('POST', DEVICES(w.bEvent.id), { body: { name: 'x' }, headers: w.a }),
  ],
  [
    "list another organizer's devices",
    NOT_FOUND,
    (w) => req('GET', DEVICES(w.bEvent.id), { headers: w.a }),
  ],
  [
    'revoke an unknown device',
    NOT_FOUND,
    (w) => req('DELETE', `${DEVICES(w.event.id)}/dvc_nope`, { headers: w.a }),
  ],
  [
    "revoke another organizer's device",
    NOT_FOUND,
    async (w) => {
      const device = await pairDevice(w.b, w.bEvent.id);
      return req('DELETE', `${DEVICES(w.bEvent.id)}/${device.id}`, { headers: w.a });
    },
  ],
  [
    'revoke a device through another event of the same organizer',
    NOT_FOUND,
    async (w) => {
      const device = await deviceOf(w);
      return req('DELETE', `${DEVICES(w.draft.id)}/${device.id}`, { headers: w.a });
    },
  ],
];

const checkinListIdRows: Row[] = [
  [
    'unknown listId',
    invalid('listId'),
    checkin((w) => ({ eventId: w.event.id, code: code0(w), listId: 'cl_nope' })),
  ],
  [
    "another event's listId",
    invalid('listId'),
    checkin((w) => ({ eventId: w.event.id, code: code0(w), listId: defaultListOf(w.bEvent) })),
  ],
  [
    'nonce of 3 characters',
    invalid('nonce'),
    checkin((w) => ({ eventId: w.event.id, code: code0(w), nonce: 'abc' })),
  ],
];

const unknownRouteRows: Row[] = [
  ['GET /api/v1/nope', NOT_FOUND, () => req('GET', '/api/v1/nope')],
  ['GET /nope', NOT_FOUND, () => req('GET', '/nope')],
  [
    'POST /api/v1/webhooks/paypal',
    NOT_FOUND,
    () => raw('POST', '/api/v1/webhooks/paypal', '{}', 'application/json'),
  ],
  ['DELETE /api/v1/checkout', NOT_FOUND, () => req('DELETE', '/api/v1/checkout')],
  [
    'PUT an organizer event',
    NOT_FOUND,
    (w) => req('PUT', `${EVENTS}/${w.event.id}`, { body: {}, headers: w.a }),
  ],
];

// --- input sanity: dates, amounts, text (docs/API.md "Organizer API") -------------------------

const YEAR_MS = 365.25 * 86_400_000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();
const RLO = '\u202e';

/** A draft of A's whose stored start has passed (the API no longer lets one be made). */
async function pastDraft(w: World): Promise<Request> {
  const draft = await createDraft(w.a);
  await env.DB.prepare('UPDATE events SET starts_at = ?, ends_at = NULL WHERE id = ?')
    .bind(isoIn(-3_600_000), draft.id)
    .run();
  return req('POST', `${EVENTS}/${draft.id}/publish`, { headers: w.a, watch: [draft.id] });
}

/** A published event whose one ticket type costs `priceMinor`. */
const checkoutAtPrice =
  (priceMinor: number, quantity: number): Build =>
  async (w) => {
    const event = await createPublishedEvent(w.a, {
      ticketTypes: [{ key: 'ga', name: 'GA', priceMinor, capacity: 500 }],
      quotas: [],
    });
    const holdId = await hold(event, { ga: quantity });
    return { ...checkoutReq({ holdId, buyer }), watch: [event.id] };
  };

const eventDateRows: Row[] = [
  [
    'startsAt in the past',
    invalid('startsAt'),
    create(() => ev({ startsAt: isoIn(-60_000), endsAt: null })),
  ],
  [
    'startsAt in year 0000',
    invalid('startsAt'),
    create(() => ev({ startsAt: '0000-01-01T19:00:00Z', endsAt: null })),
  ],
  [
    'startsAt in 1999',
    invalid('startsAt'),
    create(() => ev({ startsAt: '1999-12-31T19:00:00Z', endsAt: null })),
  ],
  [
    'startsAt 11 years ahead',
    invalid('startsAt'),
    create(() => ev({ startsAt: isoIn(11 * YEAR_MS), endsAt: null })),
  ],
  ['endsAt 11 years ahead', invalid('endsAt'), create(() => ev({ endsAt: isoIn(11 * YEAR_MS) }))],
  [
    'salesStartAt in year 0000',
    invalid('salesStartAt'),
    create(() => ev({ salesStartAt: '0000-01-01T00:00:00Z' })),
  ],
  [
    'salesStartAt after the event is over',
    invalid('salesStartAt'),
    create(() => ev({ salesStartAt: '2027-03-02T00:00:00Z' })),
  ],
  [
    'salesEndAt after endsAt',
    invalid('salesEndAt'),
    create(() => ev({ salesEndAt: '2027-03-02T00:00:00Z' })),
  ],
  [
    'salesEndAt after startsAt, without endsAt',
    invalid('salesEndAt'),
    create(() => ev({ endsAt: null, salesEndAt: '2027-03-01T19:00:01Z' })),
  ],
  [
    'PATCH: startsAt moved into the past',
    invalid('startsAt'),
    patch(() => ({ startsAt: isoIn(-60_000), endsAt: null })),
  ],
  [
    'PATCH: salesEndAt after the stored endsAt',
    invalid('salesEndAt'),
    patch(() => ({ salesEndAt: '2027-03-01T23:00:01Z' })),
  ],
  [
    'PATCH: endsAt before the stored salesStartAt',
    invalid('salesStartAt'),
    async (w) => {
      const event = await createPublishedEvent(w.a, {
        salesStartAt: '2027-03-01T20:00:00Z',
        salesEndAt: null,
      });
      const body = { endsAt: '2027-03-01T19:30:00Z' };
      return req('PATCH', `${EVENTS}/${event.id}`, { body, headers: w.a, watch: [event.id] });
    },
  ],
  ['publish a draft whose start has passed', invalid('startsAt'), pastDraft],
];

const amountRows: Row[] = [
  [
    "priceMinor above 99,999,999 (Stripe's most for one payment)",
    invalid('ticketTypes.0.priceMinor'),
    create(() => oneType({ priceMinor: 100_000_000 })),
  ],
  [
    'PATCH: priceMinor 100,000,000',
    invalid('ticketTypes.0.priceMinor'),
    patch((e) => ({ ticketTypes: [{ id: typeId(e, 'ga'), priceMinor: 100_000_000 }] })),
  ],
  [
    'checkout: order total above 99,999,999',
    problem(422, 'order_total_too_large'),
    checkoutAtPrice(50_000_000, 2),
  ],
];

const textRows: Row[] = [
  ['NUL in title', invalid('title'), create(() => ev({ title: 'Night\u0000Owls' }))],
  [
    'U+202E (right-to-left override) in title',
    invalid('title'),
    create(() => ev({ title: `Owls ${RLO}gnp.exe` })),
  ],
  [
    'U+2066 (isolate) in title',
    invalid('title'),
    create(() => ev({ title: 'Owls \u2066x\u2069' })),
  ],
  ['escape (U+001B) in title', invalid('title'), create(() => ev({ title: 'Owls \u001b[31m' }))],
  ['line feed in title', invalid('title'), create(() => ev({ title: 'Night\nOwls' }))],
  [
    'NUL in description',
    invalid('description'),
    create(() => ev({ description: 'Doors\u0000open' })),
  ],
  [
    'U+202D in description',
    invalid('description'),
    create(() => ev({ description: 'Doors \u202dopen' })),
  ],
  [
    'U+202A in venue name',
    invalid('venue.name'),
    create(() => ev({ venue: { name: 'Hall\u202a 7' } })),
  ],
  [
    'U+0007 in venue city',
    invalid('venue.city'),
    create(() => ev({ venue: { name: 'Hall', city: 'Ber\u0007lin' } })),
  ],
  [
    'U+202E in a ticket type name',
    invalid('ticketTypes.0.name'),
    create(() => oneType({ name: `GA${RLO}` })),
  ],
  [
    'U+2069 in a quota name',
    invalid('quotas.0.name'),
    create(() => ev({ quotas: [{ name: 'Venue\u2069', size: 10, ticketTypes: ['ga'] }] })),
  ],
  ['PATCH: U+202E in title', invalid('title'), patch(() => ({ title: `Owls ${RLO}` }))],
  [
    'PATCH: NUL in a new ticket type name',
    invalid('ticketTypes.0.name'),
    patch(() => ({
      ticketTypes: [{ key: 'late', name: 'Late\u0000', priceMinor: 100, capacity: 5 }],
    })),
  ],
  [
    'checkout: NUL in the buyer name',
    invalid('buyer.name'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, name: 'Ada\u0000' } })),
  ],
  [
    'checkout: U+202E in the buyer name',
    invalid('buyer.name'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, name: `Ada ${RLO}ecalevoL` } })),
  ],
  [
    'checkout: U+2066 in the buyer email (the address format refuses it too)',
    invalid('buyer.email'),
    checkoutBody((holdId) => ({ holdId, buyer: { ...buyer, email: 'ada\u2066@example.com' } })),
  ],
];

// --- body limits (docs/API.md "Limits") ---------------------------------------------------------

const MB = 1024 * 1024;
const TOO_LARGE = problem(413, 'payload_too_large');
/** A JSON body of about `bytes`, valid but for its size: an event with a long description. */
const bigEventJson = (bytes: number) => JSON.stringify(ev({ description: 'a'.repeat(bytes) }));
const bigHoldJson = (w: World, bytes: number) =>
  JSON.stringify({
    items: [{ ticketTypeId: typeId(w.event, 'ga'), quantity: 1 }],
    note: ' '.repeat(bytes),
  });
const chunked = (method: string, path: string, bytes: number, type: string, headers: Auth = {}) =>
  req(method, path, { headers, chunked: { bytes, type } });

const bodyLimitRows: Row[] = [
  [
    'organizer API: 10 MB JSON with Content-Length',
    TOO_LARGE,
    (w) => raw('POST', EVENTS, bigEventJson(10 * MB), 'application/json', w.a),
  ],
  [
    'organizer API: 50 MB chunked, no Content-Length',
    TOO_LARGE,
    (w) => chunked('POST', EVENTS, 50 * MB, 'application/json', w.a),
  ],
  [
    'organizer API: just over 1 MB',
    TOO_LARGE,
    (w) => raw('PATCH', `${EVENTS}/${w.event.id}`, bigEventJson(MB), 'application/json', w.a),
  ],
  [
    'holds: 10 MB JSON with Content-Length',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/api/v1/events/${w.event.id}/holds`,
        bigHoldJson(w, 10 * MB),
        'application/json',
      ),
  ],
  [
    'holds: 50 MB chunked, no Content-Length',
    TOO_LARGE,
    (w) => chunked('POST', `/api/v1/events/${w.event.id}/holds`, 50 * MB, 'application/json'),
  ],
  [
    'checkout: 65 KB (storefront limit 64 KB)',
    TOO_LARGE,
    () =>
      raw(
        'POST',
        '/api/v1/checkout',
        JSON.stringify({ holdId: 'h'.repeat(65 * 1024), buyer }),
        'application/json',
        { 'idempotency-key': crypto.randomUUID() },
      ),
  ],
  [
    'webhook: 10 MB, refused before the signature is checked',
    TOO_LARGE,
    () => raw('POST', '/api/v1/webhooks/sandbox', bigEventJson(10 * MB), 'application/json'),
  ],
  [
    'webhook: 50 MB chunked',
    TOO_LARGE,
    () => chunked('POST', '/api/v1/webhooks/sandbox', 50 * MB, 'application/json'),
  ],
  [
    'hosted hold form: 20 KB (page forms limit 16 KB)',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/e/${w.event.slug}/hold`,
        `qty_${typeId(w.event, 'ga')}=1&pad=${'x'.repeat(20 * 1024)}`,
        'application/x-www-form-urlencoded',
      ),
  ],
  [
    'sandbox payment form: 50 MB chunked',
    TOO_LARGE,
    (w) =>
      chunked(
        'POST',
        `/sandbox/pay/${w.pending.paymentId}`,
        50 * MB,
        'application/x-www-form-urlencoded',
      ),
  ],
];

// --- buyer downloads and the confirmation resend (docs/API.md "Tickets and check-in") ----------

const token = (p: Purchase) => `?token=${encodeURIComponent(p.orderToken)}`;
const orderFile =
  (file: string, query: (w: World) => string, orderId = (w: World) => w.paid.orderId) =>
  (w: World) =>
    req('GET', `/orders/${orderId(w)}/${file}${query(w)}`);
const ticketPdf =
  (ticketId: (w: World) => string | undefined, query: (w: World) => string) => (w: World) =>
    req('GET', `/tickets/${ticketId(w)}/ticket.pdf${query(w)}`);
const INVALID_STATE = problem(409, 'invalid_state');

const buyerDocumentRows: Row[] = [
  ...(['tickets.pdf', 'event.ics'] as const).flatMap((file): Row[] => [
    [`${file}: no token`, NOT_FOUND, orderFile(file, () => '')],
    [`${file}: empty token`, NOT_FOUND, orderFile(file, () => '?token=')],
    [`${file}: wrong token`, NOT_FOUND, orderFile(file, () => '?token=nope')],
    [`${file}: a 4 KB token`, NOT_FOUND, orderFile(file, () => `?token=${'a'.repeat(4096)}`)],
    [`${file}: another order's token`, NOT_FOUND, orderFile(file, (w) => token(w.pending))],
    [
      `${file}: unknown order`,
      NOT_FOUND,
      orderFile(
        file,
        (w) => token(w.paid),
        () => newId('ord'),
      ),
    ],
    [
      `${file}: order awaiting payment`,
      INVALID_STATE,
      orderFile(
        file,
        (w) => token(w.pending),
        (w) => w.pending.orderId,
      ),
    ],
  ]),
  ['ticket.pdf: no token', NOT_FOUND, ticketPdf(paidTicket, () => '')],
  ['ticket.pdf: wrong token', NOT_FOUND, ticketPdf(paidTicket, () => '?token=nope')],
  ["ticket.pdf: another order's token", NOT_FOUND, ticketPdf(paidTicket, (w) => token(w.pending))],
  [
    'ticket.pdf: unknown ticket',
    NOT_FOUND,
    ticketPdf(
      () => newId('tkt'),
      (w) => token(w.paid),
    ),
  ],
  [
    'resend form: 20 KB body (page forms limit 16 KB)',
    TOO_LARGE,
    (w) =>
      raw(
        'POST',
        `/orders/${w.paid.orderId}/resend-confirmation`,
        `token=${encodeURIComponent(w.paid.orderToken)}&pad=${'x'.repeat(20 * 1024)}`,
        'application/x-www-form-urlencoded',
      ),
  ],
];

// --- test mode ------------------------------------------------------------------------------------

const testOrders =
  (eventId: (w: World) => string, auth: (w: World) => Auth = (w) => w.a): Build =>
  (w) =>
    req('DELETE', `${EVENTS}/${eventId(w)}/test-orders`, { headers: auth(w) });
const testModeRows: Row[] = [
  [
    'create: testMode as a string',
    invalid('testMode'),
    (w) => req('POST', EVENTS, { body: eventBody({ testMode: 'yes' }), headers: w.a }),
  ],
  [
    'patch: testMode null',
    invalid('testMode'),
    (w) => req('PATCH', `${EVENTS}/${w.draft.id}`, { body: { testMode: null }, headers: w.a }),
  ],
  [
    'patch: testMode on a published event with live orders',
    problem(409, 'invalid_state'),
    (w) => req('PATCH', `${EVENTS}/${w.event.id}`, { body: { testMode: true }, headers: w.a }),
  ],
  [
    'publish a live event in production without Stripe (409, not 503)',
    problem(409, 'payments_not_configured'),
    outside(PRODUCTION, (w) => req('POST', `${EVENTS}/${w.draft.id}/publish`, { headers: w.a })),
  ],
  [
    'patch a published event live in production without Stripe',
    problem(409, 'payments_not_configured'),
    outside(PRODUCTION, async (w) => {
      const test = await createPublishedEvent(w.a, { testMode: true });
      return req('PATCH', `${EVENTS}/${test.id}`, {
        body: { testMode: false },
        headers: w.a,
        watch: [test.id],
      });
    }),
  ],
  [
    'delete test orders: no auth',
    UNAUTHORIZED,
    testOrders(
      (w) => w.event.id,
      () => ({}),
    ),
  ],
  [
    'delete test orders: wrong key',
    UNAUTHORIZED,
    testOrders(
      (w) => w.event.id,
      () => WRONG_KEY,
    ),
  ],
  ["delete test orders: another organizer's event", NOT_FOUND, testOrders((w) => w.bEvent.id)],
  ['delete test orders: unknown event', NOT_FOUND, testOrders(() => newId('evt'))],
  ['delete test orders: by slug', NOT_FOUND, testOrders((w) => w.event.slug)],
];

const table: [route: string, rows: Row[]][] = [
  ['POST /api/v1/organizer/events', createEventRows],
  ['PATCH /api/v1/organizer/events/:id', patchEventRows],
  ['organizer event by id (GET, publish, stats)', organizerEventRows],
  ['GET /api/v1/organizer/orders', orderListRows],
  ['POST /api/v1/organizer/orders/:id/refund', refundRows],
  ['GET /api/v1/events/:idOrSlug', storefrontEventRows],
  ['POST /api/v1/events/:id/holds', holdRows],
  ['GET/DELETE /api/v1/holds/:holdId', holdByIdRows],
  ['POST /api/v1/events/:id/queue', queueJoinRows],
  ['GET /api/v1/events/:id/queue/status', queueStatusRows],
  ['POST /api/v1/events/:id/holds while the waiting room is active', admissionRows],
  ['POST /api/v1/checkout', checkoutRows],
  ['GET /api/v1/orders/:id', buyerOrderRows],
  ['POST /api/v1/webhooks/:provider', webhookRows],
  ['POST /sandbox/pay/:id', sandboxPayRows],
  ['the sandbox outside development, for a live event', sandboxOffRows],
  ['GET /api/v1/tickets/:id/qr.svg', qrRows],
  ['POST /api/v1/checkin', checkinRows],
  ['unknown routes', unknownRouteRows],
  ['request bodies above the limit', bodyLimitRows],
  ['event dates', eventDateRows],
  ['amounts', amountRows],
  ['text fields', textRows],
  ['buyer downloads (PDF, calendar) and the confirmation resend', buyerDocumentRows],
  ['POST /api/v1/door/scan', doorScanRows],
  ['GET /api/v1/door/search and /bundle', doorReadRows],
  ['POST /api/v1/door/sync', syncRows],
  ['organizer check-in lists and conflicts', checkinListRows],
  ['organizer door devices', deviceRows],
  ['POST /api/v1/checkin with listId and nonce', checkinListIdRows],

  [
    'test mode: the field, publishing live, DELETE /api/v1/organizer/events/:id/test-orders',
    testModeRows,
  ],
];

// --- running it --------------------------------------------------------------------------------------

let world: World;

beforeAll(async () => {
  const [a, b] = await Promise.all([createOrganizer('A'), createOrganizer('B')]);
  // Rows place many holds at this event: no per-client cap gets in their way.
  const event = await createPublishedEvent(a.auth, { maxHeldPerClient: 10_000 });
  const [draft, bEvent] = await Promise.all([createDraft(a.auth), createPublishedEvent(b.auth)]);
  const paid = await purchase(event, typeId(event, 'ga'), 2);
  const pending = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
  world = { a: a.auth, b: b.auth, event, draft, bEvent, paid, pending };
});

/** Like `call`, through the app with `settings` over the test bindings (a deployment's vars). */
async function callWith(
  settings: Record<string, string>,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers: Record<string, string> },
): Promise<JsonResponse<unknown>> {
  const headers = { ...options.headers };
  let body = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const bindings: Env = { ...env, ...settings };
  return readJsonResponse(await app.request(`${BASE}${path}`, { method, headers, body }, bindings));
}

let clients = 0;
const nextClient = () => {
  clients += 1;
  return { 'cf-connecting-ip': `10.77.${clients >> 8}.${clients & 255}` };
};

/** The one assertion: refused as a problem, and storage exactly as before. */
async function expectRefusedWithoutWrites(expected: Expected, build: Build): Promise<void> {
  const request = await build(world);
  const watch = [world.event.id, world.draft.id, world.bEvent.id, ...(request.watch ?? [])];
  const before = await settledSnapshot(watch);
  const options = {
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.raw !== undefined ? { raw: request.raw } : {}),
    // Each row is a client of its own: the per-client rate limits count no row against another.
    headers: { ...nextClient(), ...request.headers },
  };
  const res = request.chunked
    ? await sendChunked(request, request.chunked)
    : request.settings
      ? await callWith(request.settings, request.method, request.path, options)
      : await call<unknown>(request.method, request.path, options);
  const after = await settledSnapshot(watch);
  expectProblem(res, expected);
  expect(after).toEqual(before);
}

const CHUNK = new Uint8Array(64 * 1024).fill(0x20); // spaces: valid JSON padding

/**
 * Sends `bytes` as a stream (no Content-Length) and checks that the Worker gave up early:
 * it read at most a few chunks past the limit, never the whole body.
 */
async function sendChunked(
  request: Request,
  body: { bytes: number; type: string },
): Promise<JsonResponse<unknown>> {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= body.bytes) return controller.close();
      sent += CHUNK.length;
      controller.enqueue(CHUNK);
    },
  });
  const response = await SELF.fetch(`${BASE}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, 'content-type': body.type },
    body: stream,
  });
  expect(response.headers.get('content-length')).toBeNull();
  const read = await readJsonResponse<unknown>(response);
  expect(sent, 'bytes the client got to send').toBeLessThan(body.bytes / 10);
  return read;
}

describe.each(table)('%s', (_route, rows) => {
  const run = (_name: string, expected: Expected, build: Build) =>
    expectRefusedWithoutWrites(expected, build);
  it.each(rows)('%s', run);
});

/** Changes one whole base64url character inside the signature: never the same code again. */
function flipSignatureChar(code: string): string {
  const i = code.length - 20;
  return `${code.slice(0, i)}${code[i] === 'A' ? 'B' : 'A'}${code.slice(i + 1)}`;
}

describe('not errors, and still nothing written', () => {
  it('an unknown or tampered ticket code is a 200 with result "invalid"', async () => {
    const watch = [world.event.id];
    for (const code of ['not-a-ticket-code', flipSignatureChar(code0(world))]) {
      const before = await settledSnapshot(watch);
      const res = await call<{ result: string }>('POST', '/api/v1/checkin', {
        headers: world.a,
        body: { eventId: world.event.id, code },
      });
      expect(res.status).toBe(200);
      expect(res.body.result).toBe('invalid');
      expect(await settledSnapshot(watch)).toEqual(before);
    }
  });

  it('control: the webhook body verifies with the real secret only', async () => {
    const pending = await purchase(world.event, typeId(world.event, 'ga'), 1, { pay: false });
    const body = succeededWebhook(pending, 3900);
    const provider = new SandboxProvider(createDb(env.DB), env.SANDBOX_WEBHOOK_SECRET, BASE);
    const secret = env.SANDBOX_WEBHOOK_SECRET;
    expect(await provider.verifyWebhook(body, await sign(body, secret))).toMatchObject({
      kind: 'payment_succeeded',
      orderId: pending.orderId,
    });
    expect(await provider.verifyWebhook(body, await sign(body, OTHER_SECRET))).toBeNull();
    expect(await provider.verifyWebhook(body, await sign(body, secret, 600))).toBeNull();
  });

  // Validation accepts it (the final keys are unique); D1's (event_id, key) index must not
  // turn the batch into a 500.
  it('swapping the keys of two ticket types never answers 500', async () => {
    const event = await createPublishedEvent(world.a);
    const before = await settledSnapshot([event.id]);
    const ga = typeId(event, 'ga');
    const vip = typeId(event, 'vip');
    const res = await call<unknown>('PATCH', `${EVENTS}/${event.id}`, {
      headers: world.a,
      body: {
        ticketTypes: [
          { id: ga, key: 'vip' },
          { id: vip, key: 'ga' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    if (res.status >= 400) {
      expect(await settledSnapshot([event.id])).toEqual(before);
    } else {
      const read = await call<CreatedEvent>('GET', `${EVENTS}/${event.id}`, { headers: world.a });
      expect(read.body.ticketTypes.map((t) => [t.id, t.key])).toEqual([
        [ga, 'vip'],
        [vip, 'ga'],
      ]);
    }
  });
});
