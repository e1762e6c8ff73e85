import { env, listDurableObjectIds, runInDurableObject } from 'cloudflare:test';

/** A table's rows, each as JSON, sorted: independent of rowid and of tables without one. */
export type TableDump = Record<string, string[]>;

/**
 * Columns an event object rewrites with the clock alone (its alarm), never because of a
 * request: the admission tick's bookkeeping. Everything else in the object is compared.
 */
export const CLOCK_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  room: ['credit', 'last_tick_ms'],
};

const USER_TABLES = `SELECT name FROM sqlite_master WHERE type = 'table'
  AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;

function sortedRows(rows: Record<string, unknown>[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

/** Every D1 table (but the migrations ledger), row by row. */
export async function dumpD1(): Promise<TableDump> {
  const { results } = await env.DB.prepare(
    `${USER_TABLES} AND name <> 'd1_migrations' ORDER BY name`,
  ).all<{ name: string }>();
  const names = results.map((r) => r.name);
  const contents = await env.DB.batch<Record<string, unknown>>(
    names.map((name) => env.DB.prepare(`SELECT * FROM "${name}"`)),
  );
  const dump: TableDump = {};
  for (const [i, name] of names.entries()) dump[name] = sortedRows(contents[i]?.results ?? []);
  return dump;
}

function withoutClockColumns(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const skip = CLOCK_COLUMNS[table];
  if (!skip) return row;
  return Object.fromEntries(Object.entries(row).filter(([column]) => !skip.includes(column)));
}

/** One object's SQLite storage, read inside the object: its schema and every table. */
function dumpObject(id: DurableObjectId): Promise<TableDump> {
  return runInDurableObject(env.EVENT_INVENTORY.get(id), (_instance, state) => {
    const { sql } = state.storage;
    const tables: TableDump = {
      '(schema)': sortedRows(
        sql
          .exec(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
          )
          .toArray(),
      ),
    };
    for (const { name } of sql.exec<{ name: string }>(`${USER_TABLES} ORDER BY name`).toArray()) {
      const rows = sql.exec(`SELECT * FROM "${name}"`).toArray();
      tables[name] = sortedRows(rows.map((row) => withoutClockColumns(name, row)));
    }
    return tables;
  });
}

export interface EventObjectsDump {
  /** The watched events' objects, table by table; null while one has no table. */
  watched: Record<string, TableDump | null>;
  /** Every object of the namespace with a table, by object id: a new one is a write. */
  withTables: string[];
}

/** Objects seen with a table: tables are never dropped, so they need no second look. */
const knownWithTables = new Set<string>();

function hasTables(id: DurableObjectId): Promise<boolean> {
  return runInDurableObject(
    env.EVENT_INVENTORY.get(id),
    (_instance, state) => state.storage.sql.exec(USER_TABLES).toArray().length > 0,
  );
}

/**
 * Objects with a table. The namespace also lists objects that were only called (a guessed
 * event id gets an object, which writes nothing): those are looked into, ~2 ms each.
 */
async function objectsWithTables(): Promise<DurableObjectId[]> {
  const ids = await listDurableObjectIds(env.EVENT_INVENTORY);
  const checked = await Promise.all(
    ids.map(async (id) => {
      const key = id.toString();
      if (!knownWithTables.has(key) && (await hasTables(id))) knownWithTables.add(key);
      return knownWithTables.has(key) ? [id] : [];
    }),
  );
  return checked.flat();
}

/**
 * The watched events' objects in full (each read is a round trip into the object, ~2 ms, so
 * not every object of a long test file is read on every snapshot), plus which objects have
 * a table at all. An object without one is not read: reading it would create nothing, but
 * is not needed either.
 */
export async function dumpEventObjects(watch: readonly string[]): Promise<EventObjectsDump> {
  const withTables = (await objectsWithTables()).map((id) => id.toString()).sort();
  const present = new Set(withTables);
  const entries = await Promise.all(
    [...new Set(watch)].map(async (eventId) => {
      const id = env.EVENT_INVENTORY.idFromName(eventId);
      return [eventId, present.has(id.toString()) ? await dumpObject(id) : null] as const;
    }),
  );
  return { watched: Object.fromEntries(entries), withTables };
}
