/**
 * The EventInventory object's own SQLite schema, versioned. Each step runs once, in order,
 * when an object wakes with an older version; steps are append-only.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    event_id TEXT NOT NULL,
    status TEXT NOT NULL,
    sales_start_ms INTEGER,
    sales_end_ms INTEGER,
    hold_minutes INTEGER NOT NULL,
    max_per_order INTEGER NOT NULL
  );
  CREATE TABLE ticket_types (
    id TEXT PRIMARY KEY,
    capacity INTEGER NOT NULL,
    sold INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0
  );
  -- Shared quotas (M:N with ticket types); a type's own capacity is checked on ticket_types.
  CREATE TABLE quotas (
    id TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    sold INTEGER NOT NULL DEFAULT 0,
    held INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE quota_members (
    quota_id TEXT NOT NULL,
    ticket_type_id TEXT NOT NULL,
    PRIMARY KEY (quota_id, ticket_type_id)
  );
  CREATE INDEX quota_members_type ON quota_members (ticket_type_id);
  CREATE TABLE holds (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    items TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    order_id TEXT,
    created_ms INTEGER NOT NULL
  );
  CREATE INDEX holds_active_expiry ON holds (state, expires_ms);
  CREATE TABLE sales (
    order_id TEXT PRIMARY KEY,
    hold_id TEXT,
    items TEXT NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL
  );
  CREATE TABLE checkins (
    ticket_id TEXT PRIMARY KEY,
    checked_in_ms INTEGER NOT NULL
  );
  CREATE TABLE revoked_tickets (
    ticket_id TEXT PRIMARY KEY,
    revoked_ms INTEGER NOT NULL
  );
  `,
  // 2: the waiting room. One row of settings and counters: a join only bumps `joined`, an
  // admission tick only moves `watermark` (no row per waiting buyer). An admission gets a
  // row when its buyer claims it; `room_ticks` keeps a few minutes of watermark history for
  // the observed rate and for slots reserved for admitted buyers who have not claimed yet.
  `
  CREATE TABLE room (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mode TEXT NOT NULL,
    active_limit INTEGER NOT NULL,
    admit_per_minute INTEGER NOT NULL,
    admission_minutes INTEGER NOT NULL,
    auto_threshold INTEGER NOT NULL,
    pre_queue_minutes INTEGER NOT NULL,
    joined INTEGER NOT NULL DEFAULT 0,
    watermark INTEGER NOT NULL DEFAULT 0,
    lottery_seed INTEGER,
    lottery_size INTEGER,
    credit REAL NOT NULL DEFAULT 0,
    last_tick_ms INTEGER,
    auto_active INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO room (id, mode, active_limit, admit_per_minute, admission_minutes, auto_threshold, pre_queue_minutes)
    VALUES (1, 'off', 0, 0, 0, 0, 0);
  CREATE TABLE admissions (
    seq INTEGER PRIMARY KEY,
    rank INTEGER NOT NULL,
    state TEXT NOT NULL,
    claimed_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    hold_id TEXT
  );
  CREATE INDEX admissions_state_expiry ON admissions (state, expires_ms);
  CREATE INDEX admissions_rank ON admissions (rank);
  CREATE TABLE room_ticks (
    at_ms INTEGER PRIMARY KEY,
    watermark INTEGER NOT NULL,
    admitted INTEGER NOT NULL
  );
  ALTER TABLE holds ADD COLUMN admission_seq INTEGER;
  `,
  // 3: the per-client cap (client-limits.ts). A hold remembers who placed it (the client key:
  // an IPv4 address or an IPv6 /64; null for holds placed before, which no cap counts); the
  // organizer's cap (null: the default, a multiple of max_per_order).
  `
  ALTER TABLE holds ADD COLUMN client_key TEXT;
  CREATE INDEX holds_client_active ON holds (client_key, state) WHERE client_key IS NOT NULL;
  ALTER TABLE settings ADD COLUMN max_held_per_client INTEGER;
  `,
  // 4 (door): scans per check-in list. `door_scans` keeps every scan that reached the object as
  // a fact (online or synced from an offline device; one per device and nonce); `list_checkins`
  // is each ticket's state per list (counted once; `inside` for entry lists); a conflict is two
  // admissions of one ticket on one list with no exit between them. `checkins` stays the
  // default list's mirror, which an older version of this class reads. Self-contained step.
  `
  CREATE TABLE IF NOT EXISTS door_scans (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    gate TEXT,
    scanned_ms INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    admitted INTEGER NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (device_id, nonce)
  );
  CREATE INDEX IF NOT EXISTS door_scans_ticket ON door_scans (ticket_id, admitted);
  CREATE TABLE IF NOT EXISTS list_checkins (
    ticket_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    first_ms INTEGER NOT NULL,
    first_device TEXT NOT NULL,
    first_gate TEXT,
    inside INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, list_id)
  );
  CREATE INDEX IF NOT EXISTS list_checkins_updated ON list_checkins (updated_ms);
  CREATE TABLE IF NOT EXISTS checkin_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL,
    list_id TEXT NOT NULL,
    first_device TEXT NOT NULL,
    first_nonce TEXT NOT NULL,
    first_ms INTEGER NOT NULL,
    first_gate TEXT,
    second_device TEXT NOT NULL,
    second_nonce TEXT NOT NULL,
    second_ms INTEGER NOT NULL,
    second_gate TEXT,
    recorded_ms INTEGER NOT NULL,
    UNIQUE (first_device, first_nonce, second_device, second_nonce)
  );
  INSERT OR IGNORE INTO list_checkins
    (ticket_id, list_id, first_ms, first_device, first_gate, inside, changed_ms, updated_ms)
    SELECT c.ticket_id, 'cl_' || substr(s.event_id, 5), c.checked_in_ms, '', NULL, 1,
      c.checked_in_ms, c.checked_in_ms
    FROM checkins c, settings s;
  `,
  // 5: the dashboard's controls. `room.paused`: the organizer paused admission (ticks admit
  // nobody until it is resumed; not part of the catalog, so configure() leaves it alone);
  // `ticket_types.hidden`: a type buyers neither see nor hold, whose sales and counts stay.
  `
  ALTER TABLE room ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ticket_types ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: refunds by ticket give each ticket's place back (sales.ts `releaseTickets`). One row per
  // released ticket makes the release idempotent, and lets a later full refund of the order
  // subtract only what is still sold.
  `
  CREATE TABLE IF NOT EXISTS released_tickets (
    ticket_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    ticket_type_id TEXT NOT NULL,
    released_ms INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS released_tickets_order ON released_tickets (order_id);
  `,
];

/** True once the object was configured (has a schema at all). A read, never a write. */
export function hasInventorySchema(sql: SqlStorage): boolean {
  return (
    sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
      .toArray().length > 0
  );
}

/** Brings the object's schema to the latest version; cheap when already current. */
export function migrateInventorySchema(sql: SqlStorage, storage: DurableObjectStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = sql.exec<{ version: number }>('SELECT version FROM schema_version').toArray()[0];
  const current = row?.version ?? 0;
  if (current >= MIGRATIONS.length) return;
  storage.transactionSync(() => {
    for (let step = current; step < MIGRATIONS.length; step++) {
      sql.exec(MIGRATIONS[step] as string);
    }
    if (row) sql.exec('UPDATE schema_version SET version = ?', MIGRATIONS.length);
    else sql.exec('INSERT INTO schema_version (version) VALUES (?)', MIGRATIONS.length);
  });
}
