import { env } from 'cloudflare:test';
import { inventoryFor } from '../worker/catalog/inventory';
import { newHoldId, newId } from '../worker/domain/ids';
import { signAdmissionToken, signQueueToken } from '../worker/waiting-room/tokens';
import { type CreatedEvent, call, createPublishedEvent, typeId } from './support/api';
import {
  type Auth,
  type Build,
  badInputTable,
  buyer,
  checkoutBody,
  checkoutOf,
  checkoutReq,
  createDraft,
  hold,
  invalid,
  MALFORMED,
  NOT_FOUND,
  problem,
  type Request,
  type Row,
  raw,
  req,
  UNAUTHORIZED,
  UNSUPPORTED,
  type World,
} from './support/bad-input';

/** Bad input, the storefront: events, holds, the waiting room, checkout, the buyer's order (harness: test/support/bad-input.ts). */

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

// --- "My tickets" (docs/API.md "My tickets"): HTML forms; their size limit answers a problem --------

const FORM = 'application/x-www-form-urlencoded';
const SAME_ORIGIN_FORM = { 'sec-fetch-site': 'same-origin' };
const myTicketsRows: Row[] = [
  [
    'link form: 20 KB body (page forms limit 16 KB)',
    problem(413, 'payload_too_large'),
    () =>
      raw('POST', '/my-tickets', `email=ada%40example.com&pad=${'x'.repeat(20 * 1024)}`, FORM, {
        ...SAME_ORIGIN_FORM,
      }),
  ],
  [
    'landing form: 20 KB token',
    problem(413, 'payload_too_large'),
    () => raw('POST', '/my-tickets/auth', `token=${'a'.repeat(20 * 1024)}`, FORM, SAME_ORIGIN_FORM),
  ],
  [
    'sign-out: 5 MB chunked',
    problem(413, 'payload_too_large'),
    () => req('POST', '/my-tickets/sign-out', { chunked: { bytes: 5 * 1024 * 1024, type: FORM } }),
  ],
];

badInputTable([
  ['GET /api/v1/events/:idOrSlug', storefrontEventRows],
  ['POST /api/v1/events/:id/holds', holdRows],
  ['GET/DELETE /api/v1/holds/:holdId', holdByIdRows],
  ['POST /api/v1/events/:id/queue', queueJoinRows],
  ['GET /api/v1/events/:id/queue/status', queueStatusRows],
  ['POST /api/v1/events/:id/holds while the waiting room is active', admissionRows],
  ['POST /api/v1/checkout', checkoutRows],
  ['GET /api/v1/orders/:id', buyerOrderRows],
  ['POST /my-tickets, /my-tickets/auth, /my-tickets/sign-out', myTicketsRows],
]);
