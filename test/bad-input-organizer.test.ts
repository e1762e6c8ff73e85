import { env } from 'cloudflare:test';
import { newId } from '../worker/domain/ids';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  typeId,
} from './support/api';
import {
  type Auth,
  type Build,
  badInputTable,
  buyer,
  checkoutBody,
  checkoutReq,
  createDraft,
  EVENTS,
  ev,
  hold,
  invalid,
  MALFORMED,
  NOT_FOUND,
  ORDERS,
  oneType,
  outside,
  PRODUCTION,
  problem,
  type Request,
  RLO,
  type Row,
  raw,
  req,
  UNAUTHORIZED,
  UNSUPPORTED,
  type World,
  WRONG_KEY,
  without,
} from './support/bad-input';
import { purchase } from './support/db-snapshot';

/** Bad input, the organizer API: events, orders, refunds, input rules, test mode (harness: test/support/bad-input.ts). */

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

// --- input sanity: dates, amounts, text (docs/API.md "Organizer API") -------------------------

const YEAR_MS = 365.25 * 86_400_000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

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

badInputTable([
  ['POST /api/v1/organizer/events', createEventRows],
  ['PATCH /api/v1/organizer/events/:id', patchEventRows],
  ['organizer event by id (GET, publish, stats)', organizerEventRows],
  ['GET /api/v1/organizer/orders', orderListRows],
  ['POST /api/v1/organizer/orders/:id/refund', refundRows],
  ['event dates', eventDateRows],
  ['amounts', amountRows],
  ['text fields', textRows],

  [
    'test mode: the field, publishing live, DELETE /api/v1/organizer/events/:id/test-orders',
    testModeRows,
  ],
]);
