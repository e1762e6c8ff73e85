/**
 * Miniflare, the local workerd behind wrangler, for what runs a local Worker or database
 * outside `wrangler dev`: the browser tests prepare their database with it, the bench serves
 * the whole Worker from it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Miniflare } from 'miniflare';
import { d1Batch } from './d1.mjs';

const require = createRequire(import.meta.url);

/** @typedef {import('./d1.mjs').Batch} Batch */

/**
 * Opens the local D1 database file that a Worker persisting to `d1Persist` opens (the layout
 * of `wrangler dev --persist-to <dir>`: `<dir>/v3/d1`), hands `use` a `Batch` over it, and
 * closes it again.
 * @template T
 * @param {{ d1Persist: string, databaseId: string }} where
 * @param {(batch: Batch) => Promise<T>} use
 * @returns {Promise<T>}
 */
export async function withLocalD1({ d1Persist, databaseId }, use) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default {}',
    d1Persist,
    d1Databases: { DB: databaseId },
  });
  try {
    return await use(d1Batch(await mf.getD1Database('DB')));
  } finally {
    await mf.dispose();
  }
}

/** The installed Miniflare's version, for reports. */
export function miniflareVersion() {
  try {
    return String(
      JSON.parse(readFileSync(require.resolve('miniflare/package.json'), 'utf8')).version,
    );
  } catch {
    return 'unknown';
  }
}
