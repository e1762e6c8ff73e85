import type { HoldItem } from './types';

export interface CounterRow extends Record<string, SqlStorageValue> {
  id: string;
  capacity: number;
  sold: number;
  held: number;
}

/** Quantities per ticket type, summed over the items. */
export function sumByType(items: HoldItem[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const { ticketTypeId, quantity } of items) {
    demand.set(ticketTypeId, (demand.get(ticketTypeId) ?? 0) + quantity);
  }
  return demand;
}

/**
 * The sold and held counters of ticket types and of the quotas they belong to (M:N). Callers
 * run every check and change inside one synchronous transaction.
 */
export class InventoryCounters {
  /** Quota membership changes only in configure(), which calls forget(). */
  private quotasOfType = new Map<string, string[]>();
  /** Hidden ticket types, likewise set only by configure(). */
  private hidden: Set<string> | undefined;

  constructor(private readonly sql: SqlStorage) {}

  forget(): void {
    this.quotasOfType.clear();
    this.hidden = undefined;
  }

  /** The requested types the organizer hid: buyers can not hold them (their sales stay). */
  hiddenAmong(typeIds: Iterable<string>): string[] {
    this.hidden ??= new Set(
      this.sql
        .exec<{ id: string }>('SELECT id FROM ticket_types WHERE hidden = 1')
        .toArray()
        .map((row) => row.id),
    );
    const hidden = this.hidden;
    return [...typeIds].filter((id) => hidden.has(id));
  }

  quotaIdsOf(typeId: string): string[] {
    let ids = this.quotasOfType.get(typeId);
    if (!ids) {
      ids = this.sql
        .exec<{ quota_id: string }>(
          'SELECT quota_id FROM quota_members WHERE ticket_type_id = ?',
          typeId,
        )
        .toArray()
        .map((row) => row.quota_id);
      this.quotasOfType.set(typeId, ids);
    }
    return ids;
  }

  typeRow(id: string): CounterRow | undefined {
    return this.sql
      .exec<CounterRow>('SELECT id, capacity, sold, held FROM ticket_types WHERE id = ?', id)
      .toArray()[0];
  }

  usageOfTypes(typeIds: string[]): number {
    let used = 0;
    for (const id of new Set(typeIds)) {
      const row = this.typeRow(id);
      if (row) used += row.sold + row.held;
    }
    return used;
  }

  /** Which requested types lack room, checked against their own capacity and every quota. */
  checkRoom(demand: Map<string, number>): { unknown: string[]; soldOut: string[] } {
    const unknown: string[] = [];
    const soldOut = new Set<string>();
    const quotaDemand = new Map<string, { need: number; types: string[] }>();
    for (const [typeId, quantity] of demand) {
      const row = this.typeRow(typeId);
      if (!row) {
        unknown.push(typeId);
        continue;
      }
      if (row.capacity - row.sold - row.held < quantity) soldOut.add(typeId);
      for (const quota_id of this.quotaIdsOf(typeId)) {
        const entry = quotaDemand.get(quota_id) ?? { need: 0, types: [] };
        entry.need += quantity;
        entry.types.push(typeId);
        quotaDemand.set(quota_id, entry);
      }
    }
    for (const [quotaId, { need, types }] of quotaDemand) {
      const quota = this.sql
        .exec<{ free: number }>(
          'SELECT size - sold - held AS free FROM quotas WHERE id = ?',
          quotaId,
        )
        .one();
      if (quota.free < need) for (const t of types) soldOut.add(t);
    }
    return { unknown, soldOut: [...soldOut] };
  }

  /** Adds (sign +1) or removes (-1) quantities on a counter of every type and quota touched. */
  apply(demand: Map<string, number>, counter: 'held' | 'sold', sign: 1 | -1): void {
    for (const [typeId, quantity] of demand) {
      const delta = sign * quantity;
      this.sql.exec(
        `UPDATE ticket_types SET ${counter} = ${counter} + ? WHERE id = ?`,
        delta,
        typeId,
      );
      for (const quotaId of this.quotaIdsOf(typeId)) {
        this.sql.exec(`UPDATE quotas SET ${counter} = ${counter} + ? WHERE id = ?`, delta, quotaId);
      }
    }
  }
}
