/**
 * The waiting room under load: a burst of BENCH_JOIN_BURST joins on one event (none lost, every
 * token distinct), the line filled to BENCH_QUEUE_BUYERS, then GET /queue/status at full load
 * rotating through every queued buyer's token, with the event's DO request rate during the run
 * (it must stay O(1)/s). The clients are in ../waiting-room.mjs.
 */
import { performance } from 'node:perf_hooks';
import { fmt, log } from '../format.mjs';
import { request } from '../http.mjs';
import { lifetime } from '../lifetime.mjs';
import { loadPhase } from '../load.mjs';
import { createPublishedEvent } from '../seed.mjs';
import {
  doRequestCount,
  joinPhase,
  methodsBetween,
  rotatingStatusRequests,
} from '../waiting-room.mjs';
import { cpuBetween, cpuSnapshot } from '../workerd.mjs';

/** @typedef {import('../load.mjs').Figure} Figure */
/** @typedef {import('../workerd.mjs').CpuUsage} CpuUsage */
/** @typedef {import('../workerd.mjs').CpuSnapshot} CpuSnapshot */

/**
 * The join burst, then status polls by every queued buyer. The room admits slowly on purpose
 * (activeLimit 50, 60 per minute), so nearly everybody is still waiting while they poll.
 * @param {import('../load.mjs').PhaseContext} ctx
 * @param {string} apiKey
 * @param {string} tag
 */
export async function waitingRoomPhases(ctx, apiKey, tag) {
  const { base, connections, settings: s } = ctx;
  const room = { mode: 'always', activeLimit: 50, admitPerMinute: 60, admissionMinutes: 10 };
  const event = await createPublishedEvent(base, apiKey, `bench-queue-${tag}`, room);
  /** @type {import('../waiting-room.mjs').Tools} */
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
