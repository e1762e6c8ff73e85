/**
 * Tessera as the browser tests meet it: the Worker from wrangler.toml (Durable Objects, D1,
 * Queues and the static assets with their `_headers`) served by `wrangler`'s
 * `unstable_startWorker` on a free port, with a fresh database: migrated, and seeded with one
 * organizer and its API key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unstable_startWorker } from 'wrangler';
import { organizerSeed, prepareDatabase } from '../../../scripts/lib/d1.mjs';
import { withLocalD1 } from '../../../scripts/lib/miniflare.mjs';
import { localSecrets } from '../../../scripts/lib/secrets.mjs';
import {
  mainDatabase,
  ROOT,
  readWranglerConfig,
  requiredSecretNames,
  WRANGLER_TOML,
} from '../../../scripts/lib/wrangler.mjs';

export { ROOT };

export interface TesseraServer {
  /** `http://127.0.0.1:<port>`: no trailing slash. */
  origin: string;
  /** An organizer API key (`Authorization: Bearer …`) of the seeded organizer. */
  apiKey: string;
  organizerId: string;
  /** The API key of a second organizer in the same database (a buyer's orders across organizers). */
  secondApiKey: string;
  stop(): Promise<void>;
}

/** Starts Tessera; `stop()` disposes it and deletes its database. */
export async function startTessera(
  options: {
    logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
    /** More settings, e.g. the Stripe keys and the stand-in's URLs (stripe-stand-in.ts). */
    bindings?: Record<string, string>;
  } = {},
): Promise<TesseraServer> {
  process.env.WRANGLER_SEND_METRICS = 'false';
  const config = await readWranglerConfig();
  const { databaseId, migrationsDir } = mainDatabase(config);
  const persistDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));
  const seed = {
    organizerId: `org_e2e${randomBytes(8).toString('hex')}`,
    apiKey: `tsk_e2e_${randomBytes(24).toString('hex')}`,
  };
  // The database file the started Worker opens: the layout of `--persist-to <persistDir>`.
  const second = {
    organizerId: `org_e2e${randomBytes(8).toString('hex')}`,
    apiKey: `tsk_e2e_${randomBytes(24).toString('hex')}`,
  };
  await withLocalD1({ d1Persist: path.join(persistDir, 'v3', 'd1'), databaseId }, async (batch) => {
    await prepareDatabase(batch, {
      migrationsDir,
      organizer: { ...seed, name: 'E2E Organizer', label: 'e2e' },
    });
    await batch(organizerSeed({ ...second, name: 'E2E Second Organizer', label: 'e2e' }));
  });
  const secrets = localSecrets(requiredSecretNames(config), { kid: 'e2e-key' });
  const worker = await unstable_startWorker({
    config: WRANGLER_TOML,
    envFiles: [], // never .dev.vars: the tests bring their own secrets
    // wrangler.toml defaults to production; the browser tests run Tessera as development.
    bindings: Object.fromEntries(
      Object.entries({ ...secrets, ...options.bindings, ENVIRONMENT: 'development' }).map(
        ([name, value]) => [name, { type: 'plain_text', value }],
      ),
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
    secondApiKey: second.apiKey,
    async stop() {
      await worker.dispose();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
