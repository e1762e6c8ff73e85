import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { refunds } from '../db/schema';
import type { MailRefund } from '../notifications/refund-mails';
import type { OrderRecord } from './order-record';

/**
 * A succeeded refund of the order as its mail shows it, or null (unknown, another order's,
 * not succeeded: a mail about money that did not move would mislead).
 */
export async function mailRefundOf(
  db: Db,
  record: OrderRecord,
  refundId: string,
): Promise<MailRefund | null> {
  const refund = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.id, refundId), eq(refunds.orderId, record.order.id)))
    .get();
  if (refund?.state !== 'succeeded') return null;
  const { order } = record;
  const nameOf = (ticketTypeId: string) =>
    record.lines.find((l) => l.ticketTypeId === ticketTypeId)?.name ?? '';
  return {
    orderId: order.id,
    buyerName: order.buyerName,
    amountMinor: refund.amountMinor,
    currency: order.currency,
    ticketNames: record.tickets
      .filter((t) => t.refundId === refund.id)
      .map((t) => `${nameOf(t.ticketTypeId)} (${t.position + 1})`),
    orderRefunded: order.status === 'refunded',
  };
}
