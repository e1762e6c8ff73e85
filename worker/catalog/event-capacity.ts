/**
 * How many tickets an event can sell in all, for the dashboard's "sold / capacity": ticket
 * types alone overstate it when quotas are shared (General 100 + VIP 50 in a venue of 120
 * is 120, not 150).
 */

export interface CapacityType {
  id: string;
  capacity: number;
}

export interface CapacityQuota {
  size: number;
  ticketTypeIds: readonly string[];
}

/**
 * Each type counts at most its capacity and the size of its smallest quota; each quota at
 * most its size; types in no quota as they are. Exact for one shared quota and for quotas
 * that do not overlap; where quotas overlap it is an upper bound (never below what can sell).
 */
export function eventCapacity(types: readonly CapacityType[], quotas: readonly CapacityQuota[]) {
  const limit = new Map(types.map((t) => [t.id, t.capacity]));
  for (const quota of quotas) {
    for (const id of quota.ticketTypeIds) {
      const capacity = limit.get(id);
      if (capacity !== undefined) limit.set(id, Math.min(capacity, quota.size));
    }
  }
  const byType = sum(types.map((t) => limit.get(t.id) ?? 0));
  const inQuota = new Set(quotas.flatMap((q) => q.ticketTypeIds));
  const byQuota =
    sum(types.filter((t) => !inQuota.has(t.id)).map((t) => limit.get(t.id) ?? 0)) +
    sum(quotas.map((q) => Math.min(q.size, sum(q.ticketTypeIds.map((id) => limit.get(id) ?? 0)))));
  return Math.min(byType, byQuota);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
