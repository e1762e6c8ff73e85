import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../worker/app';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  typeId,
} from './api';
import {
  expectProblem,
  type ProblemExpectation,
  type Purchase,
  purchase,
  settledSnapshot,
} from './db-snapshot';
import { type JsonResponse, readJsonResponse } from './json-response';

/**
 * The bad-input tables' harness: every route, fed bad input, answers a 4xx problem+json with a
 * stable code, never a 500, and writes nothing (every D1 table, the watched event Durable
 * Objects and the queues are compared before and after). Each area has its own table file
 * (test/bad-input-*.test.ts); a row is [name, expected problem, how to build the request].
 */

export type Auth = Record<string, string>;

export interface World {
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

export interface Request {
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

export interface Expected extends ProblemExpectation {}

/** Builds what the row needs (before the "before" snapshot) and returns the bad request. */
export type Build = (w: World) => Request | Promise<Request>;
export type Row = [name: string, expected: Expected, request: Build];

// --- expectations ------------------------------------------------------------------------------

export const problem = (status: number, code: string): Expected => ({ status, code });
export const invalid = (path?: string): Expected => ({
  status: 422,
  code: 'validation_failed',
  ...(path ? { path } : {}),
});

export const UNAUTHORIZED = problem(401, 'unauthorized');
export const NOT_FOUND = problem(404, 'not_found');
export const UNSUPPORTED = problem(415, 'unsupported_media_type');
export const MALFORMED = { status: 400, code: 'validation_failed', path: '(root)' };

// --- request builders --------------------------------------------------------------------------

export const EVENTS = '/api/v1/organizer/events';
export const ORDERS = '/api/v1/organizer/orders';
export const WRONG_KEY = { authorization: 'Bearer tsk_test_not_a_real_key_000000000000' };
export const buyer = { name: 'Ada Lovelace', email: 'ada@example.com' };
export const ev = eventBody;

export const req = (method: string, path: string, extra: Partial<Request> = {}): Request => ({
  method,
  path,
  ...extra,
});
/** A body sent as is, with the given content type. */
export const raw = (method: string, path: string, text: string, type: string, headers: Auth = {}) =>
  req(method, path, { raw: text, headers: { ...headers, 'content-type': type } });

export function without(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[key];
  return copy;
}

/** An event body with one ticket type, changed by `overrides`. */
export const oneType = (overrides: Record<string, unknown>) =>
  ev({
    ticketTypes: [{ key: 'ga', name: 'GA', priceMinor: 3900, capacity: 500, ...overrides }],
    quotas: [],
  });

export async function createDraft(auth: Auth, overrides: Record<string, unknown> = {}) {
  const res = await call<CreatedEvent>('POST', EVENTS, { body: ev(overrides), headers: auth });
  if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function hold(
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

// --- shared by more than one area --------------------------------------------------------------

/** Outside development, without Stripe: no sandbox for a live event's orders (test mode only). */
export const outside =
  (settings: Record<string, string>, build: Build): Build =>
  async (w) => ({ ...(await build(w)), settings });
export const PRODUCTION = { ENVIRONMENT: 'production' };

export const RLO = '\u202e';

export const checkoutReq = (body: unknown, key: string | null = crypto.randomUUID()): Request =>
  req('POST', '/api/v1/checkout', {
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });
/** A checkout of a fresh 1-ga hold at A's event. */
export const checkoutOf =
  (build: (holdId: string) => Request): Build =>
  async (w) =>
    build(await hold(w.event, { ga: 1 }));
export const checkoutBody = (body: (holdId: string) => unknown): Build =>
  checkoutOf((holdId) => checkoutReq(body(holdId)));

export const code0 = (w: World): string => w.paid.tickets[0]?.code ?? '';

export const checkin =
  (body: (w: World) => unknown, auth: (w: World) => Auth = (w) => w.a): Build =>
  (w) =>
    req('POST', '/api/v1/checkin', { body: body(w), headers: auth(w) });

// --- running a table -------------------------------------------------------------------------

export let world: World;

export async function buildWorld(): Promise<void> {
  const [a, b] = await Promise.all([createOrganizer('A'), createOrganizer('B')]);
  // Rows place many holds at this event: no per-client cap gets in their way.
  const event = await createPublishedEvent(a.auth, { maxHeldPerClient: 10_000 });
  const [draft, bEvent] = await Promise.all([createDraft(a.auth), createPublishedEvent(b.auth)]);
  const paid = await purchase(event, typeId(event, 'ga'), 2);
  const pending = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
  world = { a: a.auth, b: b.auth, event, draft, bEvent, paid, pending };
}

/** Like `call`, through the app with `settings` over the test bindings (a deployment's vars). */
export async function callWith(
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

export let clients = 0;
export const nextClient = () => {
  clients += 1;
  return { 'cf-connecting-ip': `10.77.${clients >> 8}.${clients & 255}` };
};

/** The one assertion: refused as a problem, and storage exactly as before. */
export async function expectRefusedWithoutWrites(expected: Expected, build: Build): Promise<void> {
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

export const CHUNK = new Uint8Array(64 * 1024).fill(0x20); // spaces: valid JSON padding

/**
 * Sends `bytes` as a stream (no Content-Length) and checks that the Worker gave up early:
 * it read at most a few chunks past the limit, never the whole body.
 */
export async function sendChunked(
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

/**
 * Registers one file's table: the world is built once per file (storage is per test file), then
 * every row runs against it.
 */
export function badInputTable(table: [route: string, rows: Row[]][]): void {
  beforeAll(buildWorld);
  describe.each(table)('%s', (_route, rows) => {
    const run = (_name: string, expected: Expected, build: Build) =>
      expectRefusedWithoutWrites(expected, build);
    it.each(rows)('%s', run);
  });
}
