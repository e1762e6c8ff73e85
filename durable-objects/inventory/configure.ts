import type { CounterRow, InventoryCounters } from './counters';
import { toMs } from './rows';
import type { ConfigureResult, InventoryConfig } from './types';

/**
 * Applies the inventory part of the catalog inside the caller's transaction. Refuses (and
 * writes nothing) when a capacity or quota would drop below what is sold plus held.
 */
export function applyInventoryConfig(
  sql: SqlStorage,
  counters: InventoryCounters,
  config: InventoryConfig,
): ConfigureResult {
  for (const type of config.ticketTypes) {
    const row = counters.typeRow(type.id);
    if (row && row.sold + row.held > type.capacity) {
      return {
        ok: false,
        code: 'capacity_below_sold',
        ticketTypeId: type.id,
        minimum: row.sold + row.held,
      };
    }
  }
  for (const quota of config.quotas) {
    const used = counters.usageOfTypes(quota.ticketTypeIds);
    if (used > quota.size) {
      return { ok: false, code: 'capacity_below_sold', quotaId: quota.id, minimum: used };
    }
  }
  sql.exec(
    `INSERT INTO settings (id, event_id, status, sales_start_ms, sales_end_ms, hold_minutes, max_per_order)
     VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, sales_start_ms = excluded.sales_start_ms,
       sales_end_ms = excluded.sales_end_ms, hold_minutes = excluded.hold_minutes,
       max_per_order = excluded.max_per_order`,
    config.eventId,
    config.status,
    toMs(config.salesStartAt),
    toMs(config.salesEndAt),
    config.holdMinutes,
    config.maxPerOrder,
  );
  // Absent (an older Worker): the cap stays as it is; null: back to the default.
  if (config.maxHeldPerClient !== undefined) {
    sql.exec('UPDATE settings SET max_held_per_client = ?', config.maxHeldPerClient);
  }
  // Types the catalog no longer has (a rolled-back update) go, unless tickets depend on them.
  const keep = new Set(config.ticketTypes.map((t) => t.id));
  for (const row of sql.exec<CounterRow>('SELECT id, capacity, sold, held FROM ticket_types')) {
    if (!keep.has(row.id) && row.sold === 0 && row.held === 0) {
      sql.exec('DELETE FROM ticket_types WHERE id = ?', row.id);
    }
  }
  for (const type of config.ticketTypes) {
    sql.exec(
      `INSERT INTO ticket_types (id, capacity) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET capacity = excluded.capacity`,
      type.id,
      type.capacity,
    );
    // Absent (an older Worker): the type stays shown or hidden as it was.
    if (type.hidden !== undefined) {
      sql.exec('UPDATE ticket_types SET hidden = ? WHERE id = ?', type.hidden ? 1 : 0, type.id);
    }
  }
  // Quotas are replaced as a whole; their counters are derived from their members' counters,
  // so a quota added after sales started begins with the right usage.
  sql.exec('DELETE FROM quota_members');
  sql.exec('DELETE FROM quotas');
  for (const quota of config.quotas) {
    sql.exec('INSERT INTO quotas (id, size) VALUES (?, ?)', quota.id, quota.size);
    for (const typeId of quota.ticketTypeIds) {
      sql.exec(
        'INSERT OR IGNORE INTO quota_members (quota_id, ticket_type_id) VALUES (?, ?)',
        quota.id,
        typeId,
      );
    }
  }
  sql.exec(
    `UPDATE quotas SET
       sold = (SELECT COALESCE(SUM(t.sold), 0) FROM quota_members m JOIN ticket_types t ON t.id = m.ticket_type_id WHERE m.quota_id = quotas.id),
       held = (SELECT COALESCE(SUM(t.held), 0) FROM quota_members m JOIN ticket_types t ON t.id = m.ticket_type_id WHERE m.quota_id = quotas.id)`,
  );
  return { ok: true };
}
