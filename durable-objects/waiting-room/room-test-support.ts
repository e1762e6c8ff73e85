import { env, runInDurableObject } from 'cloudflare:test';
import { expect } from 'vitest';
import { newId } from '../../worker/domain/ids';
import type { EventInventory } from '../event-inventory';
import type { InventoryConfig } from '../inventory/types';
import type { AdmissionGrant, ClaimResult, JoinResult, WaitingRoomConfig } from './types';

/** Shared set-up for the waiting room's tests in the Workers runtime. */

export const GA = 'tt_ga';

export function roomConfig(
  eventId: string,
  room: Partial<WaitingRoomConfig> = {},
  overrides: Partial<InventoryConfig> = {},
): InventoryConfig {
  return {
    eventId,
    status: 'on_sale',
    salesStartAt: null,
    salesEndAt: null,
    holdMinutes: 10,
    maxPerOrder: 10,
    ticketTypes: [{ id: GA, capacity: 10_000 }],
    quotas: [],
    waitingRoom: {
      mode: 'always',
      activeLimit: 500,
      admitPerMinute: 1000,
      admissionMinutes: 15,
      autoThreshold: 200,
      preQueueMinutes: 30,
      ...room,
    },
    ...overrides,
  };
}

export function inventory(eventId: string): DurableObjectStub<EventInventory> {
  return env.EVENT_INVENTORY.get(env.EVENT_INVENTORY.idFromName(eventId));
}

/** A fresh event with a configured room; its object is new, so its storage is empty. */
export async function roomEvent(
  room: Partial<WaitingRoomConfig> = {},
  overrides: Partial<InventoryConfig> = {},
): Promise<{ eventId: string; stub: DurableObjectStub<EventInventory> }> {
  const eventId = newId('evt');
  const stub = inventory(eventId);
  expect(await stub.configure(roomConfig(eventId, room, overrides))).toEqual({ ok: true });
  return { eventId, stub };
}

export function seqOf(result: JoinResult): number {
  if (!result.ok) throw new Error(`join refused: ${result.code}`);
  return result.seq;
}

export function grantOf(result: ClaimResult): AdmissionGrant {
  if (!result.ok) throw new Error(`claim refused: ${result.code}`);
  return result.admission;
}

/** Runs `body` inside the object, with the room and the storage at hand. */
export function insideRoom<R>(
  stub: DurableObjectStub<EventInventory>,
  body: (instance: EventInventory, sql: SqlStorage) => R,
): Promise<R> {
  return runInDurableObject(stub, (instance, state) => body(instance, state.storage.sql));
}

export const ONE_TICKET = [{ ticketTypeId: GA, quantity: 1 }];
