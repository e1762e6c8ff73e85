/**
 * What workerd and Miniflare say during the run: the PAYMENTS consumer's batch lines, D1 round
 * trips (BENCH_COUNT_D1=1), and errors, kept for the report.
 */

/** Collects the lines `startWorkerd` hands to its `onLog`. */
export function workerLogs() {
  /** @type {{ kind: string, line: string }[]} */
  const recent = [];
  /** @type {Record<string, number>} */
  const counts = {};
  /** @type {Map<string, number>} */
  const d1Calls = new Map();
  /** @type {number[]} */
  const batchMs = [];
  const queue = { batches: 0, messages: 0, batchMs };
  /** @type {import('./workerd.mjs').OnLog} */
  const onLog = (kind, line) => {
    if (kind === 'queue') {
      const match = /^QUEUE (\S+) (\d+)\/(\d+)(?: \((\d+)ms\))?/.exec(line);
      if (match?.[1]?.includes('payments')) {
        queue.batches += 1;
        queue.messages += Number(match[3]);
        if (match[4]) batchMs.push(Number(match[4]));
      }
    } else if (kind === 'd1') {
      d1Calls.set(line, (d1Calls.get(line) ?? 0) + 1);
    } else {
      const level = /"level":"(\w+)"/.exec(line)?.[1] ?? kind;
      counts[level] = (counts[level] ?? 0) + 1;
      recent.push({ kind: level, line: line.slice(0, 400) });
      if (recent.length > 20) recent.shift();
    }
  };
  /** The PAYMENTS batches so far (a copy). */
  const queueStats = () => ({
    batches: queue.batches,
    messages: queue.messages,
    batchMs: [...batchMs],
  });
  return { onLog, recent, counts, d1Calls, queueStats };
}

/** @typedef {ReturnType<typeof workerLogs>} WorkerLogs */
