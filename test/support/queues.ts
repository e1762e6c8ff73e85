import { env } from 'cloudflare:test';

/** Message bodies a test's stand-in queues received. */
export interface SentMessages {
  payments: unknown[];
  notifications: unknown[];
}

function recordingQueue(into: unknown[], fail: boolean): Queue {
  const refuse = () => Promise.reject(new Error('queue unavailable (test)'));
  const queue = {
    send: async (body: unknown) => {
      if (fail) return refuse();
      into.push(body);
    },
    sendBatch: async (messages: Iterable<MessageSendRequest>) => {
      if (fail) return refuse();
      for (const message of messages) into.push(message.body);
    },
  };
  return queue as unknown as Queue;
}

/**
 * The test environment with its two queues replaced: sends are recorded instead of delivered
 * (no consumer runs), or, with `failing`, every send throws as a lost message would.
 */
export function envWithQueues(options: { failing?: boolean } = {}): {
  env: Env;
  sent: SentMessages;
} {
  const sent: SentMessages = { payments: [], notifications: [] };
  const fail = options.failing ?? false;
  return {
    env: {
      ...env,
      PAYMENTS: recordingQueue(sent.payments, fail),
      NOTIFICATIONS: recordingQueue(sent.notifications, fail),
    },
    sent,
  };
}
