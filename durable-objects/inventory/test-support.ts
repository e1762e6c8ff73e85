import { runInDurableObject } from 'cloudflare:test';
import { vi } from 'vitest';
import type { EventInventory } from '../event-inventory';
import type { HoldResult } from './types';

/** Shared helpers of the inventory's Workers-runtime tests. */

export type InventoryStub = DurableObjectStub<EventInventory>;

/**
 * A clock the tests move by hand. The object runs in the tests' isolate, so it reads the
 * same `Date`; alarms are then fired with `runDurableObjectAlarm` at the time set here.
 */
export function manualClock(start = Date.now()) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return {
    start,
    now: () => Date.now(),
    set: (ms: number) => vi.setSystemTime(ms),
    advance: (ms: number) => vi.setSystemTime(Date.now() + ms),
  };
}

export function holdIdOf(result: HoldResult): string {
  if (!result.ok) throw new Error(`hold refused: ${result.code}`);
  return result.hold.holdId;
}

/** The alarm in the object's storage (null: none). */
export function storedAlarm(stub: InventoryStub): Promise<number | null> {
  return runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
}

/** The earliest expiry among the object's active holds, read from its table (null: none). */
export function earliestActiveExpiry(stub: InventoryStub): Promise<number | null> {
  return runInDurableObject(
    stub,
    (_instance, state) =>
      state.storage.sql
        .exec<{ next: number | null }>(
          "SELECT MIN(expires_ms) AS next FROM holds WHERE state = 'active'",
        )
        .one().next,
  );
}
