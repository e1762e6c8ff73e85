import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newHoldId, newId } from '../../worker/domain/ids';
import { inventory } from '../waiting-room/room-test-support';
import { MIGRATIONS } from './schema';
import { manualClock } from './test-support';

const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Writes what an object on schema version 1 held: settings, a type in a quota, a paid sale
 * and three holds (one free, one in checkout, one released), with counters to match.
 */
function writeVersionOne(sql: SqlStorage, eventId: string, ids: string[], now: number): void {
  const [free, inCheckout, released] = ids;
  sql.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
  sql.exec(MIGRATIONS[0] as string);
  sql.exec('INSERT INTO schema_version (version) VALUES (1)');
  sql.exec("INSERT INTO settings VALUES (1, ?, 'on_sale', NULL, NULL, 10, 4)", eventId);
  sql.exec("INSERT INTO ticket_types (id, capacity, sold, held) VALUES ('tt_ga', 30, 2, 7)");
  sql.exec("INSERT INTO quotas (id, size, sold, held) VALUES ('quo_venue', 30, 2, 7)");
  sql.exec("INSERT INTO quota_members VALUES ('quo_venue', 'tt_ga')");
  const items = (n: number) => JSON.stringify([{ ticketTypeId: 'tt_ga', quantity: n }]);
  sql.exec(
    "INSERT INTO holds VALUES (?, 'active', ?, ?, NULL, ?)",
    free,
    items(3),
    now + 5 * MINUTE,
    now,
  );
  sql.exec(
    "INSERT INTO holds VALUES (?, 'active', ?, ?, 'ord_v1', ?)",
    inCheckout,
    items(4),
    now + 8 * MINUTE,
    now,
  );
  sql.exec("INSERT INTO holds VALUES (?, 'released', ?, ?, NULL, ?)", released, items(1), now, now);
  sql.exec(
    "INSERT INTO sales (order_id, hold_id, items, created_ms) VALUES ('ord_paid', NULL, ?, ?)",
    items(2),
    now,
  );
}

describe('the object schema', () => {
  it('an object on version 1 with live holds wakes on the latest version, holds and counters intact', async () => {
    const clock = manualClock();
    const eventId = newId('evt');
    const ids = [newHoldId(eventId), newHoldId(eventId), newHoldId(eventId)];
    const [free, inCheckout, released] = ids as [string, string, string];
    await runInDurableObject(inventory(eventId), (_instance, state) =>
      writeVersionOne(state.storage.sql, eventId, ids, clock.start),
    );
    // A fresh instance (a deploy) migrates when it wakes.
    await abortAllDurableObjects();
    const stub = inventory(eventId);

    expect(await stub.getHold(free)).toMatchObject({
      state: 'active',
      orderId: null,
      expiresAt: new Date(clock.start + 5 * MINUTE).toISOString(),
      items: [{ ticketTypeId: 'tt_ga', quantity: 3 }],
    });
    expect((await stub.getHold(inCheckout))?.orderId).toBe('ord_v1');
    expect((await stub.getHold(released))?.state).toBe('released');
    const schema = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      return {
        version: sql.exec<{ version: number }>('SELECT version FROM schema_version').one().version,
        holds: sql
          .exec<{ id: string; client_key: string | null; admission_seq: number | null }>(
            'SELECT id, client_key, admission_seq FROM holds ORDER BY id',
          )
          .toArray(),
        cap: sql
          .exec<{ cap: number | null }>('SELECT max_held_per_client AS cap FROM settings')
          .one().cap,
        room: sql.exec<{ mode: string }>('SELECT mode FROM room').one().mode,
      };
    });
    expect(schema.version).toBe(MIGRATIONS.length);
    expect(schema.holds).toHaveLength(3);
    expect(schema.holds.every((h) => h.client_key === null && h.admission_seq === null)).toBe(true);
    expect(schema.cap).toBeNull();
    expect(schema.room).toBe('off');
    const before = await stub.availability();
    expect(before?.ticketTypes[0]).toMatchObject({ capacity: 30, sold: 2, held: 7, available: 21 });
    expect(before?.quotas[0]).toMatchObject({ size: 30, sold: 2, held: 7, available: 21 });

    // New holds are capped per client (default 2 x maxPerOrder 4 = 8); the old holds count
    // for nobody.
    const client = 'ip4:198.51.100.20';
    const four = [{ ticketTypeId: 'tt_ga', quantity: 4 }];
    expect((await stub.hold(four, undefined, client)).ok).toBe(true);
    expect((await stub.hold(four, undefined, client)).ok).toBe(true);
    expect(await stub.hold([{ ticketTypeId: 'tt_ga', quantity: 1 }], undefined, client)).toEqual({
      ok: false,
      code: 'hold_limit_reached',
      limit: 8,
      held: 8,
    });

    // The old hold in checkout is paid; the old free hold lapses through the alarm.
    expect(await stub.confirmOrder('ord_v1', inCheckout, four)).toEqual({
      ok: true,
      outcome: 'converted',
    });
    clock.advance(5 * MINUTE);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.getHold(free))?.state).toBe('expired');
    const after = await stub.availability();
    expect(after?.ticketTypes[0]).toMatchObject({ sold: 6, held: 8, available: 16 });
    expect(after?.quotas[0]).toMatchObject({ sold: 6, held: 8, available: 16 });

    // A ticket of the sale made on version 1, refunded on its own, gives its place back.
    const oldTicket = { ticketId: 'tkt_v1', ticketTypeId: 'tt_ga' };
    expect(
      await stub.revokeTickets(['tkt_v1'], { orderId: 'ord_paid', tickets: [oldTicket] }),
    ).toEqual({ revoked: 1, released: 1 });
    const afterRelease = await stub.availability();
    expect(afterRelease?.ticketTypes[0]).toMatchObject({ sold: 5, available: 17 });
    expect(afterRelease?.quotas[0]).toMatchObject({ sold: 5, available: 17 });
  });
});
