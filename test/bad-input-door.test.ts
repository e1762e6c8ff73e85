import { newId } from '../worker/domain/ids';
import { type CreatedEvent, call, typeId } from './support/api';
import {
  type Auth,
  type Build,
  badInputTable,
  checkin,
  code0,
  EVENTS,
  invalid,
  MALFORMED,
  NOT_FOUND,
  problem,
  RLO,
  type Row,
  raw,
  req,
  UNAUTHORIZED,
  UNSUPPORTED,
  type World,
  without,
} from './support/bad-input';

/** Bad input, the door: check-in lists, devices, door routes (harness: test/support/bad-input.ts). */

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
  return {
    id: res.body.id,
    token: res.body.token,
    auth: { authorization: `Bearer ${res.body.token}` },
  };
}

/** One device of A's event, paired once for every row that needs it. */
let sharedDevice: Promise<{ id: string; token: string; auth: Auth }> | undefined;
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

const PAIR = '/api/v1/door/pair';
const pairReq = (body: unknown) => () => req('POST', PAIR, { body });
const BAD_CODE = problem(401, 'invalid_token');

/** `POST /api/v1/door/pair`: no credential but the code; every refusal pairs nothing. */
const pairRows: Row[] = [
  ['no body', MALFORMED, () => raw('POST', PAIR, '', 'application/json')],
  ['not JSON', MALFORMED, () => raw('POST', PAIR, '{"code":', 'application/json')],
  [
    'a form',
    UNSUPPORTED,
    () => raw('POST', PAIR, 'code=ABCD', 'application/x-www-form-urlencoded'),
  ],
  ['no code', invalid('code'), pairReq({})],
  ['code not a string', invalid('code'), pairReq({ code: 123456 })],
  ['empty code', invalid('code'), pairReq({ code: '' })],
  ['code of 65 characters', invalid('code'), pairReq({ code: 'A'.repeat(65) })],
  ['an extra field', invalid(), pairReq({ code: 'ABCD-EFGH-JKMN', token: 'x' })],
  ['a code never issued', BAD_CODE, pairReq({ code: 'ABCD-EFGH-JKMN' })],
  ['letters outside the alphabet', BAD_CODE, pairReq({ code: 'OOOO-IIII-LLLL' })],
  [
    'a device token as the code',
    BAD_CODE,
    async (w) => pairReq({ code: (await deviceOf(w)).token })(),
  ],
  ['SQL in the code', BAD_CODE, pairReq({ code: "' OR 1=1 --" })],
  ['a right-to-left override in the code', BAD_CODE, pairReq({ code: `ABCD${RLO}EFGH` })],
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

badInputTable([
  ['unknown routes', unknownRouteRows],
  ['POST /api/v1/door/scan', doorScanRows],
  ['GET /api/v1/door/search and /bundle', doorReadRows],
  ['POST /api/v1/door/sync', syncRows],
  ['organizer check-in lists and conflicts', checkinListRows],
  ['organizer door devices', deviceRows],
  ['POST /api/v1/checkin with listId and nonce', checkinListIdRows],
  ['POST /api/v1/door/pair', pairRows],
]);
