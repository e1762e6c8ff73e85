import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { call, createOrganizer, createPublishedEvent } from './support/api';
import {
  createDevice,
  createList,
  doorScan,
  lists,
  nonce,
  paidTickets,
  type ScanBody,
  sync,
} from './support/door';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

async function door() {
  const { auth } = await createOrganizer();
  const event = await createPublishedEvent(auth);
  const order = await paidTickets(event, 'ga', 2);
  return { auth, event, order, tickets: order.tickets };
}

describe('door devices', () => {
  it('pairing shows the token once, in the pairing URL fragment; the list never shows it', async () => {
    const { auth, event } = await door();
    const device = await createDevice(auth, event.id, { name: 'Front door 1' });
    expect(device.token).toMatch(/^dev_[0-9a-z]{32}$/);
    expect(device.pairingUrl).toBe(`https://tessera.test/scan#pair=${device.token}`);
    const listed = await call<{ data: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/devices`,
      { headers: auth },
    );
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: device.id,
        name: 'Front door 1',
        listIds: null,
        revokedAt: null,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(device.token);
    const stored = await env.DB.prepare('SELECT token_hash FROM door_devices WHERE id = ?')
      .bind(device.id)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a device scans; a repeat says when, at which gate and by which device', async () => {
    const { auth, event, tickets } = await door();
    const device = await createDevice(auth, event.id, { name: 'North 1' });
    const first = await doorScan(device.auth, { code: tickets[0]?.code, gate: 'North' });
    expect(first.body).toMatchObject({
      result: 'ok',
      ticket: {
        id: tickets[0]?.id,
        holderName: 'Ada Lovelace',
        ticketTypeName: 'General admission',
      },
    });
    const other = await createDevice(auth, event.id, { name: 'South 1' });
    const again = await doorScan(other.auth, { ticketId: tickets[0]?.id, gate: 'South' });
    expect(again.body).toMatchObject({
      result: 'already_checked_in',
      firstCheckedInAt: first.body.checkedInAt,
      gate: 'North',
      device: { id: device.id, name: 'North 1' },
    });
  });

  it('10 concurrent online scans of one ticket on one list: exactly one ok', async () => {
    const { auth, event, tickets } = await door();
    const devices = await Promise.all([1, 2].map(() => createDevice(auth, event.id)));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        doorScan((devices[i % 2] ?? devices[0])?.auth ?? {}, { code: tickets[1]?.code }),
      ),
    );
    const results = answers.map((a) => a.body.result);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_checked_in')).toHaveLength(9);
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1 });
  });

  it('a retried scan (same nonce) answers the same and counts once; a nonce reused for another ticket is refused', async () => {
    const { auth, event, tickets } = await door();
    const device = await createDevice(auth, event.id);
    const body = { code: tickets[0]?.code, nonce: nonce() };
    const first = await doorScan(device.auth, body);
    const retry = await doorScan(device.auth, body);
    expect(first.body.result).toBe('ok');
    expect(retry.body).toEqual(first.body);
    const reused = await doorScan(device.auth, { ...body, code: tickets[1]?.code });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'nonce_reused' });
    expect(await inventoryFor(env, event.id).doorStats()).toMatchObject({ scans: 1, checkins: 1 });
  });

  it('a device limited to some lists can not scan on the others', async () => {
    const { auth, event, tickets } = await door();
    const lounge = await createList(auth, event.id, { name: 'Lounge' });
    const device = await createDevice(auth, event.id, { name: 'Lounge', listIds: [lounge.id] });
    expect(
      (await doorScan(device.auth, { code: tickets[0]?.code, listId: lounge.id })).body.result,
    ).toBe('ok');
    // Without listId it would scan on the default list, which it may not use.
    const refused = await doorScan(device.auth, { code: tickets[1]?.code });
    expect(refused.status).toBe(422);
  });

  it('a revoked device is refused at once, on every door route', async () => {
    const { auth, event, tickets } = await door();
    const device = await createDevice(auth, event.id);
    expect((await doorScan(device.auth, { code: tickets[0]?.code })).status).toBe(200);
    const revoked = await call(
      'DELETE',
      `/api/v1/organizer/events/${event.id}/devices/${device.id}`,
      {
        headers: auth,
      },
    );
    expect(revoked.status).toBe(204);
    const refused = await Promise.all([
      doorScan(device.auth, { code: tickets[1]?.code }),
      call('GET', '/api/v1/door/search?q=Ada', { headers: device.auth }),
      call('GET', '/api/v1/door/bundle', { headers: device.auth }),
      call('POST', '/api/v1/door/sync', {
        headers: device.auth,
        body: {
          scans: [
            {
              nonce: nonce(),
              ticketId: tickets[1]?.id,
              listId: 'x',
              scannedAt: minutesAgo(1),
              result: 'ok',
            },
          ],
        },
      }),
    ]);
    for (const res of refused) expect(res.status).toBe(401);
    const listed = await call<{ data: { revokedAt: string | null }[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/devices`,
      { headers: auth },
    );
    expect(listed.body.data[0]?.revokedAt).toEqual(expect.any(String));
  });

  it('a device token can not read orders, refund, check in as an organizer or use any organizer route', async () => {
    const { auth, event, order } = await door();
    const device = await createDevice(auth, event.id);
    const attempts = await Promise.all([
      call('GET', '/api/v1/organizer/orders', { headers: device.auth }),
      call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, { headers: device.auth }),
      call('GET', `/api/v1/organizer/events/${event.id}`, { headers: device.auth }),
      call('GET', `/api/v1/organizer/events/${event.id}/devices`, { headers: device.auth }),
      call('POST', `/api/v1/organizer/events/${event.id}/devices`, {
        headers: device.auth,
        body: { name: 'sneaky' },
      }),
      call('GET', `/api/v1/organizer/events/${event.id}/checkin-lists`, { headers: device.auth }),
      call('POST', '/api/v1/checkin', {
        headers: device.auth,
        body: { eventId: event.id, code: order.tickets[0]?.code },
      }),
    ]);
    for (const res of attempts) expect([401, 403]).toContain(res.status);
    // The buyer's order read takes only the order token; it does not tell that the order exists.
    const buyerRead = await call('GET', `/api/v1/orders/${order.orderId}`, {
      headers: device.auth,
    });
    expect(buyerRead.status).toBe(404);
    expect(JSON.stringify(buyerRead.body)).not.toContain('Ada');
    const row = await env.DB.prepare('SELECT status FROM orders WHERE id = ?')
      .bind(order.orderId)
      .first<{ status: string }>();
    expect(row?.status).toBe('paid');
    // And an organizer key is no device token.
    expect((await call('GET', '/api/v1/door/bundle', { headers: auth })).status).toBe(401);
  });

  it('search finds attendees by name, email or order id, with limited fields', async () => {
    const { auth, event, order } = await door();
    const device = await createDevice(auth, event.id);
    for (const q of ['lovel', 'ADA@exa', order.orderId]) {
      const res = await call<{ data: Record<string, unknown>[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/door/search?q=${encodeURIComponent(q)}`,
        { headers: device.auth },
      );
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(2);
      expect(Object.keys(res.body.data[0] ?? {}).sort()).toEqual(
        ['holderName', 'orderId', 'status', 'ticketId', 'ticketTypeId', 'ticketTypeName'].sort(),
      );
    }
    const paged = await call<{ data: unknown[]; nextCursor: string | null }>(
      'GET',
      '/api/v1/door/search?q=ada&limit=1',
      { headers: device.auth },
    );
    expect(paged.body.data).toHaveLength(1);
    expect(paged.body.nextCursor).toEqual(expect.any(String));
    const none = await call<{ data: unknown[] }>('GET', '/api/v1/door/search?q=%25%25', {
      headers: device.auth,
    });
    expect(none.body.data).toEqual([]);
  });

  it('the offline bundle carries tickets without codes, the lists, the JWKS and revocations since a time', async () => {
    const { auth, event, tickets } = await door();
    const device = await createDevice(auth, event.id);
    const full = await call<{
      generatedAt: string;
      tickets: Record<string, unknown>[];
      lists: { id: string }[];
      jwks: { keys: unknown[] };
      revocations: unknown[];
    }>('GET', '/api/v1/door/bundle', { headers: device.auth });
    expect(full.status).toBe(200);
    expect(full.body.tickets.map((t) => t.id).sort()).toEqual(tickets.map((t) => t.id).sort());
    expect(full.body.tickets[0]).toMatchObject({ holderName: 'Ada Lovelace', status: 'valid' });
    expect(JSON.stringify(full.body)).not.toContain(tickets[0]?.code ?? '-');
    expect(full.body.lists).toHaveLength(1);
    expect(full.body.jwks.keys.length).toBeGreaterThan(0);
    expect(full.body.revocations).toEqual([]);

    const refund = await paidTickets(event, 'ga', 1);
    await call('POST', `/api/v1/organizer/orders/${refund.orderId}/refund`, { headers: auth });
    const delta = await call<{
      tickets: { id: string; status: string }[];
      revocations: { ticketId: string }[];
    }>('GET', `/api/v1/door/bundle?since=${encodeURIComponent(full.body.generatedAt)}`, {
      headers: device.auth,
    });
    expect(delta.body.tickets.map((t) => [t.id, t.status])).toEqual([
      [refund.tickets[0]?.id, 'revoked'],
    ]);
    expect(delta.body.revocations.map((r) => r.ticketId)).toEqual([refund.tickets[0]?.id]);
  });
});

describe('sync of offline scans', () => {
  it('accepts offline scans as facts with their own time; the same batch twice changes nothing', async () => {
    const { auth, event, tickets } = await door();
    const device = await createDevice(auth, event.id, { name: 'Offline 1' });
    const [main] = await lists(auth, event.id);
    const at = minutesAgo(10);
    const batch = [
      {
        nonce: nonce(),
        code: tickets[0]?.code,
        listId: main?.id,
        scannedAt: at,
        gate: 'West',
        result: 'ok',
      },
      {
        nonce: nonce(),
        ticketId: tickets[1]?.id,
        listId: main?.id,
        scannedAt: at,
        result: 'not_valid_yet',
      },
      { nonce: nonce(), code: 'forged.code.x', listId: main?.id, scannedAt: at, result: 'invalid' },
    ];
    const first = await sync(device.auth, batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ recorded: 2, replayed: 0 });
    expect(first.body.results.map((r) => r.outcome)).toEqual(['recorded', 'recorded', 'invalid']);
    const stats = await inventoryFor(env, event.id).doorStats();

    const second = await sync(device.auth, batch);
    expect(second.body.results).toEqual(first.body.results);
    expect(second.body).toMatchObject({ recorded: 0, replayed: 2 });
    expect(await inventoryFor(env, event.id).doorStats()).toEqual(stats);
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1 });

    // The online door now knows: admitted ten minutes ago, at West, by this device.
    const online = await doorScan((await createDevice(auth, event.id)).auth, {
      code: tickets[0]?.code,
    });
    expect(online.body).toMatchObject({
      result: 'already_checked_in',
      firstCheckedInAt: new Date(at).toISOString(),
      gate: 'West',
      device: { id: device.id, name: 'Offline 1' },
    } satisfies Partial<ScanBody>);
  });

  it('a ticket admitted by two offline devices is a conflict: both facts kept and listed for the organizer', async () => {
    const { auth, event, tickets } = await door();
    const [main] = await lists(auth, event.id);
    const a = await createDevice(auth, event.id, { name: 'Door A' });
    const b = await createDevice(auth, event.id, { name: 'Door B' });
    const scanOf = (m: number, gate: string) => ({
      nonce: nonce(),
      code: tickets[0]?.code,
      listId: main?.id,
      scannedAt: minutesAgo(m),
      gate,
      result: 'ok',
    });
    expect((await sync(a.auth, [scanOf(5, 'A')])).body.results[0]?.outcome).toBe('recorded');
    const fromB = await sync(b.auth, [scanOf(3, 'B')]);
    expect(fromB.body.results[0]).toMatchObject({
      outcome: 'conflict',
      conflictWith: { deviceId: a.id },
    });
    const conflicts = await call<{ data: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/checkin-conflicts`,
      { headers: auth },
    );
    expect(conflicts.body.data).toEqual([
      expect.objectContaining({
        ticketId: tickets[0]?.id,
        listId: main?.id,
        first: expect.objectContaining({ deviceId: a.id, deviceName: 'Door A', gate: 'A' }),
        second: expect.objectContaining({ deviceId: b.id, deviceName: 'Door B', gate: 'B' }),
      }),
    ]);
    expect(await inventoryFor(env, event.id).doorStats()).toMatchObject({ scans: 2, checkins: 1 });
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1 });
  });

  it('an exit between two admissions is no conflict', async () => {
    const { auth, event, tickets } = await door();
    const [main] = await lists(auth, event.id);
    const exit = await createList(auth, event.id, { name: 'Out', direction: 'exit' });
    const device = await createDevice(auth, event.id);
    const scan = (m: number, listId: string | undefined) => ({
      nonce: nonce(),
      ticketId: tickets[0]?.id,
      listId,
      scannedAt: minutesAgo(m),
      result: 'ok',
    });
    const res = await sync(device.auth, [scan(9, main?.id), scan(6, exit.id), scan(3, main?.id)]);
    expect(res.body.results.map((r) => r.outcome)).toEqual(['recorded', 'recorded', 'recorded']);
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1, inside: 1 });
  });
});
