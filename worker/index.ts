import { app } from './app';
import { handleCancellationBatch } from './cancellation/consumer';
import type {
  CancellationMessage,
  NotificationMessage,
  PaymentMessage,
} from './consumers/messages';
import { handleNotificationBatch } from './consumers/notifications-consumer';
import { handlePaymentBatch } from './consumers/payments-consumer';
import { sweep } from './consumers/sweep';
import { reportSettingsOnce } from './payments/availability';
import { reconcileIfDue } from './reconciliation/job';

export { EventInventory } from '../durable-objects/event-inventory';

export default {
  fetch: app.fetch,

  /** One Worker consumes every queue; the queue's name says which. */
  async queue(batch, env, _ctx) {
    if (batch.queue.endsWith('-payments')) {
      await handlePaymentBatch(batch as MessageBatch<PaymentMessage>, env);
    } else if (batch.queue.endsWith('-notifications')) {
      await handleNotificationBatch(batch as MessageBatch<NotificationMessage>, env);
    } else if (batch.queue.endsWith('-cancellations')) {
      await handleCancellationBatch(batch as MessageBatch<CancellationMessage>, env);
    } else {
      console.error(
        JSON.stringify({ level: 'error', message: `No consumer for queue ${batch.queue}` }),
      );
      batch.retryAll();
    }
  },

  /** The cron sweep, at the time the cron was due (tests pass their own). */
  async scheduled(controller, env, ctx) {
    reportSettingsOnce(env);
    ctx.waitUntil(
      sweep(env, controller.scheduledTime).then(
        (result) => console.log(JSON.stringify({ level: 'info', cron: 'sweep', ...result })),
        (error: unknown) =>
          console.error(
            JSON.stringify({
              level: 'error',
              cron: 'sweep',
              error: error instanceof Error ? error.message : String(error),
            }),
          ),
      ),
    );
    // Reconciliation runs every 15 minutes (its own lease and cursor), apart from the sweep.
    ctx.waitUntil(
      reconcileIfDue(env, controller.scheduledTime).then(
        (result) =>
          result && console.log(JSON.stringify({ level: 'info', cron: 'reconcile', ...result })),
        (error: unknown) =>
          console.error(
            JSON.stringify({
              level: 'error',
              cron: 'reconcile',
              error: error instanceof Error ? error.message : String(error),
            }),
          ),
      ),
    );
  },
} satisfies ExportedHandler<Env, PaymentMessage | NotificationMessage | CancellationMessage>;
