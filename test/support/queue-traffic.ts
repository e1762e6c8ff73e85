import { env } from 'cloudflare:test';
import worker from '../../worker/index';

/**
 * Every message the Worker sends on its queues, and whether each has reached its consumer.
 * The producers in `env` and the Worker's `queue` handler are the very objects the app runs
 * with in the pool, so wrapping them here sees all traffic: a "nothing written" snapshot
 * lists what was sent, and settling waits for what was sent to be consumed (no fixed sleep
 * guessed against the 1-2 s batch timeout).
 */

const PRODUCERS = ['PAYMENTS', 'NOTIFICATIONS'] as const;
type Producer = (typeof PRODUCERS)[number];

interface Traffic {
  /** "BINDING body-as-JSON", in sending order. */
  sent: string[];
  /** Sent bodies (as JSON) not yet handed to the consumer, with their count. */
  undelivered: Map<string, number>;
  batchesInFlight: number;
}

const WRAPPED = Symbol.for('tessera.test.queueTraffic');
type Marked = { [WRAPPED]?: true };

// One record per isolate, even if this module is loaded again: the wrapped objects are shared.
const shared = globalThis as { [WRAPPED]?: Traffic };
shared[WRAPPED] ??= { sent: [], undelivered: new Map(), batchesInFlight: 0 };
const traffic: Traffic = shared[WRAPPED];

function adjust(key: string, delta: number): void {
  const count = (traffic.undelivered.get(key) ?? 0) + delta;
  if (count > 0) traffic.undelivered.set(key, count);
  else traffic.undelivered.delete(key);
}

function wrapProducer(name: Producer): void {
  const queue: Queue & Marked = env[name];
  if (queue[WRAPPED]) return;
  const send = queue.send.bind(queue);
  const sendBatch = queue.sendBatch.bind(queue);
  const noted = (bodies: unknown[]) => bodies.map((body) => JSON.stringify(body));
  const track = async <R>(bodies: unknown[], sending: () => Promise<R>): Promise<R> => {
    const keys = noted(bodies);
    for (const key of keys) {
      traffic.sent.push(`${name} ${key}`);
      adjust(key, 1);
    }
    try {
      return await sending();
    } catch (error) {
      // Refused by the producer: nothing will be delivered (the send stays on record).
      for (const key of keys) adjust(key, -1);
      throw error;
    }
  };
  queue.send = (body, options) => track([body], () => send(body, options));
  queue.sendBatch = (messages, options) => {
    const list = [...messages];
    return track(
      list.map((m) => m.body),
      () => sendBatch(list, options),
    );
  };
  queue[WRAPPED] = true;
}

function wrapConsumer(): void {
  const handler: typeof worker & Marked = worker;
  if (handler[WRAPPED]) return;
  const consume = worker.queue;
  worker.queue = async (batch, batchEnv, ctx) => {
    traffic.batchesInFlight++;
    try {
      for (const message of batch.messages) adjust(JSON.stringify(message.body), -1);
      await consume.call(worker, batch, batchEnv, ctx);
    } finally {
      traffic.batchesInFlight--;
    }
  };
  handler[WRAPPED] = true;
}

/** Starts recording (idempotent). Runs when a test file imports the snapshot helpers. */
export function watchQueueTraffic(): void {
  for (const name of PRODUCERS) wrapProducer(name);
  wrapConsumer();
}

/** Every message sent since recording started, as "BINDING body-as-JSON". */
export function sentMessages(): string[] {
  return [...traffic.sent];
}

/**
 * Resolves once every message sent so far was handed to its consumer and no batch is being
 * processed. A message the consumer retries is not waited for again (its first delivery
 * counts): a test that makes a consumer fail owns that wait.
 */
export async function queuesDrained(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (traffic.undelivered.size > 0 || traffic.batchesInFlight > 0) {
    if (Date.now() > deadline) {
      throw new Error(
        `queues did not drain: ${traffic.batchesInFlight} batches in flight, undelivered ${JSON.stringify([...traffic.undelivered])}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

watchQueueTraffic();
