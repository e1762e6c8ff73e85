import { env } from 'cloudflare:test';
import type { CreatedEvent } from './api';
import { call } from './api';
import { pendingOrder, postWebhook, signedSandboxWebhook, waitForStatus } from './purchase';

/** A paid order of 2 × GA (7,800) through the sandbox, as a buyer pays it. */
export async function paidOrder(event: CreatedEvent) {
  const order = await pendingOrder(event, 'ga', 2);
  await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
  const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
  return { order, paid, paymentId: order.payment.paymentId };
}

export interface RefundAnswer {
  status: string;
  refundedMinor: number;
  amountMinor: number;
  ticketsReleased: boolean;
  refund: { id: string; state: string; amountMinor: number };
  code?: string;
}

export function requestRefund(
  auth: Record<string, string>,
  orderId: string,
  amountMinor?: number,
  headers: Record<string, string> = {},
) {
  return call<RefundAnswer>('POST', `/api/v1/organizer/orders/${orderId}/refund`, {
    headers: { ...auth, ...headers },
    ...(amountMinor === undefined ? {} : { body: { amountMinor } }),
  });
}

/**
 * Money as each side sees it: what the sandbox provider really refunded (its own table, one
 * row per distinct refund), what the order records, and the claims by state.
 */
export async function ledger(orderId: string, paymentId: string) {
  const [provider, order, claims] = await env.DB.batch([
    env.DB.prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(amount_minor), 0) AS total FROM sandbox_refunds WHERE payment_id = ?',
    ).bind(paymentId),
    env.DB.prepare('SELECT status, total_minor, refunded_minor FROM orders WHERE id = ?').bind(
      orderId,
    ),
    env.DB.prepare(
      "SELECT COALESCE(SUM(CASE WHEN state = 'succeeded' THEN amount_minor END), 0) AS succeeded, COUNT(CASE WHEN state = 'pending' THEN 1 END) AS pending FROM refunds WHERE order_id = ?",
    ).bind(orderId),
  ]);
  const p = provider?.results[0] as { n: number; total: number };
  const o = order?.results[0] as { status: string; total_minor: number; refunded_minor: number };
  const c = claims?.results[0] as { succeeded: number; pending: number };
  return {
    providerRefunds: p.n,
    atProvider: p.total,
    recorded: o.refunded_minor,
    paid: o.total_minor,
    status: o.status,
    succeededClaims: c.succeeded,
    pendingClaims: c.pending,
  };
}
