/**
 * Run by `npm run test:e2e` before the browser tests: finds Chromium, or installs Debian's
 * package when it can (root with apt-get), or stops with the one command to run.
 */
import { ensureBrowser } from './lib/browser.mjs';

try {
  ensureBrowser();
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
