import { beforeAll, describe, expect, it } from 'vitest';
import { CORS_MAX_AGE_SECONDS } from '../worker/http/cors';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  type JsonResponse,
  typeId,
} from './support/api';
import { expectProblem, type Purchase, purchase, settledSnapshot } from './support/db-snapshot';

const SITE = 'https://club-nachtfalter.example';
const OTHER = 'https://copycat.example';

let auth: Record<string, string>;
let event: CreatedEvent;

beforeAll(async () => {
  ({ auth } = await createOrganizer());
  event = await createPublishedEvent(auth, { allowedOrigins: [`${SITE}/`] });
});

function fromOrigin(origin: string, headers: Record<string, string> = {}) {
  return { origin, ...headers };
}

function preflight(path: string, origin: string, method = 'POST') {
  return call('OPTIONS', path, {
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type, idempotency-key, tessera-admission',
    },
  });
}

function holdBody(quantity = 1) {
  return { items: [{ ticketTypeId: typeId(event, 'ga'), quantity }] };
}

function varies(res: JsonResponse<unknown>): string[] {
  return (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());
}

function expectGranted(res: JsonResponse<unknown>, origin: string) {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
  // The widget's countdown runs on the server's clock.
  expect(res.headers.get('access-control-expose-headers')).toContain('Date');
  expect(Number.isFinite(Date.parse(res.headers.get('date') ?? ''))).toBe(true);
  expect(varies(res)).toContain('origin');
}

function expectNotGranted(res: JsonResponse<unknown>) {
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(varies(res)).toContain('origin');
}

describe('the event read', () => {
  it('grants an allowed origin, by id and by slug', async () => {
    for (const ref of [event.id, event.slug]) {
      const res = await call('GET', `/api/v1/events/${ref}`, { headers: fromOrigin(SITE) });
      expect(res.status).toBe(200);
      expectGranted(res, SITE);
    }
  });

  it('answers another origin without the grant, so its page never sees the data', async () => {
    const res = await call('GET', `/api/v1/events/${event.slug}`, { headers: fromOrigin(OTHER) });
    expect(res.status).toBe(200);
    expectNotGranted(res);
  });

  it('treats a request without Origin as before: no CORS headers', async () => {
    const res = await call('GET', `/api/v1/events/${event.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.body).toMatchObject({ id: event.id, maxPerOrder: 10, holdMinutes: 10 });
    // A browser may cache it (max-age=1) for Tessera's own page: the copy must never be
    // handed to another site's widget, whose request carries an Origin.
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/i);
  });

  it("always grants Tessera's own origin (hosted pages)", async () => {
    const bare = await createPublishedEvent(auth);
    const res = await call('GET', `/api/v1/events/${bare.id}`, { headers: fromOrigin(BASE) });
    expectGranted(res, BASE);
  });

  it('grants no one for an unknown event, which stays a 404', async () => {
    const res = await call('GET', '/api/v1/events/no-such-event', { headers: fromOrigin(SITE) });
    expectProblem(res, { status: 404, code: 'not_found' });
    expectNotGranted(res);
  });

  it('follows a PATCH of allowedOrigins', async () => {
    const later = await createPublishedEvent(auth);
    const patched = await call('PATCH', `/api/v1/organizer/events/${later.id}`, {
      headers: auth,
      body: { allowedOrigins: [OTHER] },
    });
    expect(patched.status).toBe(200);
    const res = await call('GET', `/api/v1/events/${later.slug}`, { headers: fromOrigin(OTHER) });
    expectGranted(res, OTHER);
  });
});

describe('preflight', () => {
  it('grants an allowed origin the methods and headers the widget sends', async () => {
    const res = await preflight(`/api/v1/events/${event.id}/holds`, SITE);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/DELETE/);
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of [
      'content-type',
      'authorization',
      'idempotency-key',
      'tessera-admission',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(res.headers.get('access-control-max-age')).toBe(String(CORS_MAX_AGE_SECONDS));
    expect(varies(res)).toContain('origin');
  });

  it('grants another origin nothing, so the browser never sends the request', async () => {
    const res = await preflight(`/api/v1/events/${event.id}/holds`, OTHER);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it("of a hold follows the hold's event", async () => {
    const hold = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
      body: holdBody(),
    });
    const path = `/api/v1/holds/${hold.body.holdId}`;
    expect((await preflight(path, SITE, 'DELETE')).headers.get('access-control-allow-origin')).toBe(
      SITE,
    );
    expect(
      (await preflight(path, OTHER, 'DELETE')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('of a checkout is granted to any origin: its event is known only from the body', async () => {
    const res = await preflight('/api/v1/checkout', OTHER);
    expect(res.headers.get('access-control-allow-origin')).toBe(OTHER);
    const opaque = await preflight('/api/v1/checkout', 'null');
    expect(opaque.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is not answered for the organizer API', async () => {
    const res = await preflight('/api/v1/organizer/events', SITE);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('state-changing requests', () => {
  it('holds for an allowed origin, granted', async () => {
    const res = await call('POST', `/api/v1/events/${event.id}/holds`, {
      headers: fromOrigin(SITE),
      body: holdBody(),
    });
    expect(res.status).toBe(201);
    expectGranted(res, SITE);
  });

  it("grants the allowed origin the route's problems too, so the widget can read them", async () => {
    const res = await call('POST', `/api/v1/events/${event.id}/holds`, {
      headers: fromOrigin(SITE),
      body: holdBody(11),
    });
    expectProblem(res, { status: 422, code: 'max_per_order_exceeded' });
    expectGranted(res, SITE);
  });

  it('refuses a hold from another origin before anything is held', async () => {
    const before = await settledSnapshot([event.id]);
    for (const origin of [OTHER, 'null']) {
      const res = await call('POST', `/api/v1/events/${event.slug}/holds`, {
        headers: fromOrigin(origin),
        body: holdBody(2),
      });
      expectProblem(res, { status: 403, code: 'origin_not_allowed' });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(await settledSnapshot([event.id])).toEqual(before);
  });

  it('refuses to release a hold from another origin; the hold stays active', async () => {
    const hold = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
      body: holdBody(),
    });
    const path = `/api/v1/holds/${hold.body.holdId}`;
    expectProblem(await call('DELETE', path, { headers: fromOrigin(OTHER) }), {
      status: 403,
      code: 'origin_not_allowed',
    });
    expect((await call('GET', path)).body).toMatchObject({ state: 'active' });
    const released = await call('DELETE', path, { headers: fromOrigin(SITE) });
    expect(released.status).toBe(204);
    expectGranted(released, SITE);
  });

  it("decides a checkout by its hold's event, and refuses before any order exists", async () => {
    const hold = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
      body: holdBody(),
    });
    const body = { holdId: hold.body.holdId, buyer: { name: 'Ada', email: 'ada@example.com' } };
    const before = await settledSnapshot([event.id]);
    const refused = await call('POST', '/api/v1/checkout', {
      headers: fromOrigin(OTHER, { 'idempotency-key': 'cors-checkout-1' }),
      body,
    });
    expectProblem(refused, { status: 403, code: 'origin_not_allowed' });
    expect(await settledSnapshot([event.id])).toEqual(before);
    const accepted = await call('POST', '/api/v1/checkout', {
      headers: fromOrigin(SITE, { 'idempotency-key': 'cors-checkout-1' }),
      body,
    });
    expect(accepted.status).toBe(201);
    expectGranted(accepted, SITE);
  });

  it('leaves a malformed checkout to the route (no event to decide by)', async () => {
    const res = await call('POST', '/api/v1/checkout', {
      headers: fromOrigin(OTHER, { 'content-type': 'application/json' }),
      raw: '{"holdId": ',
    });
    expectProblem(res, { status: 400, code: 'validation_failed' });
  });

  it('answers an unknown event with 404, whatever the origin', async () => {
    const res = await call('POST', '/api/v1/events/evt_00000000000000000000/holds', {
      headers: fromOrigin(OTHER),
      body: holdBody(),
    });
    expectProblem(res, { status: 404, code: 'not_found' });
  });
});

describe("an order and what hangs off it follow the order's event", () => {
  let paid: Purchase;
  let unpaid: Purchase;

  beforeAll(async () => {
    paid = await purchase(event, typeId(event, 'ga'), 1);
    unpaid = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
  });

  it('the order read', async () => {
    const path = `/api/v1/orders/${paid.orderId}`;
    const authz = { authorization: `Bearer ${paid.orderToken}` };
    const granted = await call('GET', path, { headers: fromOrigin(SITE, authz) });
    expect(granted.status).toBe(200);
    expectGranted(granted, SITE);
    expectNotGranted(await call('GET', path, { headers: fromOrigin(OTHER, authz) }));
    const pre = await preflight(path, SITE, 'GET');
    expect(pre.headers.get('access-control-allow-origin')).toBe(SITE);
  });

  it('the QR code: CORP cross-origin for every page, the grant only for allowed origins', async () => {
    const ticket = paid.tickets[0];
    if (!ticket) throw new Error('no ticket');
    const path = `/api/v1/tickets/${ticket.id}/qr.svg?token=${paid.orderToken}`;
    const plain = await call('GET', path);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const granted = await call('GET', path, { headers: fromOrigin(SITE) });
    expectGranted(granted, SITE);
    expect(granted.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expectNotGranted(await call('GET', path, { headers: fromOrigin(OTHER) }));
  });

  it('the sandbox payment step: refused from another origin, granted to the allowed one', async () => {
    const path = `/sandbox/pay/${unpaid.paymentId}`;
    const before = await settledSnapshot([event.id]);
    expectProblem(
      await call('POST', path, { headers: fromOrigin(OTHER), body: { outcome: 'succeed' } }),
      { status: 403, code: 'origin_not_allowed' },
    );
    expect(await settledSnapshot([event.id])).toEqual(before);
    const res = await call('POST', path, { headers: fromOrigin(SITE), body: { outcome: 'fail' } });
    expect(res.status).toBe(202);
    expectGranted(res, SITE);
  });
});

describe('outside the storefront API', () => {
  it('the organizer API never grants CORS', async () => {
    const res = await call('GET', '/api/v1/organizer/events', { headers: fromOrigin(SITE, auth) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
