import type { Child } from 'hono/jsx';
import {
  EventSummary,
  type MailEvent,
  type RenderedMail,
  MAIL_STYLES as S,
  Shell,
  testPaymentsLines,
  toHtml,
} from './templates';

/** One paragraph of a notice; `strong` ones are the mail's main news. */
export type NoticeParagraph = string | { strong: string };

const paragraphText = (p: NoticeParagraph) => (typeof p === 'string' ? p : p.strong);

/**
 * The frame every buyer notice about an order shares (refunds, cancellations): heading,
 * greeting, paragraphs, the event, a button to the order and the order id. Each mail states
 * only its wording; the HTML and plain-text versions say the same paragraphs in the same order.
 */
export async function orderNoticeMail(input: {
  subject: string;
  preheader: string;
  heading: string;
  buyerName: string;
  orderId: string;
  orderUrl: string;
  event: MailEvent;
  paragraphs: NoticeParagraph[];
  /** How the plain text names the event, after the paragraphs (nothing when empty). */
  textEventLines: string[];
  testPayments?: boolean | undefined;
}): Promise<RenderedMail> {
  const { subject, orderId, orderUrl } = input;
  const html = await toHtml(
    <Shell title={subject} preheader={input.preheader} testPayments={input.testPayments}>
      <h1 style={S.h1}>{input.heading}</h1>
      <p>Hi {input.buyerName},</p>
      {input.paragraphs.map(
        (p): Child =>
          typeof p === 'string' ? (
            <p>{p}</p>
          ) : (
            <p>
              <strong>{p.strong}</strong>
            </p>
          ),
      )}
      <EventSummary event={input.event} />
      <p style="margin:24px 0">
        <a href={orderUrl} style={S.button}>
          View your order
        </a>
      </p>
      <p style={`${S.muted};font-size:14px`}>Order {orderId}.</p>
    </Shell>,
  );
  const text = [
    ...testPaymentsLines(input.testPayments === true),
    `Hi ${input.buyerName},`,
    ...input.paragraphs.flatMap((p) => ['', paragraphText(p)]),
    ...(input.textEventLines.length > 0 ? ['', ...input.textEventLines] : []),
    '',
    `Your order: ${orderUrl}`,
    '',
    `Order ${orderId}.`,
  ].join('\n');
  return { subject, html, text };
}
