import type { EventInventory } from '../../durable-objects/event-inventory';

/** The event's Durable Object: one per event, named by its id. */
export function inventoryFor(env: Env, eventId: string): DurableObjectStub<EventInventory> {
  return env.EVENT_INVENTORY.get(env.EVENT_INVENTORY.idFromName(eventId));
}
