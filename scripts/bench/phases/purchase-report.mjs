/** The purchase phase's log lines and table rows, and what one purchase costs in D1 calls. */
import { fmt, log, sum } from '../format.mjs';
import { TICKETS_PER_PURCHASE } from './purchases.mjs';

/** @typedef {import('./purchases.mjs').PurchaseResult} PurchaseResult */
/** @typedef {import('../load.mjs').Figure} Figure */

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

/**
 * Logs the phase's outcome and, with BENCH_COUNT_D1=1, the D1 round trips of one purchase
 * (the calls counted since `d1Before`); answers those and the rows of the table.
 * @param {PurchaseResult} p
 * @param {{ countD1: boolean, d1Before: Map<string, number>, d1Calls: Map<string, number> }} d1
 */
export function reportPurchases(p, { countD1, d1Before, d1Calls }) {
  log(
    `purchases: ${p.paid}/${p.accepted} paid, ${p.tickets} tickets in ${fmt(p.windowS, 2)}s: ` +
      `${fmt(p.purchasesPerS)} purchases/s, ${fmt(p.ticketsPerS)} tickets/s` +
      `${p.complete ? '' : ' (INCOMPLETE: the drain timed out)'}`,
  );
  /** @type {{ roundTrips: number, calls: Record<string, number> } | undefined} */
  let d1PerPurchase;
  if (countD1 && p.paid > 0) {
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
  return { d1PerPurchase, figures: purchaseFigures(p) };
}
