/**
 * The runtime side of `npm run bench` (scripts/bench.mjs): bundle the Worker the way
 * `wrangler deploy` does, start it in workerd through Miniflare with the bindings of
 * wrangler.toml, and account for the CPU that workerd uses.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { localSecrets } from '../lib/secrets.mjs';
import { mainDatabase, requiredSecretNames, runWrangler } from '../lib/wrangler.mjs';

const CLK_TCK = 100; // /proc/<pid>/stat ticks per second on Linux

/** @typedef {import('../lib/wrangler.mjs').WranglerConfig} WranglerConfig */
/**
 * @typedef {{ maxBatchSize?: number, maxBatchTimeout?: number, maxRetries?: number,
 *   deadLetterQueue?: string }} QueueConsumer
 * @typedef {{ paymentsBatchSize?: number, paymentsBatchTimeout?: number,
 *   notificationsConsumer: boolean, countD1: boolean, persistDir: string | null }} RuntimeOptions
 * @typedef {(kind: 'queue' | 'd1' | 'error' | 'warn' | 'stdout' | 'stderr', line: string) => void} OnLog
 */

// ---------------------------------------------------------------------------------------------
// Build

/**
 * The Worker bundle exactly as `wrangler deploy` would upload it (same esbuild settings, export
 * conditions such as `workerd` for stripe, nodejs_compat polyfills), without uploading.
 * @param {string} outdir
 * @returns {Promise<string>} the bundled entry module
 */
export async function bundleWorker(outdir) {
  const { code, output } = await runWrangler(
    ['deploy', '--dry-run', '--outdir', outdir, '--env', ''],
    { quiet: true, env: { WRANGLER_SEND_METRICS: 'false' }, timeoutMs: 120_000 },
  );
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}):\n${output.trim()}`);
  return path.join(outdir, 'index.js');
}

// ---------------------------------------------------------------------------------------------
// Bench-only Workers (configuration of this run only; the app's code is not touched)

/**
 * Reached under /__bench/*. It calls the app's Durable Object and D1 directly, so their cost can
 * be told apart from the app's own request handling, and it gives the bench a D1 path that does
 * not go through Miniflare's Node-side proxy (whose synchronous calls block this process's event
 * loop, and with it the load generators). BenchPing is a minimal SQLite-backed object: `ping()`
 * is the floor of a Worker -> Durable Object RPC, `bump()` adds one SQL write and its commit.
 */
const PROBE_WORKER = `
import { DurableObject } from 'cloudflare:workers';

export class BenchPing extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    ctx.storage.sql.exec('INSERT OR IGNORE INTO counter (id, n) VALUES (1, 0)');
  }
  ping() {
    return 1;
  }
  bump() {
    return this.ctx.storage.sql.exec('UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n').one().n;
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const eventId = url.searchParams.get('event') ?? '';
    const inventory = () => env.INVENTORY.get(env.INVENTORY.idFromName(eventId));
    switch (url.pathname) {
      case '/__bench/hello':
        return new Response('ok');
      case '/__bench/do-ping':
        return Response.json(await env.PING.get(env.PING.idFromName('ping')).ping());
      case '/__bench/do-write':
        return Response.json(await env.PING.get(env.PING.idFromName('ping')).bump());
      case '/__bench/do-read':
        return Response.json(await inventory().availability());
      case '/__bench/do-metrics':
        return Response.json(await inventory().metrics());
      case '/__bench/do-join': {
        const result = await inventory().joinQueue();
        return Response.json(result, { status: result.ok ? 201 : 409 });
      }
      case '/__bench/do-hold': {
        const items = [{ ticketTypeId: url.searchParams.get('type') ?? '', quantity: 1 }];
        const result = await inventory().hold(items);
        return Response.json(result, { status: result.ok ? 201 : 409 });
      }
      case '/__bench/d1-read': {
        const row = await env.DB.prepare('SELECT id, slug, status FROM events WHERE id = ?').bind(eventId).first();
        return Response.json(row, { status: row ? 200 : 404 });
      }
      case '/__bench/d1': {
        const { statements } = await request.json();
        const prepared = statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...(params ?? [])));
        const results = await env.DB.batch(prepared);
        return Response.json(results.map((result) => result.results ?? []));
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
`;

/**
 * BENCH_COUNT_D1=1: the app's DB binding becomes a Miniflare wrapped binding around the real
 * database that logs every round trip (a statement's first/all/run/raw, a batch), so the run
 * can say what one purchase costs in D1 calls. Logging each call slows the run.
 */
const D1_COUNTER_WORKER = `
export default function (env) {
  const inner = env.INNER;
  const targets = new WeakMap();
  const note = (kind, sql) =>
    console.log('BENCHD1 ' + kind + ' ' + String(sql).replace(/\\s+/g, ' ').slice(0, 100));
  const wrap = (statement, sql) => {
    const proxy = new Proxy(statement, {
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
    targets.set(proxy, statement);
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

// ---------------------------------------------------------------------------------------------
// Start

/**
 * workerd via Miniflare, on 127.0.0.1 and a free port, configured like wrangler.toml, with
 * fresh local secrets.
 * @param {WranglerConfig} config
 * @param {string} scriptPath
 * @param {RuntimeOptions} options
 * @param {OnLog} onLog
 */
export async function startWorkerd(config, scriptPath, options, onLog) {
  /** Keeps Miniflare quiet, but reads its per-batch queue lines ("QUEUE name 25/25 (93ms)"). */
  class BenchLog extends Log {
    /** @param {import('miniflare').LogLevel} level @param {string} message */
    logWithLevel(level, message) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
      const plain = message.replace(/\x1b\[[0-9;]*m/g, '');
      if (plain.startsWith('QUEUE ')) onLog('queue', plain);
      else if (level <= LogLevel.WARN) onLog(level === LogLevel.ERROR ? 'error' : 'warn', plain);
    }
  }

  const appName = config.name ?? 'tessera';
  /** @type {Record<string, QueueConsumer>} */
  const queueConsumers = {};
  for (const consumer of config.queues.consumers ?? []) {
    const isPayments = consumer.queue.includes('payments');
    if (consumer.queue.includes('notifications') && !options.notificationsConsumer) continue;
    queueConsumers[consumer.queue] = {
      maxBatchSize: (isPayments && options.paymentsBatchSize) || consumer.max_batch_size,
      maxBatchTimeout:
        isPayments && options.paymentsBatchTimeout !== undefined
          ? options.paymentsBatchTimeout
          : consumer.max_batch_timeout,
      maxRetries: consumer.max_retries,
      deadLetterQueue: consumer.dead_letter_queue,
    };
  }
  const sqliteClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  const durableObjects = Object.fromEntries(
    config.durable_objects.bindings.map((binding) => [
      binding.name,
      { className: binding.class_name, useSQLite: sqliteClasses.has(binding.class_name) },
    ]),
  );
  const d1Id = mainDatabase(config).databaseId;
  const queueProducers = Object.fromEntries(
    (config.queues.producers ?? []).map((p) => [p.binding, { queueName: p.queue }]),
  );
  const persist = options.persistDir;

  /** @param {import('node:stream').Readable} stream @param {'stdout' | 'stderr'} kind */
  const readLines = (stream, kind) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + String(chunk)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('BENCHD1 ')) onLog('d1', line.slice(line.indexOf('BENCHD1 ') + 8));
        else if (line.trim()) onLog(kind, line);
      }
    });
  };

  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    cf: false, // no download of request.cf data
    logRequests: false, // a Node round trip per request otherwise
    log: new BenchLog(LogLevel.INFO),
    /** @param {import('node:stream').Readable} stdout @param {import('node:stream').Readable} stderr */
    handleRuntimeStdio(stdout, stderr) {
      readLines(stdout, 'stdout');
      readLines(stderr, 'stderr');
    },
    d1Persist: persist === null ? false : path.join(persist, 'd1'),
    durableObjectsPersist: persist === null ? false : path.join(persist, 'do'),
    queuesPersist: false,
    workers: [
      {
        name: appName,
        modules: true,
        scriptPath,
        modulesRoot: path.dirname(scriptPath),
        // wrangler.toml's [[rules]] (htmx is text, not code). The dry-run bundle names such a
        // module `<content hash>-<name>`, so each glob also matches that prefix.
        modulesRules: (config.rules ?? []).map((rule) => ({
          type: rule.type,
          include: rule.globs.flatMap((glob) => [glob, glob.replace(/([^/]+)$/, '*$1')]),
          fallthrough: rule.fallthrough,
        })),
        compatibilityDate: config.compatibility_date,
        compatibilityFlags: config.compatibility_flags,
        bindings: {
          ...config.vars,
          ENVIRONMENT: 'development',
          ...localSecrets(requiredSecretNames(config), {
            kid: `bench-${randomBytes(4).toString('hex')}`,
          }),
        },
        ratelimits: Object.fromEntries(
          (config.ratelimits ?? []).map((limit) => [limit.name, { simple: limit.simple }]),
        ),
        durableObjects,
        ...(options.countD1
          ? { wrappedBindings: { DB: 'bench-d1-count' } }
          : { d1Databases: { DB: d1Id } }),
        queueProducers,
        queueConsumers,
      },
      {
        name: 'bench-probe',
        modules: true,
        script: PROBE_WORKER,
        compatibilityDate: config.compatibility_date,
        routes: ['*/__bench/*'],
        durableObjects: {
          INVENTORY: { className: 'EventInventory', scriptName: appName },
          PING: { className: 'BenchPing', useSQLite: true },
        },
        d1Databases: { DB: d1Id },
      },
      ...(options.countD1
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
  });
  try {
    const url = await mf.ready;
    return { mf, url, pids: findChildPids('workerd'), queueConsumers, durableObjects };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// CPU accounting: workerd (all its threads), this Node process, the whole machine.

/**
 * @typedef {{ wallMs: number, workerdTicks: number, nodeUs: number, machineBusy: number,
 *   machineTotal: number }} CpuSnapshot
 * @typedef {{ workerdCpuPct: number | null, workerdCpuMs: number | null, nodeCpuPct: number,
 *   machineBusyPct: number | null }} CpuUsage
 */

/** @param {string | number} pid */
function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    fields: stat.slice(stat.lastIndexOf(')') + 2).split(' '), // fields[0] is field 3 (state)
  };
}

/**
 * Children of this process with that name (Linux /proc; empty elsewhere).
 * @param {string} name
 */
export function findChildPids(name) {
  /** @type {number[]} */
  const pids = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const { comm, fields } = procStat(entry);
        if (Number(fields[1]) === process.pid && comm.includes(name)) pids.push(Number(entry));
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return pids;
}

/** @param {number[]} pids */
function ticksOf(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const { fields } = procStat(pid);
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // exited
    }
  }
  return ticks;
}

function machineTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/**
 * @param {number[]} workerdPids
 * @returns {CpuSnapshot}
 */
export function cpuSnapshot(workerdPids) {
  const machine = machineTicks();
  const usage = process.cpuUsage();
  return {
    wallMs: performance.now(),
    workerdTicks: ticksOf(workerdPids),
    nodeUs: usage.user + usage.system,
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

/**
 * @param {CpuSnapshot} from
 * @param {CpuSnapshot} to
 * @param {boolean} haveWorkerd
 * @returns {CpuUsage}
 */
export function cpuBetween(from, to, haveWorkerd) {
  const wallMs = Math.max(1, to.wallMs - from.wallMs);
  const workerdMs = ((to.workerdTicks - from.workerdTicks) * 1000) / CLK_TCK;
  const machineTotal = to.machineTotal - from.machineTotal;
  return {
    workerdCpuPct: haveWorkerd ? (100 * workerdMs) / wallMs : null,
    workerdCpuMs: haveWorkerd ? workerdMs : null,
    nodeCpuPct: (100 * (to.nodeUs - from.nodeUs)) / 1000 / wallMs,
    machineBusyPct:
      machineTotal > 0 ? (100 * (to.machineBusy - from.machineBusy)) / machineTotal : null,
  };
}

export function machineInfo() {
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
