/** The bench's settings, from the environment (the list is in scripts/bench.mjs). */
import path from 'node:path';
import { ROOT } from '../lib/wrangler.mjs';

/** The connection count that gave /healthz its best throughput here (BENCH_CONNECTIONS=auto). */
export const DEFAULT_CONNECTIONS = 50;
const DEFAULT_BUYERS = 100;
export const ALL_PHASES = ['hello', 'reads', 'holds', 'probes', 'purchases', 'joins', 'status'];

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

/** Read once; a bad value stops the bench before anything starts. */
export function readSettings() {
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
}

/** @typedef {ReturnType<typeof readSettings>} Settings */
