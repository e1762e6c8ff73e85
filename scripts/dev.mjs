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
 * Plain Node, no dependencies beyond wrangler itself.
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SITE_ORIGIN, startDemoSite } from './dev/demo-site.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEV_VARS = path.join(ROOT, '.dev.vars');
const WRANGLER = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

const DEFAULT_PORT = '8787';
const DEFAULT_DEV_API_KEY = 'tsk_dev_demo';
const DEMO_ORGANIZER_ID = 'org_demo0000000000000000';
const DEMO_EVENT_SLUG = 'night-owls-live';

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */
/** @typedef {Record<string, unknown>} Json */
/** @typedef {{ status: number, body: unknown, text: string }} ApiResponse */
/** @typedef {(method: string, pathname: string, body?: unknown) => Promise<ApiResponse>} Request */

/** @param {string} message */
const log = (message) => console.log(`[dev] ${message}`);
/** @param {string} message */
const warn = (message) => console.warn(`\x1b[33m[dev] warning: ${message}\x1b[0m`);
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));
/** @param {unknown} value @returns {Json} */
const asJson = (value) => (typeof value === 'object' && value !== null ? { ...value } : {});

// ---------------------------------------------------------------------------------------------
// .dev.vars

/** The same line grammar as dotenv 16, which wrangler uses to read .dev.vars. */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** @param {string} text @returns {Map<string, string>} */
function parseDotenv(text) {
  const vars = new Map();
  for (const match of text.replace(/\r\n?/g, '\n').matchAll(DOTENV_LINE)) {
    const raw = (match[2] ?? '').trim();
    let value = raw.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (raw.startsWith('"')) value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    vars.set(match[1] ?? '', value);
  }
  return vars;
}

/** A fresh Ed25519 private key as one-line JWK JSON, the format TICKET_SIGNING_JWK expects. */
function localSigningJwk() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const kid = `local-${randomBytes(4).toString('hex')}`;
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid });
}

/**
 * The secrets wrangler.toml lists under `[secrets] required`, read from the file so a secret
 * added there is generated here without touching this script.
 */
function requiredSecrets() {
  const toml = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
  const list = /^\[secrets\][^[]*?^required\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}

/**
 * Values are written already quoted: single quotes keep the JSON literal for dotenv.
 * @type {Record<string, () => string>}
 */
const GENERATORS = {
  TICKET_SIGNING_JWK: () => `'${localSigningJwk()}'`,
  SANDBOX_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString('hex')}`,
  DEV_API_KEY: () => DEFAULT_DEV_API_KEY,
};
const randomSecret = () => randomBytes(32).toString('hex');

const DEV_VARS_HEADER = `# Local secrets for \`wrangler dev\`, written by \`npm run dev\`. Git-ignored: never commit.
# Existing values are kept; delete a line to have it generated again.
# Optional: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET (test mode) to use Stripe instead of the sandbox.
`;

/**
 * Adds the missing variables to .dev.vars and returns all of them, parsed.
 * @param {string[]} required
 */
function ensureDevVars(required) {
  const existing = existsSync(DEV_VARS) ? readFileSync(DEV_VARS, 'utf8') : null;
  const present = parseDotenv(existing ?? '');
  const wanted = [...new Set([...required, ...Object.keys(GENERATORS)])];
  const missing = wanted.filter((name) => !present.has(name));
  if (missing.length > 0) {
    const generate = (/** @type {string} */ name) => (GENERATORS[name] ?? randomSecret)();
    const lines = missing.map((name) => `${name}=${generate(name)}\n`).join('');
    if (existing === null) {
      writeFileSync(DEV_VARS, DEV_VARS_HEADER + lines, { mode: 0o600 });
    } else {
      appendFileSync(DEV_VARS, (existing.endsWith('\n') || existing === '' ? '' : '\n') + lines);
    }
    log(`.dev.vars: added ${missing.join(', ')}`);
  }
  return parseDotenv(readFileSync(DEV_VARS, 'utf8'));
}

/**
 * Because wrangler.toml has a `[secrets]` section, wrangler dev binds only the required
 * secrets from .dev.vars. The optional ones (DEV_API_KEY, STRIPE_*) are passed as
 * `--var NAME:value` (wrangler shows them as hidden) so the Worker sees them too.
 * @param {Map<string, string>} vars
 * @param {string[]} required
 */
function optionalVarArgs(vars, required) {
  return [...vars]
    .filter(([name]) => !required.includes(name))
    .flatMap(([name, value]) => ['--var', `${name}:${value}`]);
}

// ---------------------------------------------------------------------------------------------
// Command line

/**
 * The last value of a flag given as `--name value` or `--name=value`.
 * @param {string[]} args
 * @param {string[]} names
 */
function flagValue(args, names) {
  /** @type {string | undefined} */
  let value;
  args.forEach((arg, i) => {
    for (const name of names) {
      if (arg === name && i + 1 < args.length) value = args[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  });
  return value;
}

/**
 * Flags of `wrangler dev` that change which local database the D1 commands must touch.
 * @param {string[]} devArgs
 */
function d1ArgsFrom(devArgs) {
  const shared = [['--env', '-e'], ['--config', '-c'], ['--persist-to']];
  return shared.flatMap((names) => {
    const value = flagValue(devArgs, names);
    return value === undefined ? [] : [names[0], value];
  });
}

// ---------------------------------------------------------------------------------------------
// Wrangler

/**
 * Runs a one-shot wrangler command. `CI=true` and no stdin make it take the default answer
 * instead of prompting (`d1 migrations apply` asks "continue?" on a terminal).
 * @param {string[]} args
 * @returns {Promise<{ code: number, output: string }>}
 */
function runWrangler(args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** @param {string[]} d1Args */
async function applyMigrations(d1Args) {
  log('applying local D1 migrations');
  const { code } = await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...d1Args]);
  if (code !== 0) {
    console.error('[dev] could not apply the local D1 migrations (see above); not starting.');
    process.exit(code);
  }
}

/** @param {string} text */
const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

/**
 * The demo organizer and its API key, straight into D1: there is no API to create an
 * organizer. INSERT OR IGNORE makes it safe to run on every start. The key id derives from
 * the hash, so a changed DEV_API_KEY gets its own row; the UPDATE then leaves exactly the
 * current key active for the demo organizer.
 * @param {string} apiKey
 * @param {string[]} d1Args
 */
async function seedOrganizer(apiKey, d1Args) {
  const hash = sha256Hex(apiKey);
  const sql = `
    INSERT OR IGNORE INTO organizers (id, name) VALUES ('${DEMO_ORGANIZER_ID}', 'Demo Organizer');
    INSERT OR IGNORE INTO api_keys (id, organizer_id, key_hash, label)
      VALUES ('key_${hash.slice(0, 20)}', '${DEMO_ORGANIZER_ID}', '${hash}', 'dev');
    UPDATE api_keys SET revoked_at = CASE WHEN key_hash = '${hash}' THEN NULL
        ELSE coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ','now')) END
      WHERE organizer_id = '${DEMO_ORGANIZER_ID}' AND label = 'dev';`;
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

// ---------------------------------------------------------------------------------------------
// Demo event, through the public organizer API (API.md)

/** @param {Date} date */
const isoSeconds = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The demo catalog (the example body of API.md), shared with the tests. */
const DEMO_CATALOG = /** @type {Record<string, unknown>} */ (
  JSON.parse(readFileSync(new URL('./demo-event.json', import.meta.url), 'utf8'))
);

/** The demo event, about three months ahead so it stays on sale. */
function demoEventBody(now = new Date()) {
  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, now.getUTCDate(), 19),
  );
  const end = new Date(start.getTime() + 4 * 60 * 60 * 1000);
  return {
    ...DEMO_CATALOG,
    slug: DEMO_EVENT_SLUG,
    description: 'A late-night showcase of six bands, seeded by `npm run dev` to try Tessera.',
    startsAt: isoSeconds(start),
    endsAt: isoSeconds(end),
    allowedOrigins: [DEMO_SITE_ORIGIN],
  };
}

/**
 * @param {string} baseUrl
 * @param {string} apiKey
 * @returns {Request}
 */
function apiClient(baseUrl, apiKey) {
  return async (method, pathname, body) => {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    /** @type {unknown} */
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
}

/**
 * The response body, or a readable error unless the status is one of the expected ones.
 * @param {ApiResponse} res
 * @param {number[]} statuses
 * @param {string} what
 */
function expect(res, statuses, what) {
  const body = asJson(res.body);
  if (statuses.includes(res.status)) return body;
  const reason = body.detail ?? body.title ?? res.text.slice(0, 200);
  throw new Error(`${what} answered ${res.status}${reason ? `: ${reason}` : ''}`);
}

/**
 * A draft left by an earlier, interrupted seed is not public; find it among ours.
 * @param {Request} request
 * @param {string} slug
 */
async function findOwnEvent(request, slug) {
  const res = await request('GET', '/api/v1/organizer/events');
  if (res.status !== 200) return undefined;
  const list = Array.isArray(res.body)
    ? res.body
    : Object.values(asJson(res.body)).find(Array.isArray);
  return list?.map(asJson).find((event) => event.slug === slug);
}

/**
 * A demo event seeded before the widget existed gets the demo site's origin added.
 * @param {Request} request
 * @param {Record<string, unknown>} publicView
 */
async function allowDemoSite(request, publicView) {
  if (typeof publicView.id !== 'string') return;
  const eventPath = `/api/v1/organizer/events/${publicView.id}`;
  const own = expect(await request('GET', eventPath), [200], `GET ${eventPath}`);
  const origins = Array.isArray(own.allowedOrigins) ? own.allowedOrigins.map(String) : [];
  if (origins.includes(DEMO_SITE_ORIGIN)) return;
  const body = { allowedOrigins: [...origins, DEMO_SITE_ORIGIN] };
  expect(await request('PATCH', eventPath, body), [200], `PATCH ${eventPath}`);
}

/**
 * Creates and publishes the demo event unless it is already on sale; says what it did.
 * @param {Request} request
 */
async function seedDemoEvent(request) {
  const publicView = await request('GET', `/api/v1/events/${DEMO_EVENT_SLUG}`);
  const visible = expect(publicView, [200, 404], `GET /api/v1/events/${DEMO_EVENT_SLUG}`);
  if (publicView.status === 200 && visible.status !== 'draft') {
    await allowDemoSite(request, visible);
    return 'already there';
  }

  let event = publicView.status === 200 ? visible : await findOwnEvent(request, DEMO_EVENT_SLUG);
  if (!event) {
    const created = await request('POST', '/api/v1/organizer/events', demoEventBody());
    event = expect(created, [201], 'POST /api/v1/organizer/events');
  }
  if (typeof event.id !== 'string') throw new Error('the created event has no `id`');
  if (event.status !== 'on_sale') {
    const publishPath = `/api/v1/organizer/events/${event.id}/publish`;
    expect(await request('POST', publishPath), [200, 201, 204], `POST ${publishPath}`);
  }
  return 'created and published';
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
  const required = requiredSecrets();
  const vars = ensureDevVars(required);
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
  const server = startDevServer(devArgs, optionalVarArgs(vars, required));
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
