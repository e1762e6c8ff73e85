/**
 * Purchases: virtual buyers loop hold(2) -> checkout -> sandbox pay; the PAYMENTS consumer
 * marks the order paid and writes the tickets. Timed from the first request until the last
 * order is paid with its tickets in D1.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { asJson, messageOf, quantile, sleep, sum } from '../format.mjs';
import { d1, newClient, request } from '../http.mjs';
import { lifetime } from '../lifetime.mjs';
import { ticketTypeOf } from '../seed.mjs';
import { cpuBetween, cpuSnapshot } from '../workerd.mjs';

export const TICKETS_PER_PURCHASE = 2;

/** @typedef {import('../seed.mjs').BenchEvent} BenchEvent */

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
export async function purchasePhase(base, event, opts, queueStats) {
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
      // Each purchase from a client of its own: the per-client limits are not what is measured.
      const client = newClient();
      try {
        const hold = await request(
          base,
          'POST',
          `/api/v1/events/${event.id}/holds`,
          { items: [{ ticketTypeId, quantity: TICKETS_PER_PURCHASE }] },
          client,
        );
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
          { 'idempotency-key': randomUUID(), ...client },
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
