/**
 * Tessera as the browser tests meet it: the Worker from wrangler.toml (Durable Objects, D1,
 * Queues and the static assets with their `_headers`) served by `wrangler`'s
 * `unstable_startWorker` on a free port, with a fresh database: migrated, and seeded with one
 * organizer and its API key.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unstable_readConfig, unstable_splitSqlQuery, unstable_startWorker } from 'wrangler';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const CONFIG = path.join(ROOT, 'wrangler.toml');

/** The fields of a `[[d1_databases]]` entry this harness reads. */
interface D1Config {
  binding: string;
  database_id?: string;
  preview_database_id?: string;
  migrations_dir?: string;
}

export interface TesseraServer {
  /** `http://127.0.0.1:<port>`: no trailing slash. */
  origin: string;
  /** An organizer API key (`Authorization: Bearer …`) of the seeded organizer. */
  apiKey: string;
  organizerId: string;
  stop(): Promise<void>;
}

/** Fresh values for every secret wrangler.toml requires (formats as in vitest.config.ts). */
export function localSecrets(required: readonly string[]): Record<string, string> {
  const generators: Record<string, () => string> = {
    TICKET_SIGNING_JWK: () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'e2e-key' });
    },
    SANDBOX_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString('hex')}`,
  };
  return Object.fromEntries(
    required.map((name) => [name, (generators[name] ?? (() => randomBytes(32).toString('hex')))()]),
  );
}

/** Miniflare comes with wrangler: from the project root when hoisted, else from wrangler's. */
async function loadMiniflare(): Promise<typeof import('miniflare')> {
  try {
    return await import('miniflare');
  } catch {
    const fromWrangler = createRequire(createRequire(CONFIG).resolve('wrangler/package.json'));
    return import(pathToFileURL(fromWrangler.resolve('miniflare')).href);
  }
}

/**
 * Applies d1-migrations/*.sql and seeds the organizer, in the database file that the started
 * Worker will open: `<persist>/v3/d1` under the id from wrangler.toml, the layout
 * `wrangler d1 execute --local --persist-to` uses.
 */
async function prepareDatabase(
  persistDir: string,
  databaseId: string,
  migrationsDir: string,
  seed: { organizerId: string; apiKey: string },
): Promise<void> {
  const { Miniflare } = await loadMiniflare();
  const mf = new Miniflare({
    modules: true,
    script: 'export default {}',
    d1Persist: path.join(persistDir, 'v3', 'd1'),
    d1Databases: { DB: databaseId },
  });
  try {
    const db = await mf.getD1Database('DB');
    const files = readdirSync(migrationsDir)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    for (const file of files) {
      const queries = unstable_splitSqlQuery(readFileSync(path.join(migrationsDir, file), 'utf8'));
      await db.batch(queries.map((sql) => db.prepare(sql)));
    }
    const keyHash = createHash('sha256').update(seed.apiKey).digest('hex');
    await db.batch([
      db
        .prepare('INSERT INTO organizers (id, name) VALUES (?, ?)')
        .bind(seed.organizerId, 'E2E Organizer'),
      db
        .prepare('INSERT INTO api_keys (id, organizer_id, key_hash, label) VALUES (?, ?, ?, ?)')
        .bind(`key_${keyHash.slice(0, 20)}`, seed.organizerId, keyHash, 'e2e'),
    ]);
  } finally {
    await mf.dispose();
  }
}

/** Starts Tessera; `stop()` disposes it and deletes its database. */
export async function startTessera(
  options: { logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none' } = {},
): Promise<TesseraServer> {
  process.env.WRANGLER_SEND_METRICS = 'false';
  const config = unstable_readConfig({ config: CONFIG }, { hideWarnings: true });
  const databases: D1Config[] = config.d1_databases;
  const d1 = databases.find((database) => database.binding === 'DB');
  if (!d1?.database_id) throw new Error('wrangler.toml: no D1 database bound as DB');
  const persistDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));
  const seed = {
    organizerId: `org_e2e${randomBytes(8).toString('hex')}`,
    apiKey: `tsk_e2e_${randomBytes(24).toString('hex')}`,
  };
  await prepareDatabase(
    persistDir,
    d1.preview_database_id ?? d1.database_id,
    path.resolve(ROOT, d1.migrations_dir ?? 'migrations'),
    seed,
  );
  const secrets = localSecrets(config.secrets?.required ?? []);
  const worker = await unstable_startWorker({
    config: CONFIG,
    envFiles: [], // never .dev.vars: the tests bring their own secrets
    // wrangler.toml defaults to production; the browser tests run Tessera as development.
    bindings: Object.fromEntries(
      Object.entries({ ...secrets, ENVIRONMENT: 'development' }).map(([name, value]) => [
        name,
        { type: 'plain_text', value },
      ]),
    ),
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: persistDir,
      watch: false,
      liveReload: false,
      logLevel: options.logLevel ?? 'error',
    },
  });
  try {
    await worker.ready;
  } catch (error) {
    await worker.dispose().catch(() => undefined);
    throw error;
  }
  const origin = (await worker.url).origin;
  return {
    origin,
    ...seed,
    async stop() {
      await worker.dispose();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
