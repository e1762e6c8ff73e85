/** Bodies of the messages on our queues. Each is processed idempotently by business key. */

export interface PaymentMessage {
  /** Row id in `payment_events`. */
  paymentEventId: string;
}

export type NotificationMessage =
  | { kind: 'order_confirmation'; orderId: string }
  | { kind: 'late_payment_refunded'; orderId: string };

/** Delivery tags: the consumer names each send by this key so a redelivery is not sent twice. */
export function notificationKey(message: NotificationMessage): string {
  return `${message.kind}:${message.orderId}`;
}
