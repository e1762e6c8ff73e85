import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { type CreatedEvent, call, type JsonResponse, waitFor } from './api';
import { queuesDrained, sentMessages } from './queue-traffic';
import { dumpD1, dumpEventObjects, type EventObjectsDump, type TableDump } from './storage-dump';

/**
 * "Nothing was written": every D1 table, every table of the watched events' Durable Objects
 * (clock columns aside, see storage-dump.ts) and which objects have a table at all, and every
 * message sent on the queues; row by row, so a difference shows what changed.
 */
export interface StorageSnapshot {
  d1: TableDump;
  eventObjects: EventObjectsDump;
  /** Every message sent on PAYMENTS and NOTIFICATIONS so far (queue-traffic.ts). */
  queued: string[];
}

export async function snapshotStorage(eventIds: readonly string[] = []): Promise<StorageSnapshot> {
  const [d1, eventObjects] = await Promise.all([dumpD1(), dumpEventObjects(eventIds)]);
  return { d1, eventObjects, queued: sentMessages() };
}

/**
 * A snapshot once storage is quiet: every message sent so far has been consumed (so the
 * consumers of earlier steps cannot land between "before" and "after"), then two equal reads
 * in a row (for work still running in `waitUntil` or an alarm).
 */
export async function settledSnapshot(eventIds: readonly string[] = []): Promise<StorageSnapshot> {
  await queuesDrained();
  let previous = await snapshotStorage(eventIds);
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    await queuesDrained();
    const next = await snapshotStorage(eventIds);
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  throw new Error('storage did not settle');
}

export interface ProblemExpectation {
  status: number;
  code: string;
  /** For `validation_failed`: a path that `errors[]` must name. */
  path?: string;
}

/** The API's error contract (API.md "Conventions"): a 4xx problem+json with a stable code. */
export function expectProblem(res: JsonResponse<unknown>, expected: ProblemExpectation): void {
  const context = `${res.status} ${JSON.stringify(res.body)}`;
  expect(res.status, context).toBe(expected.status);
  expect(res.status, context).toBeGreaterThanOrEqual(400);
  expect(res.status, context).toBeLessThan(500);
  expect(res.headers.get('content-type') ?? '', context).toMatch(/^application\/problem\+json/);
  expect(res.body, context).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: res.status,
    detail: expect.any(String),
    code: expected.code,
  });
  if (expected.code === 'validation_failed') {
    const errors = isRecord(res.body) ? res.body.errors : undefined;
    expect(Array.isArray(errors), context).toBe(true);
    const list: unknown[] = Array.isArray(errors) ? errors : [];
    expect(list.length, context).toBeGreaterThan(0);
    for (const error of list) {
      expect(error, context).toMatchObject({
        path: expect.any(String),
        message: expect.any(String),
      });
    }
    if (expected.path !== undefined) {
      expect(
        list.map((e) => (isRecord(e) ? e.path : undefined)),
        context,
      ).toContain(expected.path);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export interface Purchase {
  holdId: string;
  orderId: string;
  orderToken: string;
  paymentId: string;
  /** Ticket ids and codes (empty unless paid). */
  tickets: { id: string; code: string }[];
}

interface CheckoutBody {
  orderId: string;
  orderToken: string;
  payment: { paymentId: string } | null;
}

/**
 * hold -> checkout -> (sandbox pay -> paid, confirmation mail delivered). Waits until the
 * queues are done with the order, so later snapshots are not disturbed by them.
 */
export async function purchase(
  event: Pick<CreatedEvent, 'id'>,
  ticketTypeId: string,
  quantity: number,
  options: { pay?: boolean; email?: string } = {},
): Promise<Purchase> {
  const hold = await call<{ holdId: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items: [{ ticketTypeId, quantity }] },
  });
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
  const checkout = await call<CheckoutBody>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: {
      holdId: hold.body.holdId,
      buyer: { name: 'Grace Hopper', email: options.email ?? 'grace@example.com' },
    },
  });
  if (checkout.status !== 201 || !checkout.body.payment) {
    throw new Error(`checkout: ${checkout.status} ${JSON.stringify(checkout.body)}`);
  }
  const result: Purchase = {
    holdId: hold.body.holdId,
    orderId: checkout.body.orderId,
    orderToken: checkout.body.orderToken,
    paymentId: checkout.body.payment.paymentId,
    tickets: [],
  };
  if (options.pay === false) return result;

  const paid = await call('POST', `/sandbox/pay/${result.paymentId}`, {
    body: { outcome: 'succeed' },
  });
  if (paid.status !== 202) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  const auth = { authorization: `Bearer ${result.orderToken}` };
  result.tickets = await waitFor(async () => {
    const order = await call<{ status: string; tickets: { id: string; code: string }[] }>(
      'GET',
      `/api/v1/orders/${result.orderId}`,
      { headers: auth },
    );
    return order.body.status === 'paid'
      ? order.body.tickets.map(({ id, code }) => ({ id, code }))
      : undefined;
  });
  await waitFor(() =>
    env.DB.prepare('SELECT 1 AS sent FROM notification_deliveries WHERE message_key = ?')
      .bind(`order_confirmation:${result.orderId}`)
      .first<{ sent: number }>(),
  );
  return result;
}
