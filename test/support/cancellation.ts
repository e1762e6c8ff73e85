import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import type { CancellationMessage } from '../../worker/consumers/messages';
import { createDb } from '../../worker/db/client';
import { orderLines, orders, payments, sandboxPayments, tickets } from '../../worker/db/schema';
import worker from '../../worker/index';

/**
 * Paid orders written straight into D1 (one ticket each, paid through the sandbox), as many as
 * a cancellation test needs without 300 checkouts. The sandbox's own payment rows are there,
 * so its refunds check and record money as they do for real orders.
 */
export async function seedPaidOrders(
  event: { id: string; organizerId: string; ticketTypeId: string; priceMinor: number },
  count: number,
  prefix: string,
): Promise<string[]> {
  const db = createDb(env.DB);
  const now = new Date().toISOString();
  const ids = Array.from(
    { length: count },
    (_, i) => `ord_${prefix}_${String(i).padStart(4, '0')}`,
  );
  for (let start = 0; start < ids.length; start += 20) {
    const chunk = ids.slice(start, start + 20);
    const statements = chunk.flatMap((id) => {
      const paymentId = `pay_sandbox_${id}`;
      return [
        db.insert(orders).values({
          id,
          eventId: event.id,
          organizerId: event.organizerId,
          status: 'paid',
          holdId: `hold_${id}`,
          idempotencyKey: `idem_${id}`,
          requestHash: 'seeded',
          buyerName: 'Ada',
          buyerEmail: `ada+${id}@example.com`,
          totalMinor: event.priceMinor,
          currency: 'EUR',
          paymentProvider: 'sandbox',
          paymentId,
          expiresAt: now,
          updatedAt: now,
          paidAt: now,
        }),
        db.insert(orderLines).values({
          orderId: id,
          ticketTypeId: event.ticketTypeId,
          name: 'General admission',
          quantity: 1,
          unitPriceMinor: event.priceMinor,
          lineTotalMinor: event.priceMinor,
        }),
        db.insert(tickets).values({
          id: `tkt_${id}`,
          orderId: id,
          eventId: event.id,
          ticketTypeId: event.ticketTypeId,
          position: 0,
          code: `code_${id}`,
        }),
        db.insert(sandboxPayments).values({
          id: paymentId,
          idempotencyKey: `pi_${id}`,
          orderId: id,
          amountMinor: event.priceMinor,
          currency: 'EUR',
          status: 'succeeded',
          description: 'seeded',
        }),
        db.insert(payments).values({
          id: paymentId,
          provider: 'sandbox',
          orderId: id,
          amountMinor: event.priceMinor,
          currency: 'EUR',
          status: 'succeeded',
          updatedAt: now,
        }),
      ];
    });
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }
  return ids;
}

/** A stand-in CANCELLATIONS queue: what was sent is kept, nothing is consumed by itself. */
export function recordingCancellations(): { env: Env; sent: CancellationMessage[] } {
  const sent: CancellationMessage[] = [];
  const queue = {
    send: async (body: CancellationMessage) => {
      sent.push(body);
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<CancellationMessage>>) => {
      for (const message of messages) sent.push(message.body);
    },
  };
  return { env: { ...env, CANCELLATIONS: queue as unknown as Queue }, sent };
}

/** Delivers messages to the Worker's queue handler as one batch; answers what it acked/retried. */
export async function deliverCancellations(messages: CancellationMessage[], attempts = 1) {
  const batch = createMessageBatch<CancellationMessage>(
    'tessera-cancellations',
    messages.map((body, i) => ({
      id: `m${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result: { explicitAcks: string[]; retryMessages: { msgId: string }[] } =
    await getQueueResult(batch, ctx);
  const byId = new Map(batch.messages.map((m) => [m.id, m.body]));
  return {
    acked: result.explicitAcks.map((id) => byId.get(id)).filter((b) => b !== undefined),
    retried: result.retryMessages
      .map((m) => byId.get(m.msgId))
      .filter((b): b is CancellationMessage => b !== undefined),
  };
}
