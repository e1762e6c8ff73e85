import { formatMoney } from '../domain/pricing';
import { orderNoticeMail } from './notice-mail';
import {
  formatEventTime,
  formatVenue,
  type MailEvent,
  oneLine,
  type RenderedMail,
  testPrefix,
} from './templates';

/** What a refund mail says about the refund. */
export interface MailRefund {
  orderId: string;
  buyerName: string;
  amountMinor: number;
  currency: string;
  /** Names of the tickets refunded one by one (a refund by ticket); empty otherwise. */
  ticketNames: string[];
  /** After this refund: the whole order is refunded (its tickets no longer work). */
  orderRefunded: boolean;
}

const BANK_DELAY =
  'Depending on your bank, it can take a few business days to appear on your statement.';

/** What both mails about an organizer's refund are made from. */
export interface RefundMailInput {
  event: MailEvent;
  refund: MailRefund;
  orderUrl: string;
  testPayments?: boolean | undefined;
}

/** The buyer's mail for an organizer's refund: how much, which tickets, what still works. */
export function refundIssuedMail(input: RefundMailInput): Promise<RenderedMail> {
  const { event, refund } = input;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const tickets =
    refund.ticketNames.length > 0
      ? [
          `Refunded tickets (they no longer work at the entrance): ${refund.ticketNames.join(', ')}.`,
        ]
      : [];
  return orderNoticeMail({
    subject: oneLine(`${testPrefix(input.testPayments)}Refund for ${event.title}: ${amount}`),
    preheader: `We have refunded ${amount}.`,
    heading: 'Your refund is on its way',
    buyerName: refund.buyerName,
    orderId: refund.orderId,
    orderUrl: input.orderUrl,
    event,
    paragraphs: [
      { strong: `We have refunded ${amount} to the payment method you used. ${BANK_DELAY}` },
      ...tickets,
      refund.orderRefunded
        ? 'Your order is now refunded in full; its tickets no longer work at the entrance.'
        : 'Your other tickets stay valid.',
    ],
    textEventLines: [event.title],
    testPayments: input.testPayments,
  });
}

/** The buyer's mail when the event is canceled and their order refunded. */
export function eventCanceledMail(input: RefundMailInput): Promise<RenderedMail> {
  const { event, refund } = input;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  return orderNoticeMail({
    subject: oneLine(
      `${testPrefix(input.testPayments)}${event.title} is canceled: your refund of ${amount}`,
    ),
    preheader: `Canceled. We have refunded ${amount}.`,
    heading: 'Event canceled: full refund',
    buyerName: refund.buyerName,
    orderId: refund.orderId,
    orderUrl: input.orderUrl,
    event,
    paragraphs: [
      `We are sorry: ${event.title} has been canceled by the organizer, and your tickets no longer work.`,
      { strong: `We have refunded ${amount} to the payment method you used. ${BANK_DELAY}` },
    ],
    textEventLines: [],
    testPayments: input.testPayments,
  });
}

/** The apology for a payment that came too late: nothing was sold, everything was refunded. */
export function latePaymentRefundMail(input: {
  event: MailEvent;
  order: { id: string; buyerName: string; totalMinor: number; currency: string };
  orderUrl: string;
  testPayments?: boolean | undefined;
}): Promise<RenderedMail> {
  const { event, order } = input;
  const amount = formatMoney(order.totalMinor, order.currency);
  return orderNoticeMail({
    subject: oneLine(
      `${testPrefix(input.testPayments)}Your payment for ${event.title} has been refunded`,
    ),
    preheader: `We have refunded ${amount}.`,
    heading: 'We are sorry: no tickets, full refund',
    buyerName: order.buyerName,
    orderId: order.id,
    orderUrl: input.orderUrl,
    event,
    paragraphs: [
      'We are sorry: your payment reached us after your reservation had run out, and in the meantime the tickets sold out, so we could not issue them.',
      {
        strong: `We have refunded the full amount of ${amount} to the payment method you used. Depending on your bank, it can take a few business days to appear.`,
      },
    ],
    textEventLines: [event.title, formatEventTime(event), formatVenue(event.venue)],
    testPayments: input.testPayments,
  });
}
