/** Bodies of the messages on our queues. Each is processed idempotently by business key. */

export interface PaymentMessage {
  /** Row id in `payment_events`. */
  paymentEventId: string;
}

export type NotificationMessage =
  | { kind: 'order_confirmation'; orderId: string }
  | { kind: 'late_payment_refunded'; orderId: string }
  /** The buyer asked for the confirmation again; `requestId` names that one request. */
  | { kind: 'order_confirmation_resend'; orderId: string; requestId: string };

/** Delivery tags: the consumer names each send by this key so a redelivery is not sent twice. */
export function notificationKey(message: NotificationMessage): string {
  if (message.kind === 'order_confirmation_resend') {
    return `${message.kind}:${message.orderId}:${message.requestId}`;
  }
  return `${message.kind}:${message.orderId}`;
}
