import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { DoorStats } from '../../durable-objects/door/types';
import type { AvailabilitySnapshot } from '../../durable-objects/inventory/types';
import type { RoomStats } from '../../durable-objects/waiting-room/types';
import { inventoryFor } from '../../worker/catalog/inventory';
import { type CreatedEvent, call, type JsonResponse, waitFor } from './api';

/**
 * "Nothing was written": every D1 table (row count and a digest of its rows) plus the
 * availability of the event Durable Objects a test watches.
 */
export interface StorageSnapshot {
  tables: Record<string, { rows: number; digest: string }>;
  inventory: Record<string, StableAvailability | null>;
}

type StableAvailability = Omit<AvailabilitySnapshot, 'waitingRoom'> & {
  waitingRoom: Pick<RoomStats, 'mode' | 'queueLength' | 'admitted'>;
  door?: DoorStats;
};

async function tableNames(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       AND name <> 'd1_migrations'
     ORDER BY name`,
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The room's rates and lapsing reservations move with the clock alone; what a request could
 * have written (the line, the admissions) stays in the comparison.
 */
function stableFacts(snapshot: AvailabilitySnapshot | null): StableAvailability | null {
  if (!snapshot) return null;
  const { mode, queueLength, admitted } = snapshot.waitingRoom;
  return { ...snapshot, waitingRoom: { mode, queueLength, admitted } };
}

export async function snapshotStorage(eventIds: readonly string[] = []): Promise<StorageSnapshot> {
  const names = await tableNames();
  const contents = await env.DB.batch(
    names.map((name) => env.DB.prepare(`SELECT * FROM "${name}"`)),
  );
  const tables: StorageSnapshot['tables'] = {};
  for (const [i, name] of names.entries()) {
    // Rows sorted as text: independent of rowid (and of tables without one).
    const rows = (contents[i]?.results ?? []).map((row) => JSON.stringify(row)).sort();
    tables[name] = { rows: rows.length, digest: await digest(rows.join('\n')) };
  }
  const inventory: StorageSnapshot['inventory'] = {};
  for (const eventId of eventIds) {
    const stub = inventoryFor(env, eventId);
    const facts = stableFacts(await stub.availability());
    // What the door wrote: scans, per-list check-ins, conflicts.
    inventory[eventId] = facts ? { ...facts, door: await stub.doorStats() } : null;
  }
  return { tables, inventory };
}

/**
 * A snapshot once storage is quiet (two equal reads in a row): queue consumers of earlier
 * steps (payment events, confirmation mails) must not land between "before" and "after".
 */
export async function settledSnapshot(eventIds: readonly string[] = []): Promise<StorageSnapshot> {
  let previous = await snapshotStorage(eventIds);
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 40));
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
