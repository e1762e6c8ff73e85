/** Bodies of the messages on our queues. Each is processed idempotently by business key. */

export interface PaymentMessage {
  /** Row id in `payment_events`. */
  paymentEventId: string;
}

/** Mails about an order; they go through the notification outbox (worker/notifications/outbox.ts). */
export type OrderNotification =
  | { kind: 'order_confirmation'; orderId: string }
  | { kind: 'late_payment_refunded'; orderId: string }
  /** One mail per refund: an organizer's (by amount or ticket), or the event's cancellation. */
  | { kind: 'refund_issued' | 'event_canceled'; orderId: string; refundId: string }
  /** The buyer asked for the confirmation again; `requestId` names that one request. */
  | { kind: 'order_confirmation_resend'; orderId: string; requestId: string };

export type NotificationMessage = OrderNotification | MagicLinkMessage;

/** A sign-in, sign-up or invitation link for the dashboard (worker/access/), or a buyer's "My tickets" link (worker/buyers/). */
export interface MagicLinkMessage {
  kind: 'magic_link';
  /** The first characters of the link's token hash: names the delivery, reveals nothing. */
  linkId: string;
  to: string;
  url: string;
  purpose: 'sign_in' | 'sign_up' | 'invite' | 'buyer';
  /** For invitations: the workspace's name. */
  workspaceName?: string | undefined;
}

/** Delivery tags: the consumer names each send by this key so a redelivery is not sent twice. */
export function notificationKey(message: NotificationMessage): string {
  if (message.kind === 'magic_link') return `magic_link:${message.linkId}`;
  if (message.kind === 'order_confirmation_resend') {
    return `${message.kind}:${message.orderId}:${message.requestId}`;
  }
  if (message.kind === 'refund_issued' || message.kind === 'event_canceled') {
    return `${message.kind}:${message.refundId}`;
  }
  return `${message.kind}:${message.orderId}`;
}

/** A batch of an event's cancellation: refund these orders (worker/cancellation/). */
export interface CancellationMessage {
  eventId: string;
  orderId: string;
}
