import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/** A throwaway Ed25519 key for signing ticket codes in tests. */
function testSigningJwk(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'test-key' });
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'd1-migrations'));
  return {
    plugins: [
      cloudflareTest({
        main: './worker/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            // wrangler.toml defaults to production; the Workers tests run as development.
            ENVIRONMENT: 'development',
            TEST_MIGRATIONS: migrations,
            TICKET_SIGNING_JWK: testSigningJwk(),
            SANDBOX_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('hex')}`,
            ORDER_TOKEN_SECRET: randomBytes(32).toString('hex'),
            QUEUE_TOKEN_SECRET: randomBytes(32).toString('hex'),
            DEV_API_KEY: 'tsk_dev_demo',
          },
        },
      }),
    ],
    test: {
      include: ['worker/**/*.test.ts', 'durable-objects/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['test/e2e/**', 'node_modules/**'],
      setupFiles: ['./test/setup/apply-migrations.ts'],
      testTimeout: 30_000,
    },
  };
});
