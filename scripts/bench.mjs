/**
 * `npm run bench`: load benchmark of the whole Worker running in workerd, in one run.
 *
 * The Worker is bundled as `wrangler deploy` bundles it and served by Miniflare straight from
 * workerd on 127.0.0.1 (not through `wrangler dev`, whose Node proxy caps a hello-world far below
 * what workerd can do). The bindings mirror wrangler.toml: the SQLite-backed EventInventory
 * Durable Object, D1 with the migrations applied, both queues with their batch settings, fresh
 * local secrets. State lives in a temp dir that is deleted at the end. See scripts/bench/workerd.mjs.
 *
 * Phases, each BENCH_SECONDS after a 1 s warm-up, in one run: on a shared, noisy machine the
 * ratios to the hello-world baseline mean more than the absolute figures.
 *   hello      GET /healthz, the baseline (run again, shorter, at the end: the drift)
 *   reads      GET /api/v1/events/:slug (D1 catalog + the DO's availability)
 *   holds      POST /api/v1/events/:id/holds, 1 ticket each, one event; only 201s count
 *   probes     diagnostics through a bench-only Worker: a bare Worker, an empty DO RPC, one
 *              SQL write in a DO, the EventInventory RPCs (availability, hold) and a D1 point
 *              read, without the app's Hono stack
 *   purchases  virtual buyers loop hold(2) -> checkout -> sandbox pay; the PAYMENTS consumer
 *              marks the order paid and writes the tickets; timed from the first request until
 *              the last order is paid with its tickets in D1
 *   joins      BENCH_JOIN_BURST buyers join one event's waiting room at once (none lost, every
 *              token distinct), then the line fills to BENCH_QUEUE_BUYERS (scripts/bench/waiting-room.mjs)
 *   status     GET /queue/status at full load, rotating through every queued buyer's token,
 *              with the event's DO request rate during the run (it must stay O(1)/s)
 *
 * Settings (environment):
 *   BENCH_SECONDS=10          length of each phase (probes and the closing hello: half)
 *   BENCH_CONNECTIONS=50      autocannon connections; `auto` first tries 10..200 on /healthz
 *   BENCH_BUYERS=100          concurrent purchase pipelines
 *   BENCH_PHASES=…            any of hello,reads,holds,probes,purchases,joins,status (default: all)
 *   BENCH_JOIN_BURST=10000    joins in the burst
 *   BENCH_QUEUE_BUYERS=100000 buyers in line for the status phase
 *   BENCH_DRAIN_SECONDS=30    longest wait for the last order to be paid
 *   BENCH_OUT=bench-results/latest.json
 * Experiments (bench configuration only, never the app):
 *   BENCH_PAYMENTS_BATCH, BENCH_PAYMENTS_TIMEOUT   PAYMENTS max_batch_size / max_batch_timeout
 *   BENCH_NOTIFICATIONS=off   no NOTIFICATIONS consumer (what the e-mails cost the purchase)
 *   BENCH_PERSIST=memory      in-memory storage instead of a temp dir
 *   BENCH_COUNT_D1=1          count the D1 round trips of a purchase (slows the run)
 *
 * Prints a table (and the targets) and writes the results as JSON to BENCH_OUT. Always stops
 * workerd and exits by itself: bounded phases, a watchdog, cleanup on error and on signals.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  doRequestCount,
  joinPhase,
  methodsBetween,
  rotatingStatusRequests,
} from './bench/waiting-room.mjs';
import {
  bundleWorker,
  cpuBetween,
  cpuSnapshot,
  findChildPids,
  loadMiniflare,
  machineInfo,
  miniflareVersion,
  readWranglerConfig,
  startWorkerd,
} from './bench/workerd.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP_PREFIX = 'tessera-bench-';

/** The connection count that gave /healthz its best throughput here (BENCH_CONNECTIONS=auto). */
const DEFAULT_CONNECTIONS = 50;
const DEFAULT_BUYERS = 100;
const CONNECTION_CANDIDATES = [10, 25, 50, 100, 200];
const ALL_PHASES = ['hello', 'reads', 'holds', 'probes', 'purchases', 'joins', 'status'];
const TARGET_STATUS_RATIO = 0.8;
const TARGET_DO_REQUESTS_PER_S = 5;
/** The organizer API caps a ticket type at 1,000,000: far more than any phase sells. */
const BIG_CAPACITY = 1_000_000;
const TICKETS_PER_PURCHASE = 2;
const TARGET_HOLDS_RATIO = 0.6;
const TARGET_TICKETS_PER_S = 1000;

// ---------------------------------------------------------------------------------------------
// Types

/** @typedef {Record<string, unknown>} Json */
/** @typedef {import('./bench/workerd.mjs').CpuUsage} CpuUsage */
/** @typedef {import('./bench/workerd.mjs').CpuSnapshot} CpuSnapshot */
/**
 * @typedef {{ latency: { p50: number, p99: number }, duration: number, errors: number,
 *   timeouts: number, totalRequests: number, statusCodeStats: Record<string, { count: number }>,
 *   errorKinds?: Record<string, number> }} AutocannonResult
 * @typedef {{ stop: () => void, on: (event: 'reqError', listener: (error: Error & { code?: string }) => void) => void }} AutocannonInstance
 * @typedef {(opts: Json, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance} Autocannon
 */
/**
 * One row of the table.
 * @typedef {{ key: string, label: string, unit: string, perSecond: number, count: number,
 *   seconds: number, p50: number | null, p99: number | null, failures: number,
 *   failureDetail: string, cpu: CpuUsage, workerdCpuMsPerOp: number | null }} Figure
 */
/** @typedef {{ id: string, slug: string, ticketTypes: { id: string, key: string }[] }} BenchEvent */
/** @typedef {{ status: number, body: Json, text: string }} ApiResponse */

// ---------------------------------------------------------------------------------------------
// Helpers

/** @param {string} message */
const log = (message) => console.log(`[bench] ${message}`);
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error));
/** @param {unknown} value @returns {Json} */
const asJson = (value) => (typeof value === 'object' && value !== null ? { ...value } : {});
/** @param {number} n @param {number} [digits] */
const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** @param {number | null | undefined} n @param {number} [digits] */
const fmtOpt = (n, digits = 1) => (n === null || n === undefined ? '-' : fmt(n, digits));
/** @param {number[]} values */
const sum = (values) => values.reduce((a, b) => a + b, 0);

/**
 * @param {string} name
 * @param {number | undefined} fallback
 * @param {number} [min]
 * @returns {number | undefined}
 */
function envNumber(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}`);
  return value;
}

/**
 * @param {string} name
 * @param {number} fallback
 */
const envInt = (name, fallback) => envNumber(name, fallback) ?? fallback;

/** @param {number[]} sorted ascending @param {number} q */
function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Settings

const settings = (() => {
  const phases = (process.env.BENCH_PHASES ?? ALL_PHASES.join(','))
    .split(',')
    .map((phase) => phase.trim())
    .filter(Boolean);
  for (const phase of phases) {
    if (!ALL_PHASES.includes(phase)) throw new Error(`BENCH_PHASES: unknown phase "${phase}"`);
  }
  const seconds = envInt('BENCH_SECONDS', 10);
  const autoConnections = process.env.BENCH_CONNECTIONS === 'auto';
  return {
    seconds,
    shortSeconds: Math.max(2, Math.round(seconds / 2)),
    autoConnections,
    connections: autoConnections
      ? DEFAULT_CONNECTIONS
      : envInt('BENCH_CONNECTIONS', DEFAULT_CONNECTIONS),
    buyers: envInt('BENCH_BUYERS', DEFAULT_BUYERS),
    drainSeconds: envInt('BENCH_DRAIN_SECONDS', 30),
    phases,
    paymentsBatchSize: envNumber('BENCH_PAYMENTS_BATCH', undefined),
    paymentsBatchTimeout: envNumber('BENCH_PAYMENTS_TIMEOUT', undefined, 0),
    notificationsConsumer: process.env.BENCH_NOTIFICATIONS !== 'off',
    persistInMemory: process.env.BENCH_PERSIST === 'memory',
    countD1: process.env.BENCH_COUNT_D1 === '1',
    joinBurst: envInt('BENCH_JOIN_BURST', 10_000),
    // Joins in flight at once during the burst (a crowd, not a trickle).
    joinParallel: envInt('BENCH_JOIN_PARALLEL', 256),
    queueBuyers: envInt('BENCH_QUEUE_BUYERS', 100_000),
    outFile: path.resolve(ROOT, process.env.BENCH_OUT ?? 'bench-results/latest.json'),
  };
})();

// ---------------------------------------------------------------------------------------------
// Process lifetime: whatever happens, workerd is stopped and the temp dir removed.

const lifetime = {
  /** @type {import('miniflare').Miniflare | undefined} */
  mf: undefined,
  /** @type {number[]} */
  workerdPids: [],
  /** @type {string | undefined} */
  tmpRoot: undefined,
  /** @type {Set<AutocannonInstance>} */
  loads: new Set(),
  stopBuyers: () => {},
  /** @type {Promise<void> | undefined} */
  cleaning: undefined,
};
const keepAliveAgent = new http.Agent({ keepAlive: true });

/** SIGKILLs the workerd this run started if it still runs (checked: still our child). */
function killLeftoverWorkerd() {
  for (const pid of findChildPids('workerd')) {
    if (!lifetime.workerdPids.includes(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function cleanup() {
  lifetime.cleaning ??= (async () => {
    lifetime.stopBuyers();
    for (const load of lifetime.loads) load.stop();
    keepAliveAgent.destroy();
    const mf = lifetime.mf;
    lifetime.mf = undefined;
    if (mf) await Promise.race([mf.dispose().catch(() => {}), sleep(10_000)]);
    killLeftoverWorkerd(); // only if dispose() did not stop it
    if (lifetime.tmpRoot) rmSync(lifetime.tmpRoot, { recursive: true, force: true });
  })();
  return lifetime.cleaning;
}

// wrangler and Miniflare install signal handlers of their own that exit at once, so the last
// step is also taken synchronously at exit, whoever calls process.exit().
process.on('exit', () => {
  killLeftoverWorkerd();
  if (lifetime.tmpRoot) rmSync(lifetime.tmpRoot, { recursive: true, force: true });
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: stopping workerd`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Temp dirs of earlier runs that were killed outright (their owner pid is gone). */
function removeStaleTempDirs() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      process.kill(owner, 0); // still running: leave it alone
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code === 'ESRCH') {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * JSON over a keep-alive agent (node:http costs this process far less per request than fetch).
 * @param {URL} base
 * @param {string} method
 * @param {string} pathname
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 * @param {boolean} [retried]
 * @returns {Promise<ApiResponse>}
 */
function request(base, method, pathname, body, headers = {}, retried = false) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: pathname,
        method,
        agent: keepAliveAgent,
        headers: {
          accept: 'application/json',
          // An explicit empty body: a body the Worker never reads (or chunked framing) makes
          // workerd close the keep-alive connection, and the agent's next request on it fails.
          ...(payload === undefined
            ? { 'content-length': 0 }
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          /** @type {unknown} */
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: asJson(parsed), text });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${pathname}: timed out`)));
    req.on('error', (error) => {
      // The keep-alive race Node's docs describe: workerd closed an idle connection just as
      // the agent reused it, and the request never reached the Worker. Sending it again is
      // safe then, and always for a GET.
      const code = /** @type {{ code?: string }} */ (error).code;
      if (code === 'ECONNRESET' && !retried && (req.reusedSocket || method === 'GET')) {
        request(base, method, pathname, body, headers, true).then(resolve, reject);
      } else reject(error);
    });
    req.end(payload);
  });
}

/**
 * Statements in one D1 batch, through the bench's probe Worker; answers each one's rows.
 * @param {URL} base
 * @param {{ sql: string, params?: unknown[] }[]} statements
 * @returns {Promise<Json[][]>}
 */
async function d1(base, statements) {
  const res = await request(base, 'POST', '/__bench/d1', { statements });
  if (res.status !== 200) throw new Error(`D1: ${res.status} ${res.text.slice(0, 300)}`);
  const results = /** @type {unknown} */ (JSON.parse(res.text));
  if (!Array.isArray(results)) return [];
  return results.map((rows) => (Array.isArray(rows) ? rows.map(asJson) : []));
}

// ---------------------------------------------------------------------------------------------
// Seeding: migrations and the organizer straight into D1, events through the organizer API.

/** @param {URL} base */
async function migrate(base) {
  const dir = path.join(ROOT, 'd1-migrations');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  for (const file of files) {
    const statements = readFileSync(path.join(dir, file), 'utf8')
      .split('--> statement-breakpoint') // drizzle-kit's separator
      .map((sql) => sql.trim())
      .filter(Boolean);
    await d1(
      base,
      statements.map((sql) => ({ sql })),
    );
  }
  return files;
}

/**
 * An organizer and its API key (stored as the key's hex SHA-256): there is no API for that.
 * @param {URL} base
 * @returns {Promise<string>} the API key
 */
async function seedOrganizer(base) {
  const organizerId = `org_bench${randomBytes(8).toString('hex')}`;
  const apiKey = `tsk_bench_${randomBytes(24).toString('hex')}`;
  const keyHash = createHash('sha256').update(apiKey).digest('hex');
  await d1(base, [
    { sql: 'INSERT INTO organizers (id, name) VALUES (?, ?)', params: [organizerId, 'Bench'] },
    {
      sql: 'INSERT INTO api_keys (id, organizer_id, key_hash, label) VALUES (?, ?, ?, ?)',
      params: [`key_${keyHash.slice(0, 20)}`, organizerId, keyHash, 'bench'],
    },
  ]);
  return apiKey;
}

/**
 * @param {URL} base
 * @param {string} apiKey
 * @param {string} slug
 * @param {Json} [waitingRoom]
 * @returns {Promise<BenchEvent>}
 */
async function createPublishedEvent(base, apiKey, slug, waitingRoom = { mode: 'off' }) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const start = new Date(Date.now() + 90 * 24 * 3600 * 1000);
  start.setUTCHours(19, 0, 0, 0);
  const body = {
    title: `Bench ${slug}`,
    slug,
    description: 'Load benchmark event.',
    startsAt: start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    endsAt: null,
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    venue: { name: 'Bench Hall', city: 'Berlin', country: 'DE' },
    salesStartAt: null,
    salesEndAt: null,
    holdMinutes: 30,
    maxPerOrder: 10,
    ticketTypes: [{ key: 'ga', name: 'General', priceMinor: 3900, capacity: BIG_CAPACITY }],
    quotas: [{ name: 'Venue', size: BIG_CAPACITY, ticketTypes: ['ga'] }],
    waitingRoom,
  };
  const created = await request(base, 'POST', '/api/v1/organizer/events', body, auth);
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${created.text}`);
  const event = /** @type {BenchEvent} */ (/** @type {unknown} */ (created.body));
  const publish = `/api/v1/organizer/events/${event.id}/publish`;
  const published = await request(base, 'POST', publish, undefined, auth);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${published.text}`);
  return event;
}

/** @param {BenchEvent} event */
function ticketTypeOf(event) {
  const type = event.ticketTypes.find((t) => t.key === 'ga') ?? event.ticketTypes[0];
  if (!type) throw new Error(`event ${event.id} has no ticket type`);
  return type.id;
}

// ---------------------------------------------------------------------------------------------
// Fixed-duration load with autocannon

const require = createRequire(import.meta.url);
const autocannon = /** @type {Autocannon} */ (require('autocannon'));

/**
 * @param {Json} opts
 * @returns {Promise<AutocannonResult>}
 */
function runAutocannon(opts) {
  return new Promise((resolve, reject) => {
    /** @type {Record<string, number>} */
    const errorKinds = {};
    const instance = autocannon(
      { ...opts, renderProgressBar: false, renderResultsTable: false },
      (err, result) => {
        lifetime.loads.delete(instance);
        if (err) reject(err);
        else resolve({ ...result, errorKinds });
      },
    );
    instance.on('reqError', (error) => {
      const kind = error.code ?? error.message;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    });
    lifetime.loads.add(instance);
  });
}

/**
 * One phase: a 1 s warm-up, then the measured run. Only `okStatus` answers count.
 * @param {{ key: string, label: string, url: string, connections: number, seconds: number,
 *   method?: string, body?: string, okStatus: number, unit?: string,
 *   requests?: Json[], headers?: Record<string, string>,
 *   afterWarmUp?: () => Promise<void> }} spec
 * @returns {Promise<Figure>}
 */
async function loadPhase(spec) {
  const opts = {
    url: spec.url,
    connections: spec.connections,
    method: spec.method ?? 'GET',
    body: spec.body,
    headers: { ...(spec.body ? { 'content-type': 'application/json' } : {}), ...spec.headers },
    requests: spec.requests,
    timeout: 10,
  };
  await runAutocannon({ ...opts, duration: 1 }); // JIT, connections, Durable Object wake-up
  await spec.afterWarmUp?.();
  const before = cpuSnapshot(lifetime.workerdPids);
  const result = await runAutocannon({ ...opts, duration: spec.seconds });
  const cpu = cpuBetween(
    before,
    cpuSnapshot(lifetime.workerdPids),
    lifetime.workerdPids.length > 0,
  );
  const ok = String(spec.okStatus);
  const count = result.statusCodeStats[ok]?.count ?? 0;
  const others = Object.entries(result.statusCodeStats).filter(([status]) => status !== ok);
  const failureDetail = [
    ...others.map(([status, { count: n }]) => `${n}x ${status}`),
    ...Object.entries(result.errorKinds ?? {}).map(([kind, n]) => `${n}x ${kind}`),
  ].join(', ');
  /** @type {Figure} */
  const figure = {
    key: spec.key,
    label: spec.label,
    unit: spec.unit ?? 'req/s',
    perSecond: count / result.duration,
    count,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon counts a timeout as an error as well
    failures: sum(others.map(([, { count: n }]) => n)) + result.errors,
    failureDetail,
    cpu,
    workerdCpuMsPerOp: cpu.workerdCpuMs !== null && count > 0 ? cpu.workerdCpuMs / count : null,
  };
  log(
    `${spec.label}: ${fmt(figure.perSecond)} ${figure.unit}, p50 ${figure.p50} ms, ` +
      `p99 ${figure.p99} ms${failureDetail ? ` (${failureDetail})` : ''}, ` +
      `workerd CPU ${fmtOpt(cpu.workerdCpuPct, 0)}%`,
  );
  return figure;
}

/**
 * BENCH_CONNECTIONS=auto: the connection count that gives /healthz its best throughput.
 * @param {URL} base
 */
async function tuneConnections(base) {
  let best = DEFAULT_CONNECTIONS;
  let bestRps = 0;
  /** @type {Record<string, number>} */
  const tried = {};
  for (const connections of CONNECTION_CANDIDATES) {
    const url = new URL('/healthz', base).href;
    const result = await runAutocannon({ url, connections, duration: 3 });
    const rps = (result.statusCodeStats['200']?.count ?? 0) / result.duration;
    tried[connections] = Math.round(rps);
    log(`  ${connections} connections: ${fmt(rps)} req/s`);
    if (rps > bestRps) {
      bestRps = rps;
      best = connections;
    }
  }
  return { best, tried };
}

// ---------------------------------------------------------------------------------------------
// Purchases

/**
 * @param {URL} base
 * @param {string} eventId
 */
async function paidState(base, eventId) {
  const [rows] = await d1(base, [
    {
      sql: `SELECT
          (SELECT COUNT(*) FROM orders WHERE event_id = ?1 AND status = 'paid') AS paid,
          (SELECT COUNT(*) FROM tickets WHERE event_id = ?1) AS tickets,
          (SELECT MIN(paid_at) FROM orders WHERE event_id = ?1) AS firstPaidAt,
          (SELECT MAX(paid_at) FROM orders WHERE event_id = ?1) AS lastPaidAt,
          (SELECT COUNT(*) FROM orders
            WHERE event_id = ?1 AND status NOT IN ('paid', 'pending_payment')) AS other`,
      params: [eventId],
    },
  ]);
  const row = rows?.[0] ?? {};
  /** @param {unknown} iso */
  const time = (iso) => (typeof iso === 'string' ? Date.parse(iso) : null);
  return {
    paid: Number(row.paid ?? 0),
    tickets: Number(row.tickets ?? 0),
    firstPaidAt: time(row.firstPaidAt),
    lastPaidAt: time(row.lastPaidAt),
    other: Number(row.other ?? 0),
  };
}

/**
 * Virtual buyers, each looping hold(2) -> checkout -> sandbox pay for `seconds`; then waits
 * until every accepted payment has its order paid and its tickets in D1.
 * @param {URL} base
 * @param {BenchEvent} event
 * @param {{ buyers: number, seconds: number, drainSeconds: number }} opts
 * @param {() => { batches: number, messages: number, batchMs: number[] }} queueStats
 */
async function purchasePhase(base, event, opts, queueStats) {
  const ticketTypeId = ticketTypeOf(event);
  /** @type {Record<string, number>} */
  const failures = {};
  /** @param {string} key */
  const fail = (key) => {
    failures[key] = (failures[key] ?? 0) + 1;
  };
  /** @type {number[]} */
  const pipelineMs = [];
  /** @type {Record<'hold' | 'checkout' | 'pay', number[]>} */
  const stepMs = { hold: [], checkout: [], pay: [] };
  let accepted = 0;
  let stopped = false;
  lifetime.stopBuyers = () => {
    stopped = true;
  };

  /** @param {number} i */
  const buyer = async (i) => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        const hold = await request(base, 'POST', `/api/v1/events/${event.id}/holds`, {
          items: [{ ticketTypeId, quantity: TICKETS_PER_PURCHASE }],
        });
        const t1 = performance.now();
        stepMs.hold.push(t1 - t0);
        if (hold.status !== 201) {
          fail(`hold ${hold.status}`);
          continue;
        }
        const checkout = await request(
          base,
          'POST',
          '/api/v1/checkout',
          { holdId: hold.body.holdId, buyer: { name: `Buyer ${i}`, email: `b${i}@example.com` } },
          { 'idempotency-key': randomUUID() },
        );
        const t2 = performance.now();
        stepMs.checkout.push(t2 - t1);
        const payment = asJson(checkout.body.payment);
        if (checkout.status !== 201 || typeof payment.paymentId !== 'string') {
          fail(`checkout ${checkout.status}`);
          continue;
        }
        const pay = await request(base, 'POST', `/sandbox/pay/${payment.paymentId}`, {
          outcome: 'succeed',
        });
        stepMs.pay.push(performance.now() - t2);
        if (pay.status !== 202) {
          fail(`pay ${pay.status}`);
          continue;
        }
        accepted += 1;
        pipelineMs.push(performance.now() - t0);
      } catch (error) {
        fail(`network: ${messageOf(error).slice(0, 60)}`);
      }
    }
  };

  const queueBefore = queueStats();
  const before = cpuSnapshot(lifetime.workerdPids);
  const startedAt = Date.now();
  const stopTimer = setTimeout(() => {
    stopped = true;
  }, opts.seconds * 1000);
  /** @type {{ t: number, accepted: number, paid: number }[]} */
  const timeline = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(1000);
      const state = sampling ? await paidState(base, event.id).catch(() => null) : null;
      if (state) timeline.push({ t: (Date.now() - startedAt) / 1000, accepted, paid: state.paid });
    }
  })();
  await Promise.all(Array.from({ length: opts.buyers }, (_, i) => buyer(i)));
  clearTimeout(stopTimer);
  const driveEnd = Date.now();
  const haveWorkerd = lifetime.workerdPids.length > 0;
  const driveCpu = cpuBetween(before, cpuSnapshot(lifetime.workerdPids), haveWorkerd);

  let state = await paidState(base, event.id);
  const paidAtStop = state.paid;
  const wanted = () => state.paid >= accepted && state.tickets >= accepted * TICKETS_PER_PURCHASE;
  const drainDeadline = Date.now() + opts.drainSeconds * 1000;
  while (!wanted() && Date.now() < drainDeadline) {
    await sleep(100);
    state = await paidState(base, event.id);
  }
  const detectedAt = Date.now();
  sampling = false;
  await sampler;
  const cpu = cpuBetween(before, cpuSnapshot(lifetime.workerdPids), haveWorkerd);
  // The last order's paid_at (the Worker's clock, same machine); the poll is the upper bound.
  const lastPaidAt = Math.min(state.lastPaidAt ?? detectedAt, detectedAt);
  const windowS = Math.max(0.001, (lastPaidAt - startedAt) / 1000);
  const driveS = (driveEnd - startedAt) / 1000;
  const queueAfter = queueStats();
  const batchMs = queueAfter.batchMs.slice(queueBefore.batchMs.length).sort((a, b) => a - b);
  const batches = queueAfter.batches - queueBefore.batches;
  const messages = queueAfter.messages - queueBefore.messages;
  /** @param {number[]} values */
  const p50p99 = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const [p50, p99] = [quantile(sorted, 0.5), quantile(sorted, 0.99)];
    return {
      p50: p50 === null ? null : Math.round(p50),
      p99: p99 === null ? null : Math.round(p99),
    };
  };
  return {
    accepted,
    paid: state.paid,
    tickets: state.tickets,
    otherStates: state.other,
    complete: wanted(),
    windowS,
    driveS,
    drainS: (lastPaidAt - driveEnd) / 1000,
    firstPaidAfterS: state.firstPaidAt === null ? null : (state.firstPaidAt - startedAt) / 1000,
    paidAtStop,
    purchasesPerS: state.paid / windowS,
    ticketsPerS: state.tickets / windowS,
    apiPipelinesPerS: accepted / driveS,
    pipeline: p50p99(pipelineMs),
    steps: {
      hold: p50p99(stepMs.hold),
      checkout: p50p99(stepMs.checkout),
      pay: p50p99(stepMs.pay),
    },
    failures,
    failureCount: sum(Object.values(failures)),
    driveCpu,
    cpu,
    queue: {
      batches,
      messages,
      avgBatchSize: batches > 0 ? messages / batches : null,
      batchMsP50: quantile(batchMs, 0.5),
      batchMsP99: quantile(batchMs, 0.99),
    },
    timeline,
  };
}

/** @typedef {Awaited<ReturnType<typeof purchasePhase>>} PurchaseResult */

/**
 * The purchase as rows of the table.
 * @param {PurchaseResult} p
 * @returns {Figure[]}
 */
function purchaseFigures(p) {
  const detail = Object.entries(p.failures)
    .map(([kind, n]) => `${n}x ${kind}`)
    .join(', ');
  const cpuMs = p.cpu.workerdCpuMs !== null && p.paid > 0 ? p.cpu.workerdCpuMs / p.paid : null;
  const unpaid = p.accepted - p.paid;
  return [
    {
      key: 'purchases',
      label: 'complete purchases: hold 2 > checkout > pay > paid+tickets',
      unit: 'purchases/s',
      perSecond: p.purchasesPerS,
      count: p.paid,
      seconds: p.windowS,
      p50: p.pipeline.p50,
      p99: p.pipeline.p99,
      failures: p.failureCount + unpaid,
      failureDetail: [detail, unpaid > 0 ? `${unpaid} never paid` : ''].filter(Boolean).join(', '),
      cpu: p.cpu,
      workerdCpuMsPerOp: cpuMs,
    },
    {
      key: 'tickets',
      label: 'tickets issued (purchases x 2)',
      unit: 'tickets/s',
      perSecond: p.ticketsPerS,
      count: p.tickets,
      seconds: p.windowS,
      p50: null,
      p99: null,
      failures: 0,
      failureDetail: '',
      cpu: p.cpu,
      workerdCpuMsPerOp: cpuMs === null ? null : cpuMs / TICKETS_PER_PURCHASE,
    },
    {
      key: 'purchase-api',
      label: '  API part while buyers ran: hold+checkout+pay',
      unit: 'pipelines/s',
      perSecond: p.apiPipelinesPerS,
      count: p.accepted,
      seconds: p.driveS,
      p50: null,
      p99: null,
      failures: p.failureCount,
      failureDetail: detail,
      cpu: p.driveCpu,
      workerdCpuMsPerOp:
        p.driveCpu.workerdCpuMs !== null && p.accepted > 0
          ? p.driveCpu.workerdCpuMs / p.accepted
          : null,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Waiting room

/**
 * The join burst, then status polls by every queued buyer. The room admits slowly on purpose
 * (activeLimit 50, 60 per minute), so nearly everybody is still waiting while they poll.
 * @param {URL} base
 * @param {string} apiKey
 * @param {string} tag
 * @param {number} connections
 */
async function waitingRoomPhases(base, apiKey, tag, connections) {
  const s = settings;
  const room = { mode: 'always', activeLimit: 50, admitPerMinute: 60, admissionMinutes: 10 };
  const event = await createPublishedEvent(base, apiKey, `bench-queue-${tag}`, room);
  /** @type {import('./bench/waiting-room.mjs').Tools} */
  const tools = {
    request,
    log,
    cpuSnapshot: () => cpuSnapshot(lifetime.workerdPids),
    cpuBetween: (from, to) =>
      cpuBetween(
        /** @type {CpuSnapshot} */ (from),
        /** @type {CpuSnapshot} */ (to),
        lifetime.workerdPids.length > 0,
      ),
  };
  log(`joins: a burst of ${fmt(s.joinBurst)}, ${s.joinParallel} in flight`);
  const joined = await joinPhase(tools, base, event.id, {
    burst: s.joinBurst,
    queueBuyers: s.phases.includes('status') ? s.queueBuyers : s.joinBurst,
    parallel: s.joinParallel,
  });
  const { tokens, ...joins } = joined;
  // What one join costs the DO alone (no Hono, no token signing), on a line of its own.
  const probeEvent = await createPublishedEvent(base, apiKey, `bench-queue-probe-${tag}`, room);
  const doJoin = await loadPhase({
    key: 'probe-do-join',
    label: 'probe: DO joinQueue() RPC',
    url: new URL(`/__bench/do-join?event=${probeEvent.id}`, base).href,
    connections,
    seconds: s.shortSeconds,
    okStatus: 201,
  });
  const burstFailures = Object.entries(joins.check.failures);
  /** @type {Figure[]} */
  const figures = [
    {
      key: 'queue-joins',
      label: `queue joins, a burst of ${fmt(s.joinBurst)}`,
      unit: 'joins/s',
      perSecond: joins.perSecond,
      count: joins.check.answered201,
      seconds: joins.seconds,
      p50: null,
      p99: null,
      failures: s.joinBurst - joins.check.answered201,
      failureDetail: burstFailures.map(([kind, n]) => `${n}x ${kind}`).join(', '),
      cpu: /** @type {CpuUsage} */ ({ ...joins.cpu, nodeCpuPct: 0, machineBusyPct: null }),
      workerdCpuMsPerOp: joins.workerdCpuMsPerJoin,
    },
    doJoin,
  ];
  /** @type {{ doRequests: number, byMethod: Record<string, number>, warmUpByMethod: Record<string, number>, seconds: number, doRequestsPerSecond: number, queued: number } | undefined} */
  let status;
  if (s.phases.includes('status') && tokens.length > 0) {
    const pathname = `/api/v1/events/${event.id}/queue/status`;
    log(`status: ${fmt(tokens.length)} queued buyers poll, each request another buyer's token`);
    const beforeWarmUp = await doRequestCount(tools, base, event.id);
    let before = beforeWarmUp;
    let t0 = performance.now();
    const figure = await loadPhase({
      key: 'queue-status',
      label: `queue status, ${fmt(tokens.length)} buyers' tokens`,
      url: new URL(pathname, base).href,
      requests: rotatingStatusRequests(pathname, tokens),
      connections,
      seconds: s.seconds,
      okStatus: 200,
      // The measured run starts after the 1 s warm-up: the warm-up's polls reach the buyers
      // the room admitted while the line filled (nobody polled then), and each claims once.
      afterWarmUp: async () => {
        before = await doRequestCount(tools, base, event.id);
        t0 = performance.now();
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const after = await doRequestCount(tools, base, event.id);
    const doRequests = after.requests - before.requests;
    status = {
      doRequests,
      byMethod: methodsBetween(before, after),
      warmUpByMethod: methodsBetween(beforeWarmUp, before),
      seconds,
      doRequestsPerSecond: doRequests / seconds,
      queued: tokens.length,
    };
    log(
      `status: the DO served ${doRequests} requests in ${fmt(seconds, 1)}s ` +
        `(${fmt(status.doRequestsPerSecond, 2)}/s: ${JSON.stringify(status.byMethod)}) ` +
        `while ${fmt(figure.count)} polls were answered; in the 1 s warm-up before it: ` +
        JSON.stringify(status.warmUpByMethod),
    );
    figures.push(figure);
  }
  return { figures, joins, status };
}

// ---------------------------------------------------------------------------------------------
// Report

/**
 * @param {string[][]} rows the first one is the header
 * @param {boolean[]} rightAlign
 */
function table(rows, rightAlign) {
  const widths = (rows[0] ?? []).map((_, col) =>
    Math.max(...rows.map((row) => (row[col] ?? '').length)),
  );
  const line = (/** @type {string[]} */ row) =>
    row
      .map((cell, col) =>
        rightAlign[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const [header = [], ...body] = rows;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const s = settings;
  const watchdogMs = (90 + s.seconds * 12 + s.drainSeconds + (s.autoConnections ? 20 : 0)) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`[bench] watchdog: still running after ${watchdogMs / 1000}s; stopping`);
    cleanup().finally(() => process.exit(2));
  }, watchdogMs);
  watchdog.unref();

  removeStaleTempDirs();
  const tmpRoot = mkdtempSync(path.join(tmpdir(), TMP_PREFIX));
  lifetime.tmpRoot = tmpRoot;
  writeFileSync(path.join(tmpRoot, 'owner.pid'), String(process.pid));
  const machine = machineInfo();
  log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${machine.loadavg.join(' ')}`);

  log('bundling the Worker (wrangler deploy --dry-run)');
  const [scriptPath, config, miniflare] = await Promise.all([
    bundleWorker(ROOT, path.join(tmpRoot, 'bundle')),
    readWranglerConfig(ROOT),
    loadMiniflare(),
  ]);

  // What workerd and Miniflare say: queue batch lines, D1 counts, errors (kept for the report).
  /** @type {{ kind: string, line: string }[]} */
  const recentLogs = [];
  /** @type {Record<string, number>} */
  const logCounts = {};
  /** @type {Map<string, number>} */
  const d1Calls = new Map();
  /** @type {number[]} */
  const batchMs = [];
  const queue = { batches: 0, messages: 0, batchMs };
  /** @type {import('./bench/workerd.mjs').OnLog} */
  const onLog = (kind, line) => {
    if (kind === 'queue') {
      const match = /^QUEUE (\S+) (\d+)\/(\d+)(?: \((\d+)ms\))?/.exec(line);
      if (match?.[1]?.includes('payments')) {
        queue.batches += 1;
        queue.messages += Number(match[3]);
        if (match[4]) batchMs.push(Number(match[4]));
      }
    } else if (kind === 'd1') {
      d1Calls.set(line, (d1Calls.get(line) ?? 0) + 1);
    } else {
      const level = /"level":"(\w+)"/.exec(line)?.[1] ?? kind;
      logCounts[level] = (logCounts[level] ?? 0) + 1;
      recentLogs.push({ kind: level, line: line.slice(0, 400) });
      if (recentLogs.length > 20) recentLogs.shift();
    }
  };

  log(`starting workerd (Miniflare, ${s.persistInMemory ? 'in-memory' : 'temp dir'} storage)`);
  const runtime = await startWorkerd(
    miniflare,
    config,
    scriptPath,
    {
      paymentsBatchSize: s.paymentsBatchSize,
      paymentsBatchTimeout: s.paymentsBatchTimeout,
      notificationsConsumer: s.notificationsConsumer,
      countD1: s.countD1,
      persistDir: s.persistInMemory ? null : path.join(tmpRoot, 'state'),
    },
    onLog,
  ).catch((error) => {
    for (const entry of recentLogs) console.error(`  [${entry.kind}] ${entry.line}`);
    throw error;
  });
  lifetime.mf = runtime.mf;
  lifetime.workerdPids = runtime.pids;
  const base = runtime.url;
  log(`listening on ${base.origin}; workerd pid ${runtime.pids.join(', ') || 'unknown'}`);

  const files = await migrate(base);
  const apiKey = await seedOrganizer(base);
  const tag = randomBytes(3).toString('hex');
  const holdEvent = await createPublishedEvent(base, apiKey, `bench-holds-${tag}`);
  const buyEvent = await createPublishedEvent(base, apiKey, `bench-buy-${tag}`);
  const probeEvent = await createPublishedEvent(base, apiKey, `bench-probe-${tag}`);
  log(`${files.length} migration file(s) applied; 3 events on sale`);

  let connections = s.connections;
  /** @type {Record<string, number> | undefined} */
  let connectionSweep;
  if (s.autoConnections) {
    log('BENCH_CONNECTIONS=auto: the best connection count for /healthz');
    const tuned = await tuneConnections(base);
    connections = tuned.best;
    connectionSweep = tuned.tried;
  }
  const url = (/** @type {string} */ p) => new URL(p, base).href;
  log(
    `phases: ${s.phases.join(', ')}; ${s.seconds}s each, ${connections} connections, ${s.buyers} buyers`,
  );

  /** @type {Figure[]} */
  const figures = [];
  /** @param {number} seconds @param {boolean} again */
  const hello = async (seconds, again) => {
    figures.push(
      await loadPhase({
        key: again ? 'hello-again' : 'hello',
        label: again ? 'hello-world again, at the end' : 'hello-world GET /healthz',
        url: url('/healthz'),
        connections,
        seconds,
        okStatus: 200,
      }),
    );
  };

  if (s.phases.includes('hello')) await hello(s.seconds, false);
  if (s.phases.includes('reads')) {
    figures.push(
      await loadPhase({
        key: 'reads',
        label: 'event reads GET /api/v1/events/:slug',
        url: url(`/api/v1/events/${holdEvent.slug}`),
        connections,
        seconds: s.seconds,
        okStatus: 200,
      }),
    );
  }
  if (s.phases.includes('holds')) {
    figures.push(
      await loadPhase({
        key: 'holds',
        label: 'holds POST /events/:id/holds, 1 ticket',
        unit: 'holds/s',
        url: url(`/api/v1/events/${holdEvent.id}/holds`),
        method: 'POST',
        body: JSON.stringify({ items: [{ ticketTypeId: ticketTypeOf(holdEvent), quantity: 1 }] }),
        connections,
        seconds: s.seconds,
        okStatus: 201,
      }),
    );
  }
  if (s.phases.includes('probes')) {
    const q = `event=${probeEvent.id}&type=${ticketTypeOf(probeEvent)}`;
    /** @type {[string, string, string, number][]} */
    const probes = [
      ['probe-hello', 'probe: bare Worker (no Hono)', '/__bench/hello', 200],
      ['probe-do-ping', 'probe: empty DO RPC (floor)', '/__bench/do-ping', 200],
      ['probe-do-write', 'probe: DO RPC + 1 SQL UPDATE', '/__bench/do-write', 200],
      ['probe-do-read', 'probe: DO availability() RPC', `/__bench/do-read?${q}`, 200],
      ['probe-do-hold', 'probe: DO hold() RPC, 1 ticket', `/__bench/do-hold?${q}`, 201],
      ['probe-d1-read', 'probe: D1 point read', `/__bench/d1-read?${q}`, 200],
    ];
    for (const [key, label, p, okStatus] of probes) {
      figures.push(
        await loadPhase({
          key,
          label,
          url: url(p),
          connections,
          seconds: s.shortSeconds,
          okStatus,
        }),
      );
    }
  }

  /** @type {PurchaseResult | undefined} */
  let purchases;
  /** @type {{ roundTrips: number, calls: Record<string, number> } | undefined} */
  let d1PerPurchase;
  if (s.phases.includes('purchases')) {
    log(`purchases: ${s.buyers} buyers for ${s.seconds}s, then until the last order is paid`);
    const d1Before = new Map(d1Calls);
    purchases = await purchasePhase(
      base,
      buyEvent,
      { buyers: s.buyers, seconds: s.seconds, drainSeconds: s.drainSeconds },
      () => ({ batches: queue.batches, messages: queue.messages, batchMs: [...batchMs] }),
    );
    const p = purchases;
    log(
      `purchases: ${p.paid}/${p.accepted} paid, ${p.tickets} tickets in ${fmt(p.windowS, 2)}s: ` +
        `${fmt(p.purchasesPerS)} purchases/s, ${fmt(p.ticketsPerS)} tickets/s` +
        `${p.complete ? '' : ' (INCOMPLETE: the drain timed out)'}`,
    );
    if (s.countD1 && p.paid > 0) {
      const calls = [...d1Calls]
        .map(
          ([call, n]) =>
            /** @type {[string, number]} */ ([call, (n - (d1Before.get(call) ?? 0)) / p.paid]),
        )
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      d1PerPurchase = {
        roundTrips: sum(calls.map(([, n]) => n)),
        calls: Object.fromEntries(calls),
      };
      log(`D1 round trips per purchase: ${fmt(d1PerPurchase.roundTrips, 1)}`);
      for (const [call, n] of calls) log(`  ${fmt(n, 2).padStart(5)}  ${call}`);
    }
    figures.push(...purchaseFigures(p));
  }
  /** @type {Awaited<ReturnType<typeof waitingRoomPhases>> | undefined} */
  let waitingRoom;
  if (s.phases.includes('joins') || s.phases.includes('status')) {
    waitingRoom = await waitingRoomPhases(base, apiKey, tag, connections);
    figures.push(...waitingRoom.figures);
  }
  if (s.phases.includes('hello') && s.phases.length > 1) await hello(s.shortSeconds, true);

  // ---- report
  const helloRuns = figures.filter((f) => f.key.startsWith('hello'));
  const baseline =
    helloRuns.length > 0 ? sum(helloRuns.map((f) => f.perSecond)) / helloRuns.length : null;
  const ratio = (/** @type {number} */ v) => (baseline ? v / baseline : null);
  const holds = figures.find((f) => f.key === 'holds');
  const holdsRatio = holds ? ratio(holds.perSecond) : null;
  const status = figures.find((f) => f.key === 'queue-status');
  const statusRatio = status ? ratio(status.perSecond) : null;
  const doRate = waitingRoom?.status?.doRequestsPerSecond ?? null;
  const targets = {
    holds: {
      target: `holds >= ${TARGET_HOLDS_RATIO} x hello-world`,
      value: holdsRatio,
      met: holdsRatio === null ? null : holdsRatio >= TARGET_HOLDS_RATIO,
    },
    tickets: {
      target: `purchases >= ${fmt(TARGET_TICKETS_PER_S)} tickets/s`,
      value: purchases ? purchases.ticketsPerS : null,
      met: purchases ? purchases.complete && purchases.ticketsPerS >= TARGET_TICKETS_PER_S : null,
    },
    queueStatus: {
      target: `queue status >= ${TARGET_STATUS_RATIO} x hello-world`,
      value: statusRatio,
      met: statusRatio === null ? null : statusRatio >= TARGET_STATUS_RATIO,
    },
    doRequestsDuringStatus: {
      target: `DO requests during the status run <= ${TARGET_DO_REQUESTS_PER_S}/s`,
      value: doRate,
      met: doRate === null ? null : doRate <= TARGET_DO_REQUESTS_PER_S,
    },
  };
  const payments = runtime.queueConsumers['tessera-payments'];
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    settings: {
      seconds: s.seconds,
      shortSeconds: s.shortSeconds,
      connections,
      connectionSweep,
      buyers: s.buyers,
      drainSeconds: s.drainSeconds,
      phases: s.phases,
      storage: s.persistInMemory ? 'memory' : 'temp dir',
      countD1: s.countD1,
      queueConsumers: runtime.queueConsumers,
      durableObjects: runtime.durableObjects,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      miniflare: miniflareVersion(),
    },
    baselineHelloPerSecond: baseline,
    figures: figures.map((f) => ({ ...f, ratioToHello: ratio(f.perSecond) })),
    purchases: purchases ? { ...purchases, d1PerPurchase } : null,
    waitingRoom: waitingRoom ? { joins: waitingRoom.joins, status: waitingRoom.status } : null,
    targets,
    workerLogCounts: logCounts,
  };

  const rows = [
    ['figure', 'rate', 'unit', 'x hello', 'p50 ms', 'p99 ms', 'workerd CPU', 'CPU ms/op', 'failed'],
    ...figures.map((f) => [
      f.label,
      fmt(f.perSecond),
      f.unit,
      fmtOpt(ratio(f.perSecond), 2),
      fmtOpt(f.p50, 0),
      fmtOpt(f.p99, 0),
      f.cpu.workerdCpuPct === null ? '-' : `${fmt(f.cpu.workerdCpuPct)}%`,
      fmtOpt(f.workerdCpuMsPerOp, 3),
      f.failures === 0 ? '0' : `${f.failures}: ${f.failureDetail}`,
    ]),
  ];
  console.log('');
  console.log(`Tessera bench, ${startedAt.toISOString()}`);
  console.log(
    `machine: nproc ${machine.nproc}, ${machine.cpuModel}, load ${machine.loadavg.join(' ')} ` +
      `at start, Node ${machine.node}, workerd via Miniflare ${report.settings.miniflare}`,
  );
  console.log(
    `settings: ${s.seconds}s per phase (probes, closing hello ${s.shortSeconds}s), ` +
      `${connections} connections, ${s.buyers} buyers, PAYMENTS batch ` +
      `${payments?.maxBatchSize}/${payments?.maxBatchTimeout}s, NOTIFICATIONS consumer ` +
      `${s.notificationsConsumer ? 'on' : 'off'}, ${report.settings.storage} storage` +
      `${s.countD1 ? ', D1 counting on' : ''}`,
  );
  console.log('');
  console.log(table(rows, [false, true, false, true, true, true, true, true, false]));
  console.log('');
  if (baseline) {
    console.log(
      `x hello: against the mean of ${helloRuns.length} hello-world run(s), ${fmt(baseline)} req/s. ` +
        'CPU ms/op: workerd CPU time per counted answer (one thread runs Worker, DO, D1 and queues).',
    );
  }
  if (purchases) {
    const p = purchases;
    console.log(
      `purchases: p50/p99 = one buyer's hold+checkout+pay; steps p50/p99 ms: ` +
        `hold ${fmtOpt(p.steps.hold.p50, 0)}/${fmtOpt(p.steps.hold.p99, 0)}, ` +
        `checkout ${fmtOpt(p.steps.checkout.p50, 0)}/${fmtOpt(p.steps.checkout.p99, 0)}, ` +
        `pay ${fmtOpt(p.steps.pay.p50, 0)}/${fmtOpt(p.steps.pay.p99, 0)}`,
    );
    console.log(
      `  ${p.accepted} paid through the API in ${fmt(p.driveS, 1)}s, ${p.paidAtStop} of them ` +
        `marked paid by then (first at ${fmtOpt(p.firstPaidAfterS, 1)}s); the last one ` +
        `${fmt(p.drainS, 1)}s after the buyers stopped; window ${fmt(p.windowS, 2)}s. ` +
        `PAYMENTS: ${p.queue.batches} batches of ${fmtOpt(p.queue.avgBatchSize, 1)}, ` +
        `${fmtOpt(p.queue.batchMsP50, 0)}/${fmtOpt(p.queue.batchMsP99, 0)} ms p50/p99` +
        `${p.otherStates ? `; ${p.otherStates} orders in other states` : ''}`,
    );
  }
  for (const t of Object.values(targets)) {
    const value =
      t.value === null
        ? 'not measured'
        : t === targets.tickets
          ? `${fmt(t.value)} tickets/s`
          : t === targets.doRequestsDuringStatus
            ? `${fmt(t.value, 2)}/s`
            : `${fmt(t.value, 2)} x`;
    console.log(
      `target: ${t.target}: ${value} -> ${t.met === null ? '-' : t.met ? 'MET' : 'NOT MET'}`,
    );
  }
  if ((logCounts.error ?? 0) + (logCounts.stderr ?? 0) > 0) {
    console.log(`\nworker log lines by level: ${JSON.stringify(logCounts)}; the last ones:`);
    for (const entry of recentLogs.slice(-5)) console.log(`  [${entry.kind}] ${entry.line}`);
  }

  mkdirSync(path.dirname(s.outFile), { recursive: true });
  writeFileSync(s.outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: ${path.relative(ROOT, s.outFile)}`);
}

main()
  .then(() => cleanup())
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
    );
    await cleanup();
    process.exit(1);
  });
