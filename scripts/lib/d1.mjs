/**
 * A local D1 database made ready for the Worker: the migrations of d1-migrations/ applied to a
 * fresh database, and an organizer with its API key (there is no API to create one). The
 * statements go through whatever `Batch` the caller has: Miniflare's D1 binding (the browser
 * tests), a Worker route (the bench) or, inlined, `wrangler d1 execute` (`npm run dev`).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** @typedef {{ sql: string, params?: unknown[] }} Statement */
/** Runs the statements as one D1 batch (one transaction). */
/** @typedef {(statements: Statement[]) => Promise<unknown>} Batch */
/** @typedef {{ name: string, queries: string[] }} Migration */
/**
 * The part of a D1 binding `d1Batch` uses (Miniflare's `getD1Database()`, `env.DB`).
 * @typedef {{ prepare(sql: string): { bind(...values: unknown[]): unknown },
 *   batch(statements: never[]): Promise<unknown> }} D1Like
 */
/**
 * @typedef {{ organizerId: string, name: string, apiKey: string, label: string }} OrganizerSeed
 */

/**
 * The .sql files of a migrations folder in name order, each split into single statements the
 * way wrangler splits them.
 * @param {string} dir
 * @returns {Promise<Migration[]>}
 */
export async function readMigrations(dir) {
  const { unstable_splitSqlQuery } = await import('wrangler');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({
      name,
      queries: unstable_splitSqlQuery(readFileSync(path.join(dir, name), 'utf8')),
    }));
}

/**
 * Applies every migration to a fresh database, one batch per file. A database that lives on
 * (`npm run dev`'s) is migrated by `wrangler d1 migrations apply`, which records what it applied.
 * @param {Batch} batch
 * @param {Migration[]} migrations
 */
export async function applyMigrations(batch, migrations) {
  for (const migration of migrations) {
    await batch(migration.queries.map((sql) => ({ sql })));
  }
}

/**
 * What `api_keys.key_hash` stores for an API key: its SHA-256 in lowercase hex.
 * @param {string} apiKey
 */
export function apiKeyHash(apiKey) {
  return createHash('sha256').update(apiKey).digest('hex');
}

/**
 * The organizer and its API key. Safe to run again: INSERT OR IGNORE, and the key id derives
 * from the hash, so a changed key gets its own row; the UPDATE then leaves exactly this key
 * active among the organizer's keys with the same label.
 * @param {OrganizerSeed} seed
 * @returns {Statement[]}
 */
export function organizerSeed({ organizerId, name, apiKey, label }) {
  const hash = apiKeyHash(apiKey);
  return [
    {
      sql: 'INSERT OR IGNORE INTO organizers (id, name) VALUES (?, ?)',
      params: [organizerId, name],
    },
    {
      sql: 'INSERT OR IGNORE INTO api_keys (id, organizer_id, key_hash, label) VALUES (?, ?, ?, ?)',
      params: [`key_${hash.slice(0, 20)}`, organizerId, hash, label],
    },
    {
      sql: `UPDATE api_keys SET revoked_at = CASE WHEN key_hash = ? THEN NULL
          ELSE coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) END
        WHERE organizer_id = ? AND label = ?`,
      params: [hash, organizerId, label],
    },
  ];
}

/**
 * A fresh database, migrated, with the organizer in it; answers the migrations' file names.
 * @param {Batch} batch
 * @param {{ migrationsDir: string, organizer: OrganizerSeed }} options
 */
export async function prepareDatabase(batch, { migrationsDir, organizer }) {
  const migrations = await readMigrations(migrationsDir);
  await applyMigrations(batch, migrations);
  await batch(organizerSeed(organizer));
  return migrations.map((migration) => migration.name);
}

/**
 * A `Batch` over a D1 binding.
 * @param {D1Like} db
 * @returns {Batch}
 */
export function d1Batch(db) {
  return (statements) =>
    db.batch(
      statements.map(
        ({ sql, params = [] }) => /** @type {never} */ (db.prepare(sql).bind(...params)),
      ),
    );
}

/**
 * The statements as one SQL text with their parameters inlined as SQL literals, for
 * `wrangler d1 execute --command`, which takes no parameters.
 * @param {Statement[]} statements
 */
export function sqlScript(statements) {
  return statements
    .map(({ sql, params = [] }) => {
      let next = 0;
      return sql.replace(/\?/g, () => sqlLiteral(params[next++]));
    })
    .join(';\n');
}

/** @param {unknown} value */
function sqlLiteral(value) {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}
