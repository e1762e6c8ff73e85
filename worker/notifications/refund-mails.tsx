import { formatMoney } from '../domain/pricing';
import {
  EventSummary,
  type MailEvent,
  oneLine,
  type RenderedMail,
  MAIL_STYLES as S,
  Shell,
  testPaymentsLines,
  testPrefix,
  toHtml,
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

/** The buyer's mail for an organizer's refund: how much, which tickets, what still works. */
export async function refundIssuedMail(input: {
  event: MailEvent;
  refund: MailRefund;
  orderUrl: string;
  testPayments?: boolean | undefined;
}): Promise<RenderedMail> {
  const { event, refund, orderUrl } = input;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const subject = oneLine(`${testPrefix(input.testPayments)}Refund for ${event.title}: ${amount}`);
  const refunded = `We have refunded ${amount} to the payment method you used. ${BANK_DELAY}`;
  const tickets =
    refund.ticketNames.length > 0
      ? `Refunded tickets (they no longer work at the entrance): ${refund.ticketNames.join(', ')}.`
      : null;
  const rest = refund.orderRefunded
    ? 'Your order is now refunded in full; its tickets no longer work at the entrance.'
    : 'Your other tickets stay valid.';
  const html = await toHtml(
    <Shell
      title={subject}
      preheader={`We have refunded ${amount}.`}
      testPayments={input.testPayments}
    >
      <h1 style={S.h1}>Your refund is on its way</h1>
      <p>Hi {refund.buyerName},</p>
      <p>
        <strong>{refunded}</strong>
      </p>
      {tickets ? <p>{tickets}</p> : null}
      <p>{rest}</p>
      <EventSummary event={event} />
      <p style="margin:24px 0">
        <a href={orderUrl} style={S.button}>
          View your order
        </a>
      </p>
      <p style={`${S.muted};font-size:14px`}>Order {refund.orderId}.</p>
    </Shell>,
  );
  const text = [
    ...testPaymentsLines(input.testPayments === true),
    `Hi ${refund.buyerName},`,
    '',
    refunded,
    ...(tickets ? ['', tickets] : []),
    '',
    rest,
    '',
    event.title,
    '',
    `Your order: ${orderUrl}`,
    '',
    `Order ${refund.orderId}.`,
  ].join('\n');
  return { subject, html, text };
}

/** The buyer's mail when the event is canceled and their order refunded. */
export async function eventCanceledMail(input: {
  event: MailEvent;
  refund: MailRefund;
  orderUrl: string;
  testPayments?: boolean | undefined;
}): Promise<RenderedMail> {
  const { event, refund, orderUrl } = input;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const subject = oneLine(
    `${testPrefix(input.testPayments)}${event.title} is canceled: your refund of ${amount}`,
  );
  const canceled = `We are sorry: ${event.title} has been canceled by the organizer, and your tickets no longer work.`;
  const refunded = `We have refunded ${amount} to the payment method you used. ${BANK_DELAY}`;
  const html = await toHtml(
    <Shell
      title={subject}
      preheader={`Canceled. We have refunded ${amount}.`}
      testPayments={input.testPayments}
    >
      <h1 style={S.h1}>Event canceled: full refund</h1>
      <p>Hi {refund.buyerName},</p>
      <p>{canceled}</p>
      <p>
        <strong>{refunded}</strong>
      </p>
      <EventSummary event={event} />
      <p style="margin:24px 0">
        <a href={orderUrl} style={S.button}>
          View your order
        </a>
      </p>
      <p style={`${S.muted};font-size:14px`}>Order {refund.orderId}.</p>
    </Shell>,
  );
  const text = [
    ...testPaymentsLines(input.testPayments === true),
    `Hi ${refund.buyerName},`,
    '',
    canceled,
    '',
    refunded,
    '',
    `Your order: ${orderUrl}`,
    '',
    `Order ${refund.orderId}.`,
  ].join('\n');
  return { subject, html, text };
}
