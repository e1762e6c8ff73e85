/**
 * The waiting-room phases of `npm run bench` (issue 3):
 *   joins   BENCH_JOIN_BURST (10,000) buyers join one event's queue at once: every answer a 201,
 *           every token distinct, every sequence number 1..N handed out exactly once; then more
 *           joins until BENCH_QUEUE_BUYERS (100,000) buyers wait in line.
 *   status  GET /queue/status as fast as the load generator can, each request with the token of
 *           another of those buyers; the DO's own request counter is read before and after, so
 *           the run says how many requests per second reached the event's Durable Object.
 * Each join comes from its own client address (CF-Connecting-IP), as in a real rush, so the
 * per-client rate limit of joins lets them through.
 */
import { performance } from 'node:perf_hooks';
import { clientAddress } from './http.mjs';

/** @typedef {Record<string, unknown>} Json */
/** @typedef {{ status: number, body: Json, text: string }} ApiResponse */
/**
 * What bench.mjs lends this module.
 * @typedef {{
 *   request: (base: URL, method: string, pathname: string, body?: unknown,
 *     headers?: Record<string, string>) => Promise<ApiResponse>,
 *   cpuSnapshot: () => unknown,
 *   cpuBetween: (from: unknown, to: unknown) => { workerdCpuMs: number | null,
 *     workerdCpuPct: number | null },
 *   log: (message: string) => void,
 * }} Tools
 */

/** A client address per buyer: 10.x.y.z from the buyer's number. */

/**
 * The sequence number inside a queue token (a JWT; the bench only reads its payload).
 * @param {string} token
 * @returns {number | null}
 */
export function seqOfToken(token) {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims.seq === 'number' ? claims.seq : null;
  } catch {
    return null;
  }
}

/**
 * `count` joins with at most `parallel` in flight; the tokens in order of their answers.
 * @param {Tools} tools
 * @param {URL} base
 * @param {string} eventId
 * @param {{ from: number, count: number, parallel: number }} range
 */
async function joinMany(tools, base, eventId, range) {
  /** @type {string[]} */
  const tokens = [];
  /** @type {Record<string, number>} */
  const failures = {};
  let next = 0;
  const worker = async () => {
    while (next < range.count) {
      const i = range.from + next++;
      try {
        const res = await tools.request(
          base,
          'POST',
          `/api/v1/events/${eventId}/queue`,
          undefined,
          {
            'cf-connecting-ip': clientAddress(i),
          },
        );
        const token = res.body.queueToken;
        if (res.status === 201 && typeof token === 'string') tokens.push(token);
        else failures[String(res.status)] = (failures[String(res.status)] ?? 0) + 1;
      } catch (error) {
        const kind = error instanceof Error ? error.message.slice(0, 40) : 'error';
        failures[kind] = (failures[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: range.parallel }, worker));
  return { tokens, failures };
}

/**
 * The join burst and the fill-up to `queueBuyers`.
 * @param {Tools} tools
 * @param {URL} base
 * @param {string} eventId
 * @param {{ burst: number, queueBuyers: number, parallel: number }} opts
 */
export async function joinPhase(tools, base, eventId, opts) {
  const before = tools.cpuSnapshot();
  const t0 = performance.now();
  const burst = await joinMany(tools, base, eventId, {
    from: 0,
    count: opts.burst,
    parallel: opts.parallel,
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = tools.cpuBetween(before, tools.cpuSnapshot());
  const seqs = burst.tokens.map(seqOfToken);
  const distinctSeqs = new Set(seqs.filter((s) => s !== null));
  const expected = Array.from({ length: opts.burst }, (_, i) => i + 1);
  const check = {
    answered201: burst.tokens.length,
    distinctTokens: new Set(burst.tokens).size,
    distinctSeqs: distinctSeqs.size,
    // None lost, none twice: exactly the numbers 1..burst.
    seqsAreOneToN: distinctSeqs.size === opts.burst && expected.every((n) => distinctSeqs.has(n)),
    failures: burst.failures,
  };
  tools.log(
    `joins: ${opts.burst} in ${seconds.toFixed(2)}s = ${Math.round(opts.burst / seconds)}/s; ` +
      `${check.answered201} x 201, ${check.distinctTokens} distinct tokens, seqs 1..N ` +
      `${check.seqsAreOneToN ? 'exact' : 'NOT exact'}` +
      `${Object.keys(burst.failures).length > 0 ? `; failures ${JSON.stringify(burst.failures)}` : ''}`,
  );

  tools.log(`joins: filling the line to ${opts.queueBuyers} buyers`);
  const fill = await joinMany(tools, base, eventId, {
    from: opts.burst,
    count: Math.max(0, opts.queueBuyers - opts.burst),
    parallel: opts.parallel,
  });
  const tokens = [...burst.tokens, ...fill.tokens];
  return {
    burst: opts.burst,
    seconds,
    perSecond: opts.burst / seconds,
    cpu,
    workerdCpuMsPerJoin: cpu.workerdCpuMs === null ? null : cpu.workerdCpuMs / opts.burst,
    check,
    tokens,
    queued: tokens.length,
    fillFailures: fill.failures,
  };
}

/**
 * The DO's count of requests it served (all, and by RPC method), read through the bench's
 * probe Worker; the read itself is not counted.
 * @param {Tools} tools
 * @param {URL} base
 * @param {string} eventId
 * @returns {Promise<{ requests: number, byMethod: Record<string, number> }>}
 */
export async function doRequestCount(tools, base, eventId) {
  const res = await tools.request(base, 'GET', `/__bench/do-metrics?event=${eventId}`);
  const requests = Number(res.body.requests);
  if (res.status !== 200 || !Number.isFinite(requests)) {
    throw new Error(`DO metrics: ${res.status} ${res.text.slice(0, 200)}`);
  }
  const byMethod = /** @type {Record<string, number>} */ (res.body.byMethod ?? {});
  return { requests, byMethod };
}

/**
 * What the DO served between two readings, by method.
 * @param {{ byMethod: Record<string, number> }} before
 * @param {{ byMethod: Record<string, number> }} after
 */
export function methodsBetween(before, after) {
  return Object.fromEntries(
    Object.entries(after.byMethod)
      .map(([method, n]) => [method, n - (before.byMethod[method] ?? 0)])
      .filter(([, n]) => Number(n) > 0),
  );
}

/**
 * autocannon requests that rotate through every buyer's token.
 * @param {string} pathname
 * @param {string[]} tokens
 */
export function rotatingStatusRequests(pathname, tokens) {
  let i = 0;
  return [
    {
      method: 'GET',
      path: pathname,
      /** @param {{ headers?: Record<string, string> }} req */
      setupRequest: (req) => {
        const token = tokens[i++ % tokens.length];
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } };
      },
    },
  ];
}
