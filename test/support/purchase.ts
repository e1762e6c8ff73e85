import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { inventoryFor } from '../../worker/catalog/inventory';
import { createDb } from '../../worker/db/client';
import { SandboxProvider } from '../../worker/payments/sandbox';
import { BASE, type CreatedEvent, call, typeId, waitFor } from './api';

export interface CheckoutBody {
  orderId: string;
  orderToken: string;
  status: string;
  totalMinor: number;
  payment: { provider: string; paymentId: string; redirectUrl: string } | null;
}

export interface OrderBody {
  id: string;
  status: string;
  tickets: { id: string; code: string; qrSvgUrl: string }[];
}

export async function holdTickets(
  event: CreatedEvent,
  key: string,
  quantity: number,
  headers: Record<string, string> = {},
) {
  return call<{ holdId: string; expiresAt: string }>('POST', `/api/v1/events/${event.id}/holds`, {
    body: { items: [{ ticketTypeId: typeId(event, key), quantity }] },
    headers,
  });
}

export async function checkoutHold(
  holdId: string,
  key: string = crypto.randomUUID(),
  buyer = { name: 'Ada Lovelace', email: 'ada@example.com' },
) {
  return call<CheckoutBody>('POST', '/api/v1/checkout', {
    headers: { 'idempotency-key': key },
    body: { holdId, buyer },
  });
}

/** Hold + checkout: a pending order waiting for its payment. */
export async function pendingOrder(
  event: CreatedEvent,
  key = 'ga',
  quantity = 2,
): Promise<CheckoutBody & { payment: NonNullable<CheckoutBody['payment']> }> {
  const hold = await holdTickets(event, key, quantity);
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
  const checkout = await checkoutHold(hold.body.holdId);
  if (checkout.status !== 201 || !checkout.body.payment)
    throw new Error(`checkout: ${checkout.status} ${JSON.stringify(checkout.body)}`);
  return { ...checkout.body, payment: checkout.body.payment };
}

export function getOrder(orderId: string, token: string) {
  return call<OrderBody>('GET', `/api/v1/orders/${orderId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

export function waitForStatus(orderId: string, token: string, status: string): Promise<OrderBody> {
  return waitFor(async () => {
    const res = await getOrder(orderId, token);
    return res.body.status === status ? res.body : undefined;
  });
}

export function sandbox(): SandboxProvider {
  return new SandboxProvider(createDb(env.DB), env.SANDBOX_WEBHOOK_SECRET, BASE);
}

/** The signed webhook the sandbox provider would send for this payment's outcome. */
export async function signedSandboxWebhook(paymentId: string, outcome: 'succeed' | 'fail') {
  const provider = sandbox();
  const payment = await provider.find(paymentId);
  if (!payment) throw new Error(`no sandbox payment ${paymentId}`);
  return provider.settle(payment, outcome);
}

export function postWebhook(webhook: { body: string; signature: string }) {
  return call('POST', '/api/v1/webhooks/sandbox', {
    raw: webhook.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': webhook.signature },
  });
}

/** Lets every active hold of the event lapse now, through the object's own alarm. */
export async function expireAllHolds(eventId: string): Promise<void> {
  const stub = inventoryFor(env, eventId);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec(
      "UPDATE holds SET expires_ms = ? WHERE state = 'active'",
      Date.now() - 1,
    );
  });
  await runDurableObjectAlarm(stub);
}

export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
