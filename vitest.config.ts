import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { localSecrets } from './scripts/lib/secrets.mjs';
import { readWranglerConfig, requiredSecretNames } from './scripts/lib/wrangler.mjs';

/**
 * wrangler.toml's `[[rules]] type = "Text"` for htmx, for the test pool: with the dependency
 * optimizer on (for ics, below) the pool's own module rules never see that file, and it would
 * run as a module. The Worker gets the same string either way.
 */
const htmxAsText = {
  name: 'htmx-as-text',
  enforce: 'pre' as const,
  resolveId: (id: string) => (id === 'htmx.org/dist/htmx.min.js' ? '\0htmx-text' : null),
  load(id: string) {
    if (id !== '\0htmx-text') return null;
    const file = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
    return `export default ${JSON.stringify(readFileSync(file, 'utf8'))};`;
  },
};

export default defineConfig(async () => {
  // applyD1Migrations (test/setup) takes the pool's own reader's output and records what it
  // applied, since setup files may run more than once.
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'd1-migrations'));
  // Throwaway values for every secret wrangler.toml requires.
  const secrets = localSecrets(requiredSecretNames(await readWranglerConfig()), {
    kid: 'test-key',
  });
  return {
    plugins: [
      htmxAsText,
      cloudflareTest({
        main: './worker/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            // wrangler.toml defaults to production; the Workers tests run as development.
            ENVIRONMENT: 'development',
            TEST_MIGRATIONS: migrations,
            ...secrets,
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
      // Most of a test file's time is spent waiting (queue batches, limiter windows, alarms),
      // not computing: three files at a time on two cores finish sooner with room to spare.
      maxWorkers: 3,
      // ics requires yup, whose ESM build imports names from the CommonJS property-expr; the
      // Workers pool cannot link that, so ics is pre-bundled (wrangler's esbuild does the same).
      deps: { optimizer: { ssr: { enabled: true, include: ['ics'] } } },
    },
  };
});
