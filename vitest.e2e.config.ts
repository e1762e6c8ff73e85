import { defineConfig } from 'vitest/config';

/**
 * The Node-side tests (`npm run test:e2e`): the widget's unit tests (no browser), the tests of
 * scripts/lib (secrets, the local database seed, the browser lookup), and the
 * browser tests in headless Chromium against a locally started Tessera
 * (test/e2e/harness/global-setup.ts). The Workers-runtime tests are vitest.config.ts.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'widget',
          environment: 'node',
          include: ['widget/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'scripts',
          environment: 'node',
          include: ['scripts/**/*.test.ts'],
          // Loading wrangler and starting Miniflare take seconds on a busy machine.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['./test/e2e/harness/global-setup.ts'],
          // One browser at a time: the machine's cores go to workerd and Chromium, not to
          // several Chromiums racing each other.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
