import type { PaymentMessage } from '../consumers/messages';
import type { Db } from '../db/client';
import { paymentEvents } from '../db/schema';
import { notFound, problem } from '../domain/errors';
import { newId } from '../domain/ids';
import type { PaymentProvider, ProviderEvent } from './provider';

export type IntakeResult = 'queued' | 'duplicate' | 'ignored';

/**
 * The one way a provider event enters: verify the signature, record it (unique per provider
 * event id, so duplicates stop here), queue it. Nothing else happens before the 200.
 * If queueing fails after the record is written, the scheduled sweep re-queues it.
 */
export async function receiveProviderEvent(
  env: Env,
  db: Db,
  provider: PaymentProvider,
  rawBody: string,
  signature: string | null,
  /** A verified event this endpoint must not act on is refused (404) and not recorded. */
  accepts?: (event: ProviderEvent) => Promise<boolean>,
): Promise<IntakeResult> {
  const event = await provider.verifyWebhook(rawBody, signature);
  if (!event) {
    throw problem('invalid_signature', 'The webhook signature is missing or does not verify.');
  }
  if (accepts && !(await accepts(event))) throw notFound('webhook endpoint');
  const ignored = event.kind === 'ignored';
  const [row] = await db
    .insert(paymentEvents)
    .values({
      id: newId('pe'),
      provider: event.provider,
      providerEventId: event.eventId,
      type: event.type,
      kind: event.kind,
      paymentId: event.paymentId,
      orderId: event.orderId,
      amountMinor: event.amountMinor,
      currency: event.currency,
      failureMessage: event.failureMessage,
      providerRefundId: event.providerRefundId ?? null,
      refundId: event.refundId ?? null,
      payload: rawBody,
      processedAt: ignored ? new Date().toISOString() : null,
      outcome: ignored ? 'ignored' : null,
    })
    .onConflictDoNothing()
    .returning({ id: paymentEvents.id });
  if (!row) return 'duplicate';
  if (ignored) return 'ignored';
  await env.PAYMENTS.send({ paymentEventId: row.id } satisfies PaymentMessage);
  return 'queued';
}
