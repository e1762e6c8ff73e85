import { app } from './app';
import type { NotificationMessage, PaymentMessage } from './consumers/messages';
import { handleNotificationBatch } from './consumers/notifications-consumer';
import { handlePaymentBatch } from './consumers/payments-consumer';
import { sweep } from './consumers/sweep';
import { reportSettingsOnce } from './payments/availability';

export { EventInventory } from '../durable-objects/event-inventory';

export default {
  fetch: app.fetch,

  /** One Worker consumes both queues; the queue's name says which. */
  async queue(batch, env, _ctx) {
    if (batch.queue.endsWith('-payments')) {
      await handlePaymentBatch(batch as MessageBatch<PaymentMessage>, env);
    } else if (batch.queue.endsWith('-notifications')) {
      await handleNotificationBatch(batch as MessageBatch<NotificationMessage>, env);
    } else {
      console.error(
        JSON.stringify({ level: 'error', message: `No consumer for queue ${batch.queue}` }),
      );
      batch.retryAll();
    }
  },

  async scheduled(_controller, env, ctx) {
    reportSettingsOnce(env);
    ctx.waitUntil(
      sweep(env).then((result) =>
        console.log(JSON.stringify({ level: 'info', cron: 'sweep', ...result })),
      ),
    );
  },
} satisfies ExportedHandler<Env, PaymentMessage | NotificationMessage>;
