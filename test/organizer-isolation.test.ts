import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../worker/app-env';
import { sha256Hex } from '../worker/domain/crypto';
import { newId } from '../worker/domain/ids';
import { handleError } from '../worker/http/problem';
import { organizerAuth } from '../worker/middleware/organizer-auth';
import { requestContext } from '../worker/middleware/request-context';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  type JsonResponse,
  typeId,
} from './support/api';
import { expectProblem, type Purchase, purchase, settledSnapshot } from './support/db-snapshot';

/**
 * One organizer never reads or changes another's data (DESIGN.md "Security"): B using A's ids
 * gets 404 `not_found` (never 403, never A's data) and nothing of A's changes.
 */

type Auth = Record<string, string>;

interface Side {
  auth: Auth;
  event: CreatedEvent;
  draft: CreatedEvent;
  order: Purchase;
}

interface OrderList {
  data: { id: string; eventId: string }[];
  nextCursor: string | null;
}

/** Strings that must never appear in an answer to B. */
const A_TITLE = 'A secret gala';
const A_EMAIL = 'a-buyer@example.com';

let a: Side;
let b: Side;

async function side(title: string, email: string): Promise<Side> {
  const { auth } = await createOrganizer(title);
  const event = await createPublishedEvent(auth, { title });
  const created = await call<CreatedEvent>('POST', '/api/v1/organizer/events', {
    body: eventBody({ title: `${title} (draft)` }),
    headers: auth,
  });
  if (created.status !== 201) throw new Error(`draft: ${created.status}`);
  const order = await purchase(event, typeId(event, 'ga'), 2, { email });
  return { auth, event, draft: created.body, order };
}

beforeAll(async () => {
  a = await side(A_TITLE, A_EMAIL);
  b = await side('B ordinary night', 'b-buyer@example.com');
});

function expectHidden(res: JsonResponse<unknown>): void {
  expectProblem(res, { status: 404, code: 'not_found' });
  const text = JSON.stringify(res.body);
  for (const secret of [A_TITLE, A_EMAIL, a.event.slug, a.order.orderId, a.event.id]) {
    expect(text).not.toContain(secret);
  }
}

interface Attempt {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
}

const EVENTS = '/api/v1/organizer/events';
const ORDERS = '/api/v1/organizer/orders';

const attempts: Attempt[] = [
  { name: "GET A's event", method: 'GET', path: () => `${EVENTS}/${a.event.id}` },
  { name: "GET A's draft", method: 'GET', path: () => `${EVENTS}/${a.draft.id}` },
  {
    name: "PATCH A's event",
    method: 'PATCH',
    path: () => `${EVENTS}/${a.event.id}`,
    body: () => ({ title: 'Taken over' }),
  },
  {
    name: "PATCH A's ticket type capacity",
    method: 'PATCH',
    path: () => `${EVENTS}/${a.event.id}`,
    body: () => ({ ticketTypes: [{ id: typeId(a.event, 'ga'), capacity: 2 }] }),
  },
  { name: "publish A's draft", method: 'POST', path: () => `${EVENTS}/${a.draft.id}/publish` },
  { name: "stats of A's event", method: 'GET', path: () => `${EVENTS}/${a.event.id}/stats` },
  {
    name: "full refund of A's order",
    method: 'POST',
    path: () => `${ORDERS}/${a.order.orderId}/refund`,
  },
  {
    name: "partial refund of A's order",
    method: 'POST',
    path: () => `${ORDERS}/${a.order.orderId}/refund`,
    body: () => ({ amountMinor: 100 }),
  },
  {
    name: "check in A's ticket at A's event",
    method: 'POST',
    path: () => '/api/v1/checkin',
    body: () => ({ eventId: a.event.id, code: a.order.tickets[0]?.code }),
  },
];

describe("B using A's ids", () => {
  it.each(attempts)('$name -> 404 not_found, nothing changes', async (attempt) => {
    const watch = [a.event.id, a.draft.id];
    const before = await settledSnapshot(watch);
    const body = attempt.body?.();
    const res = await call<unknown>(attempt.method, attempt.path(), {
      headers: b.auth,
      ...(body !== undefined ? { body } : {}),
    });
    expectHidden(res);
    expect(await settledSnapshot(watch)).toEqual(before);
  });

  it("the same requests with A's key succeed (so the 404s above are about ownership)", async () => {
    const read = await call<CreatedEvent>('GET', `${EVENTS}/${a.event.id}`, { headers: a.auth });
    expect(read.status).toBe(200);
    const stats = await call('GET', `${EVENTS}/${a.event.id}/stats`, { headers: a.auth });
    expect(stats.status).toBe(200);
  });
});

describe("B's lists never contain A's data", () => {
  async function listAll(query: string): Promise<OrderList['data']> {
    const all: OrderList['data'] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: JsonResponse<OrderList> = await call<OrderList>(
        'GET',
        `${ORDERS}?limit=1${query}${suffix}`,
        { headers: b.auth },
      );
      expect(page.status).toBe(200);
      all.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return all;
  }

  it.each([
    ['no filter', ''],
    ['status=paid', '&status=paid'],
  ])("orders (%s, paged one by one) are only B's", async (_name, query) => {
    const orders = await listAll(query);
    expect(orders.map((o) => o.id)).toContain(b.order.orderId);
    expect(orders.map((o) => o.id)).not.toContain(a.order.orderId);
    expect(orders.every((o) => o.eventId !== a.event.id)).toBe(true);
  });

  it("orders filtered by A's event are empty", async () => {
    const res = await call<OrderList>('GET', `${ORDERS}?eventId=${a.event.id}`, {
      headers: b.auth,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(A_EMAIL);
  });

  it("a cursor pointing into A's orders still yields only B's", async () => {
    const row = await env.DB.prepare('SELECT created_at AS createdAt FROM orders WHERE id = ?')
      .bind(a.order.orderId)
      .first<{ createdAt: string }>();
    const cursor = btoa(JSON.stringify([`${row?.createdAt ?? ''}~`, 'ord_zzzzzzzzzzzzzzzzzzzz']));
    const res = await call<OrderList>('GET', `${ORDERS}?cursor=${encodeURIComponent(cursor)}`, {
      headers: b.auth,
    });
    expect(res.status).toBe(200);
    expect(res.body.data.map((o) => o.id)).not.toContain(a.order.orderId);
  });

  it("events are only B's", async () => {
    const res = await call<{ data: { id: string }[] }>('GET', EVENTS, { headers: b.auth });
    expect(res.status).toBe(200);
    const ids = res.body.data.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([b.event.id, b.draft.id]));
    expect(ids).not.toContain(a.event.id);
    expect(ids).not.toContain(a.draft.id);
  });
});

describe("B cannot reach A's tickets or ticket types through B's own resources", () => {
  it("A's ticket code at B's event is only 'wrong_event'; A's ticket stays unused", async () => {
    const res = await call<{ result: string; ticket?: unknown }>('POST', '/api/v1/checkin', {
      headers: b.auth,
      body: { eventId: b.event.id, code: a.order.tickets[0]?.code },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'wrong_event' });

    const stats = await call<{ checkedIn: number }>('GET', `${EVENTS}/${a.event.id}/stats`, {
      headers: a.auth,
    });
    expect(stats.body.checkedIn).toBe(0);
    const first = await call<{ result: string }>('POST', '/api/v1/checkin', {
      headers: a.auth,
      body: { eventId: a.event.id, code: a.order.tickets[1]?.code },
    });
    expect(first.body.result).toBe('ok');
  });

  it("B's PATCH naming A's ticket type id is refused and A's type is unchanged", async () => {
    const before = await settledSnapshot([a.event.id, b.event.id]);
    const res = await call<unknown>('PATCH', `${EVENTS}/${b.event.id}`, {
      headers: b.auth,
      body: { ticketTypes: [{ id: typeId(a.event, 'ga'), capacity: 0, name: 'mine' }] },
    });
    expectProblem(res, { status: 422, code: 'validation_failed', path: 'ticketTypes.0.id' });
    expect(await settledSnapshot([a.event.id, b.event.id])).toEqual(before);
  });
});

describe('the dev API key outside development', () => {
  const DEV_KEY = 'tsk_dev_demo';
  const CUSTOM_DEV_KEY = 'tsk_dev_custom_0123456789';

  /** The organizer middleware alone, as the organizer API mounts it. */
  const probe = new Hono<AppEnv>();
  probe.use('*', requestContext);
  probe.get('/whoami', organizerAuth, (c) => c.json({ organizerId: c.get('organizerId') }));
  probe.onError(handleError);

  let devOrganizerId: string;
  let regular: Auth;

  beforeAll(async () => {
    devOrganizerId = newId('org');
    await env.DB.prepare('INSERT INTO organizers (id, name) VALUES (?, ?)')
      .bind(devOrganizerId, 'Demo')
      .run();
    for (const key of [DEV_KEY, CUSTOM_DEV_KEY]) {
      await env.DB.prepare(
        'INSERT INTO api_keys (id, organizer_id, key_hash, label) VALUES (?, ?, ?, ?)',
      )
        .bind(newId('key'), devOrganizerId, await sha256Hex(key), 'dev')
        .run();
    }
    regular = (await createOrganizer('Regular')).auth;
  });

  async function whoami(
    key: Auth,
    overrides: Record<string, string>,
  ): Promise<JsonResponse<unknown>> {
    const res = await probe.request('/whoami', { headers: key }, { ...env, ...overrides });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : null,
    };
  }

  const bearer = (key: string): Auth => ({ authorization: `Bearer ${key}` });

  it('is accepted in development (control)', async () => {
    const res = await whoami(bearer(DEV_KEY), { ENVIRONMENT: 'development' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ organizerId: devOrganizerId });
  });

  it('is refused in production even though its row exists', async () => {
    expectProblem(await whoami(bearer(DEV_KEY), { ENVIRONMENT: 'production' }), {
      status: 401,
      code: 'unauthorized',
    });
  });

  it('a custom DEV_API_KEY is refused in production too', async () => {
    const res = await whoami(bearer(CUSTOM_DEV_KEY), {
      ENVIRONMENT: 'production',
      DEV_API_KEY: CUSTOM_DEV_KEY,
    });
    expectProblem(res, { status: 401, code: 'unauthorized' });
  });

  it('a regular key still works in production (control)', async () => {
    const res = await whoami(regular, { ENVIRONMENT: 'production' });
    expect(res.status).toBe(200);
  });

  // organizer-auth.ts says "Outside development the dev key is refused" but checks === 'production'.
  it('is refused in staging too', async () => {
    expectProblem(await whoami(bearer(DEV_KEY), { ENVIRONMENT: 'staging' }), {
      status: 401,
      code: 'unauthorized',
    });
  });
});
