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

interface ObjectDump {
  /** From the object's settings row; null for an object that was never configured. */
  eventId: string | null;
  tables: TableDump;
}

/** One object's SQLite storage, read inside the object: its schema and every table. */
function dumpObject(id: DurableObjectId): Promise<ObjectDump> {
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
    const names = sql.exec<{ name: string }>(`${USER_TABLES} ORDER BY name`).toArray();
    for (const { name } of names) {
      const rows = sql.exec(`SELECT * FROM "${name}"`).toArray();
      tables[name] = sortedRows(rows.map((row) => withoutClockColumns(name, row)));
    }
    const settings = names.some((n) => n.name === 'settings')
      ? sql.exec<{ event_id: string }>('SELECT event_id FROM settings').toArray()[0]
      : undefined;
    return { eventId: settings?.event_id ?? null, tables };
  });
}

/**
 * Every event object that has storage, keyed by its event id (or its object id when it has
 * no settings). `expected` event ids without storage are listed as null, so a watched
 * event's object appearing is a difference too. Objects are read where they are; one with
 * no table at all holds nothing and is left out.
 */
export async function dumpEventObjects(
  expected: readonly string[] = [],
): Promise<Record<string, TableDump | null>> {
  const ids = await listDurableObjectIds(env.EVENT_INVENTORY);
  const dumps = await Promise.all(ids.map(async (id) => ({ id, dump: await dumpObject(id) })));
  const objects: Record<string, TableDump | null> = {};
  for (const eventId of expected) objects[eventId] = null;
  for (const { id, dump } of dumps) {
    if (Object.keys(dump.tables).length <= 1 && dump.tables['(schema)']?.length === 0) continue;
    objects[dump.eventId ?? `object:${id.toString()}`] = dump.tables;
  }
  return objects;
}
