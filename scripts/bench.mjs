/**
 * `npm run bench`: load benchmark of the whole Worker running in workerd, in one run.
 *
 * The Worker is bundled as `wrangler deploy` bundles it and served by Miniflare straight from
 * workerd on 127.0.0.1 (not through `wrangler dev`, whose Node proxy caps a hello-world far below
 * what workerd can do). The bindings mirror wrangler.toml: the SQLite-backed EventInventory
 * Durable Object, D1 with the migrations applied, both queues with their batch settings, fresh
 * local secrets. State lives in a temp dir that is deleted at the end. See scripts/bench/workerd.mjs;
 * each phase is a module in scripts/bench/phases/, the table and JSON are scripts/bench/report.mjs.
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
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { log } from './bench/format.mjs';
import { cleanup, guardProcess, lifetime, makeTempRoot } from './bench/lifetime.mjs';
import { tuneConnections } from './bench/load.mjs';
import { helloPhase } from './bench/phases/hello.mjs';
import { holdsPhase } from './bench/phases/holds.mjs';
import { probePhases } from './bench/phases/probes.mjs';
import { reportPurchases } from './bench/phases/purchase-report.mjs';
import { purchasePhase } from './bench/phases/purchases.mjs';
import { readsPhase } from './bench/phases/reads.mjs';
import { waitingRoomPhases } from './bench/phases/waiting-room.mjs';
import { report } from './bench/report.mjs';
import { createPublishedEvent, seedDatabase } from './bench/seed.mjs';
import { readSettings } from './bench/settings.mjs';
import { workerLogs } from './bench/worker-logs.mjs';
import { bundleWorker, machineInfo, startWorkerd } from './bench/workerd.mjs';
import { mainDatabase, readWranglerConfig } from './lib/wrangler.mjs';

const settings = readSettings();

async function main() {
  const startedAt = new Date();
  const s = settings;
  guardProcess((90 + s.seconds * 12 + s.drainSeconds + (s.autoConnections ? 20 : 0)) * 1000);

  const tmpRoot = makeTempRoot();
  const machine = machineInfo();
  log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${machine.loadavg.join(' ')}`);

  log('bundling the Worker (wrangler deploy --dry-run)');
  const [scriptPath, config] = await Promise.all([
    bundleWorker(path.join(tmpRoot, 'bundle')),
    readWranglerConfig(),
  ]);

  const logs = workerLogs();
  log(`starting workerd (Miniflare, ${s.persistInMemory ? 'in-memory' : 'temp dir'} storage)`);
  const runtime = await startWorkerd(
    config,
    scriptPath,
    {
      paymentsBatchSize: s.paymentsBatchSize,
      paymentsBatchTimeout: s.paymentsBatchTimeout,
      notificationsConsumer: s.notificationsConsumer,
      countD1: s.countD1,
      persistDir: s.persistInMemory ? null : path.join(tmpRoot, 'state'),
    },
    logs.onLog,
  ).catch((error) => {
    for (const entry of logs.recent) console.error(`  [${entry.kind}] ${entry.line}`);
    throw error;
  });
  lifetime.mf = runtime.mf;
  lifetime.workerdPids = runtime.pids;
  const base = runtime.url;
  log(`listening on ${base.origin}; workerd pid ${runtime.pids.join(', ') || 'unknown'}`);

  const { apiKey, migrations } = await seedDatabase(base, mainDatabase(config).migrationsDir);
  const tag = randomBytes(3).toString('hex');
  const holdEvent = await createPublishedEvent(base, apiKey, `bench-holds-${tag}`);
  const buyEvent = await createPublishedEvent(base, apiKey, `bench-buy-${tag}`);
  const probeEvent = await createPublishedEvent(base, apiKey, `bench-probe-${tag}`);
  log(`${migrations.length} migration file(s) applied; 3 events on sale`);

  let connections = s.connections;
  /** @type {Record<string, number> | undefined} */
  let connectionSweep;
  if (s.autoConnections) {
    log('BENCH_CONNECTIONS=auto: the best connection count for /healthz');
    const tuned = await tuneConnections(base);
    connections = tuned.best;
    connectionSweep = tuned.tried;
  }
  /** @type {import('./bench/load.mjs').PhaseContext} */
  const ctx = { base, url: (p) => new URL(p, base).href, connections, settings: s };
  log(
    `phases: ${s.phases.join(', ')}; ${s.seconds}s each, ${connections} connections, ${s.buyers} buyers`,
  );

  /** @type {import('./bench/load.mjs').Figure[]} */
  const figures = [];
  if (s.phases.includes('hello'))
    figures.push(await helloPhase(ctx, { seconds: s.seconds, again: false }));
  if (s.phases.includes('reads')) figures.push(await readsPhase(ctx, holdEvent));
  if (s.phases.includes('holds')) figures.push(await holdsPhase(ctx, holdEvent));
  if (s.phases.includes('probes')) figures.push(...(await probePhases(ctx, probeEvent)));

  /** @type {import('./bench/phases/purchases.mjs').PurchaseResult | undefined} */
  let purchases;
  /** @type {{ roundTrips: number, calls: Record<string, number> } | undefined} */
  let d1PerPurchase;
  if (s.phases.includes('purchases')) {
    log(`purchases: ${s.buyers} buyers for ${s.seconds}s, then until the last order is paid`);
    const d1Before = new Map(logs.d1Calls);
    purchases = await purchasePhase(
      base,
      buyEvent,
      { buyers: s.buyers, seconds: s.seconds, drainSeconds: s.drainSeconds },
      logs.queueStats,
    );
    const reported = reportPurchases(purchases, {
      countD1: s.countD1,
      d1Before,
      d1Calls: logs.d1Calls,
    });
    d1PerPurchase = reported.d1PerPurchase;
    figures.push(...reported.figures);
  }
  /** @type {Awaited<ReturnType<typeof waitingRoomPhases>> | undefined} */
  let waitingRoom;
  if (s.phases.includes('joins') || s.phases.includes('status')) {
    waitingRoom = await waitingRoomPhases(ctx, apiKey, tag);
    figures.push(...waitingRoom.figures);
  }
  if (s.phases.includes('hello') && s.phases.length > 1) {
    figures.push(await helloPhase(ctx, { seconds: s.shortSeconds, again: true }));
  }

  report({
    startedAt,
    machine,
    settings: s,
    connections,
    connectionSweep,
    runtime,
    config,
    figures,
    purchases,
    d1PerPurchase,
    waitingRoom,
    logs,
  });
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
