import type { CounterRow } from './counters';
import { type SettingsRow, toIso } from './rows';
import type { AvailabilitySnapshot } from './types';

/**
 * Counters of every type and quota; a type is only as available as its tightest quota.
 * The waiting room's part of the snapshot comes from the room.
 */
export function readAvailability(
  sql: SqlStorage,
  settings: SettingsRow,
): Omit<AvailabilitySnapshot, 'waitingRoom'> {
  const quotas = sql
    .exec<{ id: string; size: number; sold: number; held: number }>(
      'SELECT id, size, sold, held FROM quotas',
    )
    .toArray();
  const quotaRoom = new Map(quotas.map((q) => [q.id, q.size - q.sold - q.held]));
  const members = sql
    .exec<{ quota_id: string; ticket_type_id: string }>(
      'SELECT quota_id, ticket_type_id FROM quota_members',
    )
    .toArray();
  const types = sql.exec<CounterRow>('SELECT id, capacity, sold, held FROM ticket_types').toArray();
  const checkedIn = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM checkins').one().n;
  return {
    status: settings.status,
    salesStartAt: toIso(settings.sales_start_ms),
    salesEndAt: toIso(settings.sales_end_ms),
    ticketTypes: types.map((t) => {
      let available = t.capacity - t.sold - t.held;
      for (const m of members) {
        if (m.ticket_type_id === t.id)
          available = Math.min(available, quotaRoom.get(m.quota_id) ?? 0);
      }
      return {
        id: t.id,
        capacity: t.capacity,
        sold: t.sold,
        held: t.held,
        available: Math.max(0, available),
      };
    }),
    quotas: quotas.map((q) => ({ ...q, available: Math.max(0, q.size - q.sold - q.held) })),
    checkedIn,
  };
}
