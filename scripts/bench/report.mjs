/**
 * The bench's result: each figure as a ratio to hello-world, the targets, the table on stdout
 * and the JSON in BENCH_OUT (bench-results/latest.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { miniflareVersion } from '../lib/miniflare.mjs';
import { ROOT } from '../lib/wrangler.mjs';
import { fmt, fmtOpt, sum, table } from './format.mjs';

const TARGET_HOLDS_RATIO = 0.6;
const TARGET_TICKETS_PER_S = 1000;
const TARGET_STATUS_RATIO = 0.8;
const TARGET_DO_REQUESTS_PER_S = 5;

/**
 * Everything a run measured, as the entry collects it.
 * @typedef {{
 *   startedAt: Date,
 *   machine: ReturnType<typeof import('./workerd.mjs').machineInfo>,
 *   settings: import('./settings.mjs').Settings,
 *   connections: number,
 *   connectionSweep: Record<string, number> | undefined,
 *   runtime: Awaited<ReturnType<typeof import('./workerd.mjs').startWorkerd>>,
 *   config: import('../lib/wrangler.mjs').WranglerConfig,
 *   figures: import('./load.mjs').Figure[],
 *   purchases: import('./phases/purchases.mjs').PurchaseResult | undefined,
 *   d1PerPurchase: { roundTrips: number, calls: Record<string, number> } | undefined,
 *   waitingRoom: Awaited<ReturnType<typeof import('./phases/waiting-room.mjs').waitingRoomPhases>> | undefined,
 *   logs: import('./worker-logs.mjs').WorkerLogs,
 * }} Run
 */

/**
 * Prints the table and the targets and writes the JSON.
 * @param {Run} run
 */
export function report(run) {
  const { startedAt, machine, settings: s, connections, connectionSweep, runtime, config } = run;
  const { figures, purchases, d1PerPurchase, waitingRoom } = run;
  const logCounts = run.logs.counts;
  const recentLogs = run.logs.recent;
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
