import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { newId } from '../worker/domain/ids';
import type { EventInventory } from './event-inventory';
import type { InventoryConfig } from './inventory/types';

function configFor(eventId: string, overrides: Partial<InventoryConfig> = {}): InventoryConfig {
  return {
    eventId,
    status: 'on_sale',
    salesStartAt: null,
    salesEndAt: null,
    holdMinutes: 10,
    maxPerOrder: 10,
    ticketTypes: [
      { id: 'tt_ga', capacity: 100 },
      { id: 'tt_vip', capacity: 20 },
    ],
    quotas: [{ id: 'quo_venue', size: 100, ticketTypeIds: ['tt_ga', 'tt_vip'] }],
    waitingRoom: {
      mode: 'off',
      activeLimit: 500,
      admitPerMinute: 1000,
      admissionMinutes: 15,
      autoThreshold: 200,
      preQueueMinutes: 30,
    },
    ...overrides,
  };
}

function inventory(eventId: string): DurableObjectStub<EventInventory> {
  return env.EVENT_INVENTORY.get(env.EVENT_INVENTORY.idFromName(eventId));
}

describe('EventInventory', () => {
  it('300 concurrent holds against a quota of 100: exactly 100 succeed', async () => {
    const eventId = newId('evt');
    const stub = inventory(eventId);
    expect(await stub.configure(configFor(eventId))).toEqual({ ok: true });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        stub.hold([{ ticketTypeId: i % 2 ? 'tt_ga' : 'tt_vip', quantity: 1 }]),
      ),
    );
    const ok = results.filter((r) => r.ok).length;
    expect(ok).toBe(100);
    expect(results.filter((r) => !r.ok && r.code === 'sold_out')).toHaveLength(200);
    const snapshot = await stub.availability();
    expect(snapshot?.quotas[0]).toMatchObject({ size: 100, held: 100, available: 0 });
  });

  it('expires holds by alarm and frees their tickets', async () => {
    const eventId = newId('evt');
    const stub = inventory(eventId);
    await stub.configure(configFor(eventId, { holdMinutes: 1, maxPerOrder: 50 }));
    const first = await stub.hold([{ ticketTypeId: 'tt_vip', quantity: 20 }]);
    expect(first.ok).toBe(true);
    expect((await stub.hold([{ ticketTypeId: 'tt_vip', quantity: 1 }])).ok).toBe(false);
    // Move the hold's expiry into the past, then fire the alarm the hold scheduled.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('UPDATE holds SET expires_ms = ?', Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const snapshot = await stub.availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === 'tt_vip')).toMatchObject({
      held: 0,
      available: 20,
    });
    if (first.ok) expect((await stub.getHold(first.hold.holdId))?.state).toBe('expired');
    expect((await stub.hold([{ ticketTypeId: 'tt_vip', quantity: 20 }])).ok).toBe(true);
  });
});
