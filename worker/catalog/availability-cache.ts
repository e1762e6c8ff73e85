import type { AvailabilitySnapshot } from '../../durable-objects/inventory/types';
import { IsolateMemo } from '../cache/isolate-memo';
import { inventoryFor } from './inventory';

/**
 * A per-isolate copy of each event's availability, at most this old. DESIGN.md allows the
 * public read to be a second or two stale (the hold decides), and during a rush it turns
 * thousands of reads a second into one Durable Object call per isolate per second.
 */
export const AVAILABILITY_TTL_MS = 1_000;

const copies = new IsolateMemo<AvailabilitySnapshot | null>();

export function cachedAvailability(
  env: Env,
  eventId: string,
  now = Date.now(),
): Promise<AvailabilitySnapshot | null> {
  const load = () => inventoryFor(env, eventId).availability();
  return copies.get(eventId, load, () => AVAILABILITY_TTL_MS, now);
}

/**
 * Drops this isolate's copy after the event's inventory changed through it (a hold placed or
 * refused here), so the buyer who caused the change sees it on their next read.
 */
export function forgetAvailability(eventId: string): void {
  copies.delete(eventId);
}
