/**
 * `npm run bench`: load benchmark of the whole Worker running in workerd, in one run.
 *
 * The Worker is bundled exactly as `wrangler deploy` bundles it (`--dry-run --outdir`) and
 * served by Miniflare straight from workerd on 127.0.0.1 (no `wrangler dev` Node proxy, which
 * caps a hello-world far below what workerd can do). The bindings mirror wrangler.toml: the
 * SQLite-backed EventInventory Durable Object, D1 with the migrations applied, both queues with
 * their batch settings, fresh local secrets. State lives in a temp dir that is deleted at the end.
 *
 * Phases, each for BENCH_SECONDS (default 10) after a short warm-up, all in the same run so the
 * ratios to the hello-world baseline mean something on a shared, noisy machine:
 *   hello      GET /healthz (the baseline; run again at the end to show drift)
 *   reads      GET /api/v1/events/:slug (D1 catalog + DO availability)
 *   holds      POST /api/v1/events/:id/holds, 1 ticket each, one event, only 201s count
 *   probes     diagnostics through a bench-only probe Worker: a bare Worker, the DO's RPCs
 *              (hold, availability) and a D1 point read, without the app's Hono stack
 *   purchases  virtual buyers: hold 2 -> checkout -> sandbox pay; the PAYMENTS consumer marks
 *              the order paid and writes the tickets; timed until the last order is paid
 *
 * Settings (environment variables):
 *   BENCH_SECONDS=10          duration of each phase (probes and the closing hello run half)
 *   BENCH_CONNECTIONS=…       autocannon connections (default below); `auto` tries a few
 *   BENCH_BUYERS=…            concurrent purchase pipelines (default below)
 *   BENCH_PHASES=…            comma list out of hello,reads,holds,probes,purchases
 *   BENCH_PAYMENTS_BATCH, BENCH_PAYMENTS_TIMEOUT   override the PAYMENTS consumer settings
 *   BENCH_NOTIFICATIONS=off   no NOTIFICATIONS consumer (what the e-mails cost the pipeline)
 *   BENCH_PERSIST=memory      in-memory storage instead of a temp dir
 *   BENCH_DRAIN_SECONDS=30    how long to wait for the last order to be paid
 *   BENCH_OUT=bench-results/latest.json
 *
 * Results: a table on stdout and JSON in BENCH_OUT. Always stops workerd and exits by itself.
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WRANGLER_BIN = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const require = createRequire(import.meta.url);

/** Connections that gave /healthz its best throughput on the 2-core bench machine. */
const DEFAULT_CONNECTIONS = 50;
const DEFAULT_BUYERS = 100;
const CONNECTION_CANDIDATES = [10, 25, 50, 100, 200];
const ALL_PHASES = ['hello', 'reads', 'holds', 'probes', 'purchases'];
/** The API caps a ticket type's capacity at 1,000,000: enough for every bench phase. */
const BIG_CAPACITY = 1_000_000;
const TARGET_HOLDS_RATIO = 0.6;
const TARGET_TICKETS_PER_S = 1000;
const CLK_TCK = 100;

// ---------------------------------------------------------------------------------------------
// Types

/** @typedef {Record<string, unknown>} Json */
/** @typedef {import('miniflare').Miniflare} Miniflare */
/** @typedef {import('miniflare').MiniflareOptions} MiniflareOptions */
/**
 * @typedef {{ latency: { p50: number, p99: number, average: number }, duration: number,
 *   errors: number, timeouts: number, non2xx: number, resets: number, totalRequests: number,
 *   statusCodeStats: Record<string, { count: number }> }} AutocannonResult
 * @typedef {{ stop: () => void }} AutocannonInstance
 * @typedef {(opts: Json, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance} Autocannon
 */
/**
 * @typedef {{ wallMs: number, workerdTicks: number, nodeUs: number, machineBusy: number,
 *   machineTotal: number }} CpuSnapshot
 * @typedef {{ workerdCpuPct: number | null, nodeCpuPct: number, machineBusyPct: number | null,
 *   workerdCpuMs: number | null }} CpuUsage
 */
/**
 * @typedef {{ key: string, label: string, unit: string, perSecond: number, count: number,
 *   seconds: number, p50: number | null, p99: number | null, failures: number,
 *   failureDetail: string, cpu: CpuUsage, workerdCpuMsPerOp: number | null,
 *   extra?: Json }} Figure
 */
/** @typedef {{ id: string, slug: string, ticketTypes: { id: string, key: string }[] }} BenchEvent */

// ---------------------------------------------------------------------------------------------
// Small helpers

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

/**
 * @param {string} name
 * @param {number} fallback
 */
function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** @param {number[]} sorted @param {number} q */
function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Settings

const seconds = envInt('BENCH_SECONDS', 10);
const connectionsSetting = process.env.BENCH_CONNECTIONS ?? String(DEFAULT_CONNECTIONS);
const buyers = envInt('BENCH_BUYERS', DEFAULT_BUYERS);
const drainSeconds = envInt('BENCH_DRAIN_SECONDS', 30);
const phases = (process.env.BENCH_PHASES ?? ALL_PHASES.join(','))
  .split(',')
  .map((phase) => phase.trim())
  .filter(Boolean);
for (const phase of phases) {
  if (!ALL_PHASES.includes(phase)) throw new Error(`Unknown phase ${phase} in BENCH_PHASES`);
}
const persistInMemory = process.env.BENCH_PERSIST === 'memory';
const notificationsConsumer = process.env.BENCH_NOTIFICATIONS !== 'off';
const countD1 = process.env.BENCH_COUNT_D1 === '1';
const outFile = path.resolve(ROOT, process.env.BENCH_OUT ?? 'bench-results/latest.json');

// ---------------------------------------------------------------------------------------------
// Process lifetime: whatever happens, workerd is stopped and the temp dir removed.

/** @type {Miniflare | undefined} */
let mf;
/** @type {string | undefined} */
let tmpRoot;
/** @type {Set<AutocannonInstance>} */
const runningLoads = new Set();
/** @type {number[]} */
let workerdPids = [];
/** @type {Promise<void> | undefined} */
let cleaning;
/** The last lines workerd and the Worker logged, shown when something fails. */
/** @type {{ kind: string, line: string }[]} */
const recentLogs = [];
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function cleanup() {
  cleaning ??= (async () => {
    for (const load of runningLoads) load.stop();
    keepAliveAgent.destroy();
    if (mf) {
      const instance = mf;
      mf = undefined;
      await Promise.race([instance.dispose().catch(() => {}), sleep(10_000)]);
    }
    for (const pid of workerdPids) {
      try {
        process.kill(pid, 'SIGKILL'); // only if dispose() left it running
      } catch {
        // already gone
      }
    }
    if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: stopping workerd`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: workerd (all its threads), this Node process, the whole machine.

/** The workerd processes Miniflare started for us (children of this process). */
function findWorkerdPids() {
  /** @type {number[]} */
  const pids = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (Number(fields[1]) === process.pid && comm.includes('workerd')) pids.push(Number(entry));
      } catch {
        // process went away
      }
    }
  } catch {
    // no /proc (not Linux): CPU figures are left out
  }
  return pids;
}

function workerdTicks() {
  let ticks = 0;
  for (const pid of workerdPids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // gone
    }
  }
  return ticks;
}

function machineTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** @returns {CpuSnapshot} */
function cpuSnapshot() {
  const machine = machineTicks();
  const usage = process.cpuUsage();
  return {
    wallMs: performance.now(),
    workerdTicks: workerdTicks(),
    nodeUs: usage.user + usage.system,
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

/** @param {CpuSnapshot} from @param {CpuSnapshot} to @returns {CpuUsage} */
function cpuBetween(from, to) {
  const wallMs = Math.max(1, to.wallMs - from.wallMs);
  const workerdMs = ((to.workerdTicks - from.workerdTicks) * 1000) / CLK_TCK;
  const machineTotal = to.machineTotal - from.machineTotal;
  return {
    workerdCpuPct: workerdPids.length > 0 ? (100 * workerdMs) / wallMs : null,
    workerdCpuMs: workerdPids.length > 0 ? workerdMs : null,
    nodeCpuPct: (100 * (to.nodeUs - from.nodeUs)) / 1000 / wallMs,
    machineBusyPct:
      machineTotal > 0 ? (100 * (to.machineBusy - from.machineBusy)) / machineTotal : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Build and start

/**
 * The Worker bundle exactly as `wrangler deploy` would upload it (same esbuild settings,
 * conditions and nodejs_compat polyfills), without uploading anything.
 * @param {string} outdir
 */
function bundleWorker(outdir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [WRANGLER_BIN, 'deploy', '--dry-run', '--outdir', outdir, '--env', ''],
      {
        cwd: ROOT,
        env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(path.join(outdir, 'index.js'));
      else reject(new Error(`wrangler deploy --dry-run failed (${code}):\n${output.trim()}`));
    });
  });
}

/** Miniflare is a dependency of wrangler; take it from wrangler's location if not hoisted. */
async function loadMiniflare() {
  try {
    return /** @type {typeof import('miniflare')} */ (await import('miniflare'));
  } catch {
    const fromWrangler = createRequire(require.resolve('wrangler/package.json'));
    const entry = pathToFileURL(fromWrangler.resolve('miniflare')).href;
    return /** @type {typeof import('miniflare')} */ (await import(entry));
  }
}

/** wrangler.toml, read by wrangler itself (no TOML parser of our own). */
async function readWranglerConfig() {
  process.env.WRANGLER_LOG ??= 'error';
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: path.join(ROOT, 'wrangler.toml') }, {});
}

function localSecrets() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `bench-${randomBytes(4).toString('hex')}` };
  return {
    TICKET_SIGNING_JWK: JSON.stringify(jwk),
    SANDBOX_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('hex')}`,
    ORDER_TOKEN_SECRET: randomBytes(32).toString('hex'),
  };
}

/**
 * A bench-only Worker beside the app, reached under /__bench/*: it calls the app's Durable
 * Object and D1 directly, so the cost of the DO and of D1 can be told apart from the cost of
 * the app's own request handling. The app's code is not touched.
 */
const PROBE_WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const eventId = url.searchParams.get('event') ?? '';
    const inventory = () => env.INVENTORY.get(env.INVENTORY.idFromName(eventId));
    switch (url.pathname) {
      case '/__bench/hello':
        return new Response('ok');
      case '/__bench/do-hold': {
        const items = [{ ticketTypeId: url.searchParams.get('type') ?? '', quantity: 1 }];
        const result = await inventory().hold(items);
        return Response.json(result, { status: result.ok ? 201 : 409 });
      }
      case '/__bench/do-read':
        return Response.json(await inventory().availability());
      case '/__bench/d1-read': {
        const row = await env.DB.prepare('SELECT id, slug, status FROM events WHERE id = ?').bind(eventId).first();
        return Response.json(row, { status: row ? 200 : 404 });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
`;

/**
 * BENCH_COUNT_D1=1: the app's DB binding is wrapped (a Miniflare wrapped binding, bench config
 * only) by a proxy that logs every D1 round trip, so the run can say how many queries and
 * batches one purchase costs. Logging each query slows the run: use it for the count only.
 */
const D1_COUNTER_WORKER = `
export default function (env) {
  const inner = env.INNER;
  const targets = new WeakMap();
  const note = (kind, sql) => console.log('BENCHD1 ' + kind + ' ' + String(sql).replace(/\\s+/g, ' ').slice(0, 90));
  const wrap = (stmt, sql) => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') return (...args) => wrap(target.bind(...args), sql);
        if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw') {
          return (...args) => {
            note('query', sql);
            return target[prop](...args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    targets.set(proxy, stmt);
    return proxy;
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'prepare') return (sql) => wrap(target.prepare(sql), sql);
      if (prop === 'batch') {
        return (statements) => {
          note('batch', statements.length + ' statements');
          return target.batch(statements.map((s) => targets.get(s) ?? s));
        };
      }
      if (prop === 'exec') return (sql) => (note('exec', sql), target.exec(sql));
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
`;

/**
 * @param {typeof import('miniflare')} miniflare
 * @param {Awaited<ReturnType<typeof readWranglerConfig>>} config
 * @param {string} scriptPath
 * @param {string} stateDir
 * @param {(kind: string, line: string) => void} onLog
 */
async function startMiniflare(miniflare, config, scriptPath, stateDir, onLog) {
  const { Log, LogLevel, Miniflare } = miniflare;

  /** Keeps Miniflare quiet, but reads its per-batch queue lines (batch size and time). */
  class BenchLog extends Log {
    /** @param {import('miniflare').LogLevel} level @param {string} message */
    logWithLevel(level, message) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
      const plain = message.replace(/\x1b\[[0-9;]*m/g, '');
      if (plain.startsWith('QUEUE ')) onLog('queue', plain);
      else if (level <= LogLevel.WARN) onLog(level === LogLevel.ERROR ? 'error' : 'warn', plain);
    }
  }

  const d1 = config.d1_databases.find((db) => db.binding === 'DB');
  const consumers = Object.fromEntries(
    config.queues.consumers?.map((consumer) => {
      const isPayments = consumer.queue.includes('payments');
      return [
        consumer.queue,
        {
          maxBatchSize: isPayments
            ? envInt('BENCH_PAYMENTS_BATCH', consumer.max_batch_size ?? 10)
            : consumer.max_batch_size,
          maxBatchTimeout: isPayments
            ? envInt('BENCH_PAYMENTS_TIMEOUT', consumer.max_batch_timeout ?? 5)
            : consumer.max_batch_timeout,
          maxRetries: consumer.max_retries,
          deadLetterQueue: consumer.dead_letter_queue,
        },
      ];
    }) ?? [],
  );
  if (!notificationsConsumer) {
    for (const name of Object.keys(consumers)) {
      if (name.includes('notifications')) delete consumers[name];
    }
  }
  const sqliteClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  const durableObjects = Object.fromEntries(
    config.durable_objects.bindings.map((binding) => [
      binding.name,
      { className: binding.class_name, useSQLite: sqliteClasses.has(binding.class_name) },
    ]),
  );
  const d1Id = d1?.database_id ?? 'tessera-bench';
  const persist = persistInMemory ? false : stateDir;

  /** @type {MiniflareOptions} */
  const options = {
    host: '127.0.0.1',
    port: 0,
    cf: false,
    logRequests: false,
    log: new BenchLog(LogLevel.INFO),
    handleRuntimeStdio(stdout, stderr) {
      const read = (/** @type {import('node:stream').Readable} */ stream, kind = 'stdout') => {
        let rest = '';
        stream.on('data', (chunk) => {
          const lines = (rest + String(chunk)).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) onLog(kind, line);
        });
      };
      read(stdout);
      read(stderr, 'stderr');
    },
    d1Persist: persist && path.join(stateDir, 'd1'),
    durableObjectsPersist: persist && path.join(stateDir, 'do'),
    // Messages the NOTIFICATIONS queue keeps when its consumer is switched off stay in memory.
    queuesPersist: false,
    workers: [
      {
        name: config.name ?? 'tessera',
        modules: true,
        scriptPath,
        modulesRoot: path.dirname(scriptPath),
        compatibilityDate: config.compatibility_date,
        compatibilityFlags: config.compatibility_flags,
        bindings: { ...config.vars, ENVIRONMENT: 'development', ...localSecrets() },
        durableObjects,
        ...(countD1
          ? { wrappedBindings: { DB: 'bench-d1-count' } }
          : { d1Databases: { DB: d1Id } }),
        queueProducers: Object.fromEntries(
          (config.queues.producers ?? []).map((producer) => [
            producer.binding,
            { queueName: producer.queue },
          ]),
        ),
        queueConsumers: consumers,
      },
      {
        name: 'bench-probe',
        modules: true,
        script: PROBE_WORKER,
        compatibilityDate: config.compatibility_date,
        routes: ['*/__bench/*'],
        durableObjects: {
          INVENTORY: { className: 'EventInventory', scriptName: config.name ?? 'tessera' },
        },
        d1Databases: { DB: d1Id },
      },
      ...(countD1
        ? [
            {
              name: 'bench-d1-count',
              modules: true,
              script: D1_COUNTER_WORKER,
              d1Databases: { INNER: d1Id },
            },
          ]
        : []),
    ],
  };
  mf = new Miniflare(options);
  const url = await mf.ready;
  workerdPids = findWorkerdPids();
  return {
    url,
    queueSettings: consumers,
    durableObjects,
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding: migrations and the organizer straight into D1, events through the organizer API.

/** @param {Miniflare} instance */
async function migrate(instance) {
  // The probe Worker's binding: the same database, never wrapped by the D1 counter.
  const db = await instance.getD1Database('DB', 'bench-probe');
  const dir = path.join(ROOT, 'd1-migrations');
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  for (const file of files) {
    const statements = readFileSync(path.join(dir, file), 'utf8')
      .split('--> statement-breakpoint')
      .map((statement) => statement.trim())
      .filter(Boolean);
    await db.batch(statements.map((statement) => db.prepare(statement)));
  }
  return { db, files };
}

/**
 * @param {Awaited<ReturnType<typeof migrate>>['db']} db
 * @returns {Promise<string>} the API key
 */
async function seedOrganizer(db) {
  const organizerId = `org_bench${randomBytes(8).toString('hex')}`.slice(0, 24);
  const apiKey = `tsk_bench_${randomBytes(24).toString('hex')}`;
  const keyHash = createHash('sha256').update(apiKey).digest('hex');
  await db.batch([
    db.prepare('INSERT INTO organizers (id, name) VALUES (?, ?)').bind(organizerId, 'Bench'),
    db
      .prepare('INSERT INTO api_keys (id, organizer_id, key_hash, label) VALUES (?, ?, ?, ?)')
      .bind(`key_${keyHash.slice(0, 20)}`, organizerId, keyHash, 'bench'),
  ]);
  return apiKey;
}

/**
 * JSON over a keep-alive agent (node:http: far cheaper per request than fetch).
 * @param {URL} base
 * @param {string} method
 * @param {string} pathname
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number, body: Json, text: string }>}
 */
function request(base, method, pathname, body, headers = {}) {
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
          ...(payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
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
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * @param {URL} base
 * @param {string} apiKey
 * @param {string} slug
 * @returns {Promise<BenchEvent>}
 */
async function createPublishedEvent(base, apiKey, slug) {
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
    ticketTypes: [{ key: 'ga', name: 'General admission', priceMinor: 3900, capacity: BIG_CAPACITY }],
    quotas: [{ name: 'Venue', size: BIG_CAPACITY, ticketTypes: ['ga'] }],
    waitingRoom: { mode: 'off' },
  };
  const created = await request(base, 'POST', '/api/v1/organizer/events', body, auth);
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${created.text}`);
  const event = /** @type {BenchEvent} */ (/** @type {unknown} */ (created.body));
  const published = await request(base, 'POST', `/api/v1/organizer/events/${event.id}/publish`, undefined, auth);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${published.text}`);
  return event;
}

/** @param {BenchEvent} event */
function gaType(event) {
  const type = event.ticketTypes.find((t) => t.key === 'ga') ?? event.ticketTypes[0];
  if (!type) throw new Error(`event ${event.id} has no ticket type`);
  return type.id;
}

// ---------------------------------------------------------------------------------------------
// Load

/** @type {Autocannon} */
const autocannon = require('autocannon');

/**
 * @param {Json} opts
 * @returns {Promise<AutocannonResult>}
 */
function runAutocannon(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...opts, renderProgressBar: false, renderResultsTable: false }, (err, result) => {
      runningLoads.delete(instance);
      if (err) reject(err);
      else resolve(result);
    });
    runningLoads.add(instance);
  });
}

/**
 * One fixed-duration autocannon phase; only `okStatus` answers count as done.
 * @param {{ key: string, label: string, url: string, connections: number, seconds: number,
 *   method?: string, body?: string, okStatus: number, unit?: string }} spec
 * @returns {Promise<Figure>}
 */
async function loadPhase(spec) {
  const opts = {
    url: spec.url,
    connections: spec.connections,
    method: spec.method ?? 'GET',
    body: spec.body,
    headers: spec.body ? { 'content-type': 'application/json' } : {},
    timeout: 10,
  };
  await runAutocannon({ ...opts, duration: 1 }); // warm-up: JIT, connection setup, DO wake-up
  const before = cpuSnapshot();
  const result = await runAutocannon({ ...opts, duration: spec.seconds });
  const cpu = cpuBetween(before, cpuSnapshot());
  const count = result.statusCodeStats[String(spec.okStatus)]?.count ?? 0;
  const otherStatuses = Object.entries(result.statusCodeStats)
    .filter(([status]) => status !== String(spec.okStatus))
    .map(([status, { count: n }]) => `${n}x${status}`);
  const otherCount = Object.entries(result.statusCodeStats)
    .filter(([status]) => status !== String(spec.okStatus))
    .reduce((sum, [, { count: n }]) => sum + n, 0);
  const failures = otherCount + result.errors + result.timeouts;
  const detail = [
    ...otherStatuses,
    ...(result.errors ? [`${result.errors} errors`] : []),
    ...(result.timeouts ? [`${result.timeouts} timeouts`] : []),
  ].join(', ');
  const figure = {
    key: spec.key,
    label: spec.label,
    unit: spec.unit ?? 'req/s',
    perSecond: count / result.duration,
    count,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures,
    failureDetail: detail,
    cpu,
    workerdCpuMsPerOp: cpu.workerdCpuMs !== null && count > 0 ? cpu.workerdCpuMs / count : null,
  };
  log(
    `${spec.label}: ${fmt(figure.perSecond)} ${figure.unit}, p50 ${figure.p50} ms, p99 ${figure.p99} ms` +
      `${detail ? ` (${detail})` : ''}, workerd CPU ${fmtOpt(cpu.workerdCpuPct, 0)}%`,
  );
  return figure;
}

/**
 * Picks the connection count that gives /healthz its best throughput (BENCH_CONNECTIONS=auto).
 * @param {URL} base
 */
async function tuneConnections(base) {
  let best = DEFAULT_CONNECTIONS;
  let bestRps = 0;
  /** @type {Record<string, number>} */
  const tried = {};
  for (const connections of CONNECTION_CANDIDATES) {
    const result = await runAutocannon({ url: new URL('/healthz', base).href, connections, duration: 3 });
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
 * @param {Awaited<ReturnType<typeof migrate>>['db']} db
 * @param {string} eventId
 */
async function paidState(db, eventId) {
  const row = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM orders WHERE event_id = ?1 AND status = 'paid') AS paid,
              (SELECT COUNT(*) FROM tickets WHERE event_id = ?1) AS tickets,
              (SELECT MAX(paid_at) FROM orders WHERE event_id = ?1) AS lastPaidAt,
              (SELECT COUNT(*) FROM orders WHERE event_id = ?1 AND status NOT IN ('paid', 'pending_payment')) AS other`,
    )
    .bind(eventId)
    .first();
  const r = asJson(row);
  return {
    paid: Number(r.paid ?? 0),
    tickets: Number(r.tickets ?? 0),
    lastPaidAt: typeof r.lastPaidAt === 'string' ? Date.parse(r.lastPaidAt) : null,
    other: Number(r.other ?? 0),
  };
}

/**
 * Virtual buyers, each running hold(2) -> checkout -> sandbox pay in a loop for the phase's
 * duration; then waits until every accepted payment has its order paid and its tickets in D1.
 * @param {URL} base
 * @param {Awaited<ReturnType<typeof migrate>>['db']} db
 * @param {BenchEvent} event
 * @param {{ buyers: number, seconds: number, drainSeconds: number }} opts
 * @param {() => { batches: number, messages: number, batchMs: number[] }} queueStats
 */
async function purchasePhase(base, db, event, opts, queueStats) {
  const ticketTypeId = gaType(event);
  const perPurchase = 2;
  /** @type {Record<string, number>} */
  const failures = {};
  /** @param {string} key */
  const fail = (key) => {
    failures[key] = (failures[key] ?? 0) + 1;
  };
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<'hold' | 'checkout' | 'pay', number[]>} */
  const stepMs = { hold: [], checkout: [], pay: [] };
  let accepted = 0;
  let stopped = false;

  /** @param {number} i */
  const buyer = async (i) => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        const hold = await request(base, 'POST', `/api/v1/events/${event.id}/holds`, {
          items: [{ ticketTypeId, quantity: perPurchase }],
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
          { holdId: hold.body.holdId, buyer: { name: `Buyer ${i}`, email: `buyer${i}@example.com` } },
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
        latencies.push(performance.now() - t0);
      } catch (error) {
        fail(`network: ${messageOf(error).slice(0, 60)}`);
      }
    }
  };

  const queueBefore = queueStats();
  const before = cpuSnapshot();
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
      if (!sampling) break;
      const state = await paidState(db, event.id).catch(() => null);
      if (state) timeline.push({ t: (Date.now() - startedAt) / 1000, accepted, paid: state.paid });
    }
  })();
  await Promise.all(Array.from({ length: opts.buyers }, (_, i) => buyer(i)));
  clearTimeout(stopTimer);
  const driveEnd = Date.now();
  const driveCpu = cpuBetween(before, cpuSnapshot());
  const paidAtStop = (await paidState(db, event.id)).paid;

  let state = await paidState(db, event.id);
  const drainDeadline = Date.now() + opts.drainSeconds * 1000;
  while ((state.paid < accepted || state.tickets < accepted * perPurchase) && Date.now() < drainDeadline) {
    await sleep(100);
    state = await paidState(db, event.id);
  }
  const detectedAt = Date.now();
  sampling = false;
  await sampler;
  const cpu = cpuBetween(before, cpuSnapshot());
  const complete = state.paid >= accepted && state.tickets >= accepted * perPurchase;
  const lastPaidAt = state.lastPaidAt !== null && state.lastPaidAt <= detectedAt ? state.lastPaidAt : detectedAt;
  const windowS = Math.max(0.001, (lastPaidAt - startedAt) / 1000);
  const queueAfter = queueStats();
  const batchMs = queueAfter.batchMs.slice(queueBefore.batchMs.length).sort((a, b) => a - b);
  const batches = queueAfter.batches - queueBefore.batches;
  const messages = queueAfter.messages - queueBefore.messages;
  latencies.sort((a, b) => a - b);
  const steps = Object.fromEntries(
    Object.entries(stepMs).map(([step, values]) => {
      const sorted = values.sort((a, b) => a - b);
      const p50 = quantile(sorted, 0.5);
      const p99 = quantile(sorted, 0.99);
      return [step, { p50: p50 && Math.round(p50), p99: p99 && Math.round(p99) }];
    }),
  );
  const failureCount = Object.values(failures).reduce((a, b) => a + b, 0);
  return {
    accepted,
    paid: state.paid,
    tickets: state.tickets,
    otherStates: state.other,
    complete,
    windowS,
    driveS: (driveEnd - startedAt) / 1000,
    drainS: (lastPaidAt - driveEnd) / 1000,
    backlogAtStop: accepted - paidAtStop,
    purchasesPerS: state.paid / windowS,
    ticketsPerS: state.tickets / windowS,
    apiPipelinesPerS: accepted / ((driveEnd - startedAt) / 1000),
    pipelineP50: quantile(latencies, 0.5),
    pipelineP99: quantile(latencies, 0.99),
    steps,
    failures,
    failureCount,
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

// ---------------------------------------------------------------------------------------------
// Report

function machineInfo() {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpuModel: model,
    loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/**
 * @param {string[][]} rows
 * @param {boolean[]} rightAlign
 */
function table(rows, rightAlign) {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows
    .map((row, i) => {
      const line = row
        .map((cell, col) => (rightAlign[col] ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
        .join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const watchdog = setTimeout(
    () => {
      console.error('[bench] watchdog: the run took too long; stopping');
      cleanup().finally(() => process.exit(2));
    },
    (60 + seconds * 12 + drainSeconds) * 1000,
  );
  watchdog.unref();

  tmpRoot = mkdtempSync(path.join(tmpdir(), 'tessera-bench-'));
  const machine = machineInfo();
  log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${machine.loadavg.join(' ')}`);

  log('bundling the Worker (wrangler deploy --dry-run)');
  const [scriptPath, config, miniflare] = await Promise.all([
    bundleWorker(path.join(tmpRoot, 'bundle')),
    readWranglerConfig(),
    loadMiniflare(),
  ]);

  /** @type {Record<string, number>} */
  const logCounts = {};
  /** D1 round trips by statement (BENCH_COUNT_D1=1). @type {Map<string, number>} */
  const d1Calls = new Map();
  const queue = { batches: 0, messages: 0, /** @type {number[]} */ batchMs: [] };
  const onLog = (/** @type {string} */ kind, /** @type {string} */ line) => {
    if (kind === 'queue') {
      const match = /^QUEUE (\S+) (\d+)\/(\d+)(?: \((\d+)ms\))?/.exec(line);
      if (match?.[1]?.includes('payments')) {
        queue.batches += 1;
        queue.messages += Number(match[3]);
        if (match[4]) queue.batchMs.push(Number(match[4]));
        if (process.env.BENCH_DEBUG) log(`t=${(performance.now() / 1000).toFixed(2)} queue batch ${match[3]} msgs ${match[4]} ms`);
      }
      return;
    }
    if (line.includes('BENCHD1 ')) {
      const key = line.slice(line.indexOf('BENCHD1 ') + 8);
      d1Calls.set(key, (d1Calls.get(key) ?? 0) + 1);
      return;
    }
    const level = /"level":"(\w+)"/.exec(line)?.[1] ?? kind;
    logCounts[level] = (logCounts[level] ?? 0) + 1;
    recentLogs.push({ kind: level, line: line.slice(0, 500) });
    if (recentLogs.length > 20) recentLogs.shift();
  };

  log(`starting workerd (Miniflare, ${persistInMemory ? 'in-memory' : 'temp dir'} storage)`);
  const started = await startMiniflare(miniflare, config, scriptPath, path.join(tmpRoot, 'state'), onLog);
  const base = started.url;
  log(`listening on ${base.origin}; workerd pid ${workerdPids.join(', ') || 'unknown'}`);
  if (!mf) throw new Error('Miniflare did not start');

  const { db, files } = await migrate(mf);
  log(`applied ${files.length} D1 migration file(s)`);
  const apiKey = await seedOrganizer(db);
  const tag = randomBytes(3).toString('hex');
  const holdEvent = await createPublishedEvent(base, apiKey, `bench-holds-${tag}`);
  const probeEvent = await createPublishedEvent(base, apiKey, `bench-probe-${tag}`);
  const buyEvent = await createPublishedEvent(base, apiKey, `bench-buy-${tag}`);
  log(`events: ${holdEvent.id} (holds), ${buyEvent.id} (purchases), ${probeEvent.id} (probes)`);

  let connections = DEFAULT_CONNECTIONS;
  /** @type {Record<string, number> | undefined} */
  let connectionSweep;
  if (connectionsSetting === 'auto') {
    log('BENCH_CONNECTIONS=auto: finding the best connection count for /healthz');
    const tuned = await tuneConnections(base);
    connections = tuned.best;
    connectionSweep = tuned.tried;
  } else {
    connections = envInt('BENCH_CONNECTIONS', DEFAULT_CONNECTIONS);
  }
  const url = (/** @type {string} */ p) => new URL(p, base).href;
  const half = Math.max(2, Math.round(seconds / 2));

  /** @type {Figure[]} */
  const figures = [];
  /** @type {Figure[]} */
  const helloRuns = [];
  const hello = async (/** @type {number} */ s, /** @type {string} */ suffix) => {
    const figure = await loadPhase({
      key: `hello${suffix}`,
      label: `hello-world GET /healthz${suffix ? ' (again, at the end)' : ''}`,
      url: url('/healthz'),
      connections,
      seconds: s,
      okStatus: 200,
    });
    helloRuns.push(figure);
    figures.push(figure);
  };

  log(`phases: ${phases.join(', ')}; ${seconds}s each, ${connections} connections, ${buyers} buyers`);
  if (phases.includes('hello')) await hello(seconds, '');
  if (phases.includes('reads')) {
    figures.push(
      await loadPhase({
        key: 'reads',
        label: 'event read GET /api/v1/events/:slug',
        url: url(`/api/v1/events/${holdEvent.slug}`),
        connections,
        seconds,
        okStatus: 200,
      }),
    );
  }
  if (phases.includes('holds')) {
    figures.push(
      await loadPhase({
        key: 'holds',
        label: 'holds POST /api/v1/events/:id/holds (1 ticket, one event)',
        unit: 'holds/s',
        url: url(`/api/v1/events/${holdEvent.id}/holds`),
        method: 'POST',
        body: JSON.stringify({ items: [{ ticketTypeId: gaType(holdEvent), quantity: 1 }] }),
        connections,
        seconds,
        okStatus: 201,
      }),
    );
  }
  if (phases.includes('probes')) {
    const q = `event=${probeEvent.id}&type=${gaType(probeEvent)}`;
    const probes = [
      ['probe-hello', 'probe: bare Worker, no Hono (/__bench/hello)', '/__bench/hello', 200],
      ['probe-do-hold', 'probe: DO hold() RPC from a bare Worker', `/__bench/do-hold?${q}`, 201],
      ['probe-do-read', 'probe: DO availability() RPC', `/__bench/do-read?${q}`, 200],
      ['probe-d1-read', 'probe: D1 point read (events by id)', `/__bench/d1-read?${q}`, 200],
    ];
    for (const [key, label, p, okStatus] of /** @type {[string, string, string, number][]} */ (probes)) {
      figures.push(await loadPhase({ key, label, url: url(p), connections, seconds: half, okStatus }));
    }
  }

  /** @type {Awaited<ReturnType<typeof purchasePhase>> | undefined} */
  let purchases;
  /** @type {{ roundTrips: number, statements: Record<string, number> } | undefined} */
  let d1PerPurchase;
  if (phases.includes('purchases')) {
    log(`purchases: ${buyers} buyers for ${seconds}s, then until the last order is paid`);
    const d1Before = new Map(d1Calls);
    purchases = await purchasePhase(
      base,
      db,
      buyEvent,
      { buyers, seconds, drainSeconds },
      () => ({ batches: queue.batches, messages: queue.messages, batchMs: [...queue.batchMs] }),
    );
    const p = purchases;
    if (countD1 && p.paid > 0) {
      const perPurchase = [...d1Calls]
        .map(([sql, n]) => /** @type {[string, number]} */ ([sql, (n - (d1Before.get(sql) ?? 0)) / p.paid]))
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      const total = perPurchase.reduce((sum, [, n]) => sum + n, 0);
      d1PerPurchase = { roundTrips: total, statements: Object.fromEntries(perPurchase) };
      log(`D1 round trips per purchase: ${fmt(total, 1)}`);
      for (const [sql, n] of perPurchase) log(`  ${fmt(n, 2)}  ${sql}`);
    }
    log(
      `purchases: ${p.paid}/${p.accepted} paid, ${p.tickets} tickets in ${fmt(p.windowS, 2)}s -> ` +
        `${fmt(p.purchasesPerS)} purchases/s, ${fmt(p.ticketsPerS)} tickets/s` +
        `${p.complete ? '' : ' (INCOMPLETE: drain timed out)'}`,
    );
    const purchaseCpuMs =
      p.cpu.workerdCpuMs !== null && p.paid > 0 ? p.cpu.workerdCpuMs / p.paid : null;
    const detail = Object.entries(p.failures)
      .map(([k, n]) => `${n}x ${k}`)
      .join(', ');
    figures.push(
      {
        key: 'purchases',
        label: 'complete purchases (hold 2 -> checkout -> pay -> paid + tickets)',
        unit: 'purchases/s',
        perSecond: p.purchasesPerS,
        count: p.paid,
        seconds: p.windowS,
        p50: p.pipelineP50 === null ? null : Math.round(p.pipelineP50),
        p99: p.pipelineP99 === null ? null : Math.round(p.pipelineP99),
        failures: p.failureCount + (p.accepted - p.paid),
        failureDetail: [detail, p.complete ? '' : `${p.accepted - p.paid} never paid`]
          .filter(Boolean)
          .join(', '),
        cpu: p.cpu,
        workerdCpuMsPerOp: purchaseCpuMs,
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
        workerdCpuMsPerOp: purchaseCpuMs === null ? null : purchaseCpuMs / 2,
      },
      {
        key: 'checkout-api',
        label: '  of which: API pipelines accepted while driving (hold+checkout+pay)',
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
          p.driveCpu.workerdCpuMs !== null && p.accepted > 0 ? p.driveCpu.workerdCpuMs / p.accepted : null,
      },
    );
  }
  if (phases.includes('hello') && phases.length > 1) await hello(half, '2');

  // ---- report
  const baseline =
    helloRuns.length > 0 ? helloRuns.reduce((a, f) => a + f.perSecond, 0) / helloRuns.length : null;
  const ratio = (/** @type {number} */ v) => (baseline ? v / baseline : null);
  const rows = [
    ['figure', 'rate', 'unit', 'x hello', 'p50 ms', 'p99 ms', 'workerd CPU', 'ms CPU/op', 'failed / non-2xx'],
    ...figures.map((f) => [
      f.label,
      fmt(f.perSecond),
      f.unit,
      fmtOpt(ratio(f.perSecond), 2),
      fmtOpt(f.p50, 0),
      fmtOpt(f.p99, 0),
      f.cpu.workerdCpuPct === null ? '-' : `${fmt(f.cpu.workerdCpuPct)}%`,
      fmtOpt(f.workerdCpuMsPerOp, 3),
      f.failures === 0 ? '0' : `${f.failures} (${f.failureDetail})`,
    ]),
  ];
  const holds = figures.find((f) => f.key === 'holds');
  const holdsRatio = holds ? ratio(holds.perSecond) : null;
  const targets = {
    holdsRatio: {
      target: `holds >= ${TARGET_HOLDS_RATIO} x hello-world`,
      value: holdsRatio,
      met: holdsRatio === null ? null : holdsRatio >= TARGET_HOLDS_RATIO,
    },
    ticketsPerSecond: {
      target: `purchases >= ${fmt(TARGET_TICKETS_PER_S)} tickets/s`,
      value: purchases ? purchases.ticketsPerS : null,
      met: purchases ? purchases.ticketsPerS >= TARGET_TICKETS_PER_S && purchases.complete : null,
    },
  };
  const settings = {
    seconds,
    probeSeconds: half,
    connections,
    connectionSweep,
    buyers,
    drainSeconds,
    phases,
    persist: persistInMemory ? 'memory' : 'temp dir',
    queueConsumers: started.queueSettings,
    durableObjects: started.durableObjects,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    miniflare: miniflareVersion(),
  };

  console.log('');
  console.log(`Tessera bench, ${startedAt.toISOString()}`);
  console.log(
    `machine: nproc ${machine.nproc}, ${machine.cpuModel}, load avg ${machine.loadavg.join(' ')} (start), Node ${machine.node}`,
  );
  console.log(
    `settings: ${seconds}s per phase (probes ${half}s), ${connections} connections, ${buyers} buyers, ` +
      `PAYMENTS batch ${settings.queueConsumers['tessera-payments']?.maxBatchSize}/` +
      `${settings.queueConsumers['tessera-payments']?.maxBatchTimeout}s, notifications consumer ` +
      `${notificationsConsumer ? 'on' : 'off'}, ${settings.persist} storage, workerd via Miniflare ${settings.miniflare}`,
  );
  console.log('');
  console.log(table(rows, [false, true, false, true, true, true, true, true, false]));
  console.log('');
  if (baseline) console.log(`baseline: hello-world mean of ${helloRuns.length} run(s) = ${fmt(baseline)} req/s`);
  if (purchases) {
    const p = purchases;
    console.log(
      `purchases: ${p.accepted} paid through the API in ${fmt(p.driveS, 1)}s; backlog ${p.backlogAtStop} when buyers stopped; ` +
        `last order paid ${fmt(p.drainS, 2)}s later; window ${fmt(p.windowS, 2)}s; ` +
        `PAYMENTS batches: ${p.queue.batches}, avg ${fmtOpt(p.queue.avgBatchSize, 1)} msgs, ` +
        `p50 ${fmtOpt(p.queue.batchMsP50, 0)} ms, p99 ${fmtOpt(p.queue.batchMsP99, 0)} ms per batch` +
        `${p.otherStates ? `; ${p.otherStates} orders in other states` : ''}`,
    );
    console.log(
      `purchase steps (p50/p99 ms): ${Object.entries(p.steps)
        .map(([step, q]) => `${step} ${fmtOpt(q.p50, 0)}/${fmtOpt(q.p99, 0)}`)
        .join(', ')}`,
    );
  }
  for (const t of Object.values(targets)) {
    const value =
      t.value === null ? 'not measured' : t.target.includes('tickets') ? `${fmt(t.value)} tickets/s` : `${fmt(t.value, 2)} x`;
    console.log(`target: ${t.target}: ${value} -> ${t.met === null ? '-' : t.met ? 'MET' : 'NOT MET'}`);
  }
  const errorLines = (logCounts.error ?? 0) + (logCounts.stderr ?? 0);
  if (errorLines > 0) {
    console.log(`\nworker logs: ${JSON.stringify(logCounts)}; last lines:`);
    for (const entry of recentLogs.slice(-5)) console.log(`  [${entry.kind}] ${entry.line}`);
  }

  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    settings,
    baselineHelloRps: baseline,
    figures: figures.map((f) => ({ ...f, ratioToHello: ratio(f.perSecond) })),
    purchases: purchases ? { ...purchases, d1PerPurchase } : null,
    targets,
    workerLogCounts: logCounts,
  };
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nJSON: ${path.relative(ROOT, outFile)}`);
}

function miniflareVersion() {
  try {
    const fromWrangler = createRequire(require.resolve('wrangler/package.json'));
    const pkg = JSON.parse(readFileSync(fromWrangler.resolve('miniflare/package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

main()
  .then(() => cleanup())
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (recentLogs.length > 0) {
      console.error('[bench] last lines from workerd:');
      for (const entry of recentLogs) console.error(`  [${entry.kind}] ${entry.line}`);
    }
    await cleanup();
    process.exit(1);
  });
