import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { apiKeyHash, organizerSeed, prepareDatabase, sqlScript } from './d1.mjs';
import { withLocalD1 } from './miniflare.mjs';
import { mainDatabase, readWranglerConfig } from './wrangler.mjs';

const persist = mkdtempSync(path.join(os.tmpdir(), 'tessera-lib-d1-'));
afterAll(() => rmSync(persist, { recursive: true, force: true }));

const organizer = { organizerId: 'org_lib000000000000000000', name: 'Lib', label: 'dev' };

/** The organizer's keys: hash and whether revoked, oldest first. */
async function keysOf(databaseId: string): Promise<{ key_hash: string; revoked: number }[]> {
  return withLocalD1({ d1Persist: persist, databaseId }, async (batch) => {
    const [result] = (await batch([
      {
        sql: 'SELECT key_hash, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE organizer_id = ? ORDER BY rowid',
        params: [organizer.organizerId],
      },
    ])) as { results: { key_hash: string; revoked: number }[] }[];
    return result?.results ?? [];
  });
}

describe('a local D1 database made ready by scripts/lib', () => {
  test('migrates a fresh database and stores the API key only as its sha-256', async () => {
    const { databaseId, migrationsDir } = mainDatabase(await readWranglerConfig());
    const applied = await withLocalD1({ d1Persist: persist, databaseId }, (batch) =>
      prepareDatabase(batch, { migrationsDir, organizer: { ...organizer, apiKey: 'tsk_one' } }),
    );
    expect(applied.length).toBeGreaterThan(0);
    expect(await keysOf(databaseId)).toEqual([{ key_hash: apiKeyHash('tsk_one'), revoked: 0 }]);
    expect(apiKeyHash('tsk_one')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('seeding again with another key leaves exactly the new key active', async () => {
    const { databaseId } = mainDatabase(await readWranglerConfig());
    for (const apiKey of ['tsk_two', 'tsk_two']) {
      await withLocalD1({ d1Persist: persist, databaseId }, (batch) =>
        batch(organizerSeed({ ...organizer, apiKey })),
      );
    }
    expect(await keysOf(databaseId)).toEqual([
      { key_hash: apiKeyHash('tsk_one'), revoked: 1 },
      { key_hash: apiKeyHash('tsk_two'), revoked: 0 },
    ]);
  });
});

describe('sqlScript, for wrangler d1 execute --command', () => {
  test('inlines parameters as SQL literals, quotes doubled', () => {
    const sql = sqlScript([
      { sql: 'INSERT INTO t (a, b, c) VALUES (?, ?, ?)', params: ["O'Brien", 3, null] },
      { sql: 'DELETE FROM t' },
    ]);
    expect(sql).toBe("INSERT INTO t (a, b, c) VALUES ('O''Brien', 3, NULL);\nDELETE FROM t");
  });
});
