/**
 * Fixed-duration load with autocannon: one phase is a 1 s warm-up and the measured run, and
 * becomes one row of the table (a Figure) with workerd's CPU over the run.
 */
import { createRequire } from 'node:module';
import { fmt, fmtOpt, log, sum } from './format.mjs';
import { lifetime } from './lifetime.mjs';
import { DEFAULT_CONNECTIONS } from './settings.mjs';
import { cpuBetween, cpuSnapshot } from './workerd.mjs';

const CONNECTION_CANDIDATES = [10, 25, 50, 100, 200];

/** @typedef {import('./format.mjs').Json} Json */
/** @typedef {import('./workerd.mjs').CpuUsage} CpuUsage */
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
export async function loadPhase(spec) {
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
export async function tuneConnections(base) {
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

/**
 * What every phase gets: the Worker's address, the connection count and the settings.
 * @typedef {{ base: URL, url: (pathname: string) => string, connections: number,
 *   settings: import('./settings.mjs').Settings }} PhaseContext
 */
