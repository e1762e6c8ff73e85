import type { AvailabilitySnapshot } from '../../durable-objects/inventory/types';
import { inventoryFor } from './inventory';

/**
 * A per-isolate copy of each event's availability, at most this old. DESIGN.md allows the
 * public read to be a second or two stale (the hold decides), and during a rush it turns
 * thousands of reads a second into one Durable Object call per isolate per second.
 */
export const AVAILABILITY_TTL_MS = 1_000;

const copies = new Map<string, { until: number; snapshot: Promise<AvailabilitySnapshot | null> }>();

export function cachedAvailability(
  env: Env,
  eventId: string,
  now = Date.now(),
): Promise<AvailabilitySnapshot | null> {
  const copy = copies.get(eventId);
  if (copy && copy.until > now) return copy.snapshot;
  // Concurrent readers share one call; a failed call is not kept.
  const snapshot = inventoryFor(env, eventId).availability();
  copies.set(eventId, { until: now + AVAILABILITY_TTL_MS, snapshot });
  snapshot.catch(() => copies.delete(eventId));
  if (copies.size > 10_000) copies.delete(copies.keys().next().value ?? '');
  return snapshot;
}
