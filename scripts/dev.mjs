/**
 * `npm run dev`: from a fresh clone to a running, seeded Tessera on http://localhost:8787.
 *
 *   1. writes the local secrets that are missing from .dev.vars (existing values are kept),
 *   2. applies the D1 migrations to the local database,
 *   3. inserts the demo organizer and its API key into local D1,
 *   4. starts `wrangler dev --test-scheduled` (extra arguments are passed through:
 *      `npm run dev -- --port 9000`); the cron sweep then runs on `curl …/__scheduled`,
 *   5. once it answers, creates and publishes the demo event through the organizer API.
 *
 * A seeding problem is a warning, never a crash: the dev server keeps running.
 * Plain Node, no dependencies beyond wrangler itself. What the bench and the tests share with
 * it (secrets, the organizer seed, wrangler) is in scripts/lib/.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { d1ArgsFrom, flagValue } from './dev/cli-args.mjs';
import { apiClient, DEMO_EVENT_SLUG, seedDemoEvent } from './dev/demo-event.mjs';
import { DEMO_SITE_ORIGIN, startDemoSite } from './dev/demo-site.mjs';
import { ensureDevVars, optionalVarArgs } from './dev/dev-vars.mjs';
import { organizerSeed, sqlScript } from './lib/d1.mjs';
import {
  ROOT,
  readWranglerConfig,
  requiredSecretNames,
  runWrangler,
  WRANGLER_BIN as WRANGLER,
} from './lib/wrangler.mjs';

const DEFAULT_PORT = '8787';
const DEMO_ORGANIZER_ID = 'org_demo0000000000000000';
const DEMO_OWNER_EMAIL = 'owner@demo.tessera.test';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

/** @param {string} message */
const log = (message) => console.log(`[dev] ${message}`);
/** @param {string} message */
const warn = (message) => console.warn(`\x1b[33m[dev] warning: ${message}\x1b[0m`);
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

// ---------------------------------------------------------------------------------------------
// Wrangler

/** @param {string[]} d1Args */
async function applyMigrations(d1Args) {
  log('applying local D1 migrations');
  const { code } = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...d1Args]);
  if (code !== 0) {
    console.error('[dev] could not apply the local D1 migrations (see above); not starting.');
    process.exit(code);
  }
}

/**
 * The demo workspace's settings and its owner, a person who signs in to /dashboard with
 * the banner's one-click link. INSERT OR IGNORE: safe on every start.
 * @returns {import('./lib/d1.mjs').Statement[]}
 */
function demoOwnerSeed() {
  return [
    {
      sql: `UPDATE organizers SET slug = 'demo', country = 'DE', currency = 'EUR',
          timezone = 'Europe/Berlin' WHERE id = ? AND slug IS NULL`,
      params: [DEMO_ORGANIZER_ID],
    },
    {
      sql: 'INSERT OR IGNORE INTO people (id, email) VALUES (?, ?)',
      params: ['per_demo0000000000000000', DEMO_OWNER_EMAIL],
    },
    {
      sql: `INSERT OR IGNORE INTO memberships (id, person_id, organizer_id, role)
          VALUES (?, ?, ?, 'owner')`,
      params: ['mem_demo0000000000000000', 'per_demo0000000000000000', DEMO_ORGANIZER_ID],
    },
  ];
}

/**
 * The demo organizer, its API key and its owner (who signs in to /dashboard), straight into
 * D1 (there is no API to create an organizer); safe on every start, and a changed
 * DEV_API_KEY replaces the old one.
 * @param {string} apiKey
 * @param {string[]} d1Args
 */
async function seedOrganizer(apiKey, d1Args) {
  const seed = { organizerId: DEMO_ORGANIZER_ID, name: 'Demo Organizer', apiKey, label: 'dev' };
  const sql = sqlScript([...organizerSeed(seed), ...demoOwnerSeed()]);
  const args = ['d1', 'execute', 'DB', '--local', '--command', sql, ...d1Args];
  const { code, output } = await runWrangler(args, { quiet: true });
  if (code !== 0) throw new Error(`wrangler d1 execute failed:\n${output.trim()}`);
}

/**
 * The long-running `wrangler dev`; it owns the terminal (hotkeys, logs).
 * @param {string[]} devArgs
 * @param {string[]} varArgs
 */
function startDevServer(devArgs, varArgs) {
  // --test-scheduled: crons never fire locally; this exposes the sweep at /__scheduled.
  const wranglerArgs = ['dev', '--test-scheduled', ...varArgs, ...devArgs];
  const child = spawn(process.execPath, [WRANGLER, ...wranglerArgs], {
    cwd: ROOT,
    stdio: 'inherit',
    // Local dev needs no real `request.cf`; skipping its download avoids a network error.
    env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...process.env },
  });
  // Ctrl-C on a terminal reaches wrangler directly; this covers `kill` sent to this script.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      if (isRunning(child)) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
  });
  return child;
}

/** @param {ChildProcess} child */
const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/**
 * Resolves true once /healthz answers, false if wrangler exits first. It keeps waiting past a
 * build error: wrangler rebuilds when the code is fixed, and the seed then runs.
 * @param {string} baseUrl
 * @param {ChildProcess} child
 */
async function waitUntilHealthy(baseUrl, child, patienceMs = 60_000) {
  const warnAt = Date.now() + patienceMs;
  let warned = false;
  while (isRunning(child)) {
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    if (!warned && Date.now() > warnAt) {
      warn(`${baseUrl}/healthz does not answer yet; the demo event is seeded once it does.`);
      warned = true;
    }
    await sleep(warned ? 2_000 : 300);
  }
  return false;
}

/**
 * @param {string} baseUrl
 * @param {string} apiKey
 * @param {string} eventNote
 * @param {boolean} demoSite
 */
function printBanner(baseUrl, apiKey, eventNote, demoSite) {
  const lines = [
    `Tessera is running at ${baseUrl}`,
    '',
    `  Demo event   ${baseUrl}/e/${DEMO_EVENT_SLUG}   (${eventNote})`,
    `  Widget demo  ${demoSite ? `${DEMO_SITE_ORIGIN}   (an organizer's site on another origin)` : `port of ${DEMO_SITE_ORIGIN} is taken: not served`}`,
    `  Dev outbox   ${baseUrl}/dev/outbox`,
    `  Dashboard    ${baseUrl}/dev/sign-in?email=${DEMO_OWNER_EMAIL}   (one click: the demo owner)`,
    `  API key      ${apiKey}   (Authorization: Bearer ${apiKey}, from .dev.vars)`,
    '',
    'Press Ctrl-C to stop.',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const rule = '='.repeat(width);
  console.log(`\n${rule}\n${lines.map((line) => (line ? `  ${line}` : '')).join('\n')}\n${rule}\n`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const devArgs = process.argv.slice(2);
  const d1Args = d1ArgsFrom(devArgs);
  const required = requiredSecretNames(await readWranglerConfig());
  const { vars, added } = ensureDevVars(required);
  if (added.length > 0) log(`.dev.vars: added ${added.join(', ')}`);
  const apiKey = vars.get('DEV_API_KEY') ?? '';

  await applyMigrations(d1Args);

  let organizerReady = false;
  if (apiKey === '') {
    warn('DEV_API_KEY is empty in .dev.vars: skipping the demo organizer and event.');
  } else {
    try {
      await seedOrganizer(apiKey, d1Args);
      organizerReady = true;
      log(`demo organizer ${DEMO_ORGANIZER_ID} is in local D1`);
    } catch (error) {
      warn(`could not seed the demo organizer: ${messageOf(error)}`);
    }
  }

  const baseUrl = `http://localhost:${flagValue(devArgs, ['--port']) ?? DEFAULT_PORT}`;
  // wrangler.toml defaults to production: only `npm run dev` makes this development.
  const varArgs = [...optionalVarArgs(vars, required), '--var', 'ENVIRONMENT:development'];
  const server = startDevServer(devArgs, varArgs);
  if (!(await waitUntilHealthy(baseUrl, server))) return;

  let eventNote = 'not seeded, see the warning above';
  if (organizerReady) {
    try {
      eventNote = await seedDemoEvent(apiClient(baseUrl, apiKey));
    } catch (error) {
      warn(`could not seed the demo event "${DEMO_EVENT_SLUG}": ${messageOf(error)}`);
      warn('the dev server keeps running; restart `npm run dev` to try the seed again.');
    }
  }
  const demoSite = await startDemoSite(baseUrl, DEMO_EVENT_SLUG);
  printBanner(baseUrl, apiKey, eventNote, demoSite);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
