import type { Child } from 'hono/jsx';
import type { EventRow } from '../catalog/event-record';
import type { Venue } from '../db/schema';
import { formatMoney } from '../domain/pricing';
import type { buyerOrderView } from '../orders/order-view';
import { TEST_MODE_NOTICE } from '../payments/availability';
import { formatEventTime as formatEventTimeIn } from '../views/format';

/**
 * Buyer emails, each as HTML (hono/jsx, which escapes every organizer- or buyer-written
 * child and attribute) and as plain text. Email clients ignore <style> blocks and many do not
 * show SVG, so styles are inline and tickets are links to their pages, which show the QR.
 */

/** A rendered email, ready for a `Mailer`. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** The buyer's view of an order, links included (see `buyerOrderView`). */
export type BuyerOrderView = ReturnType<typeof buyerOrderView>;

/** The event fields an email shows. */
export type MailEvent = Pick<EventRow, 'title' | 'startsAt' | 'endsAt' | 'timezone' | 'venue'>;

/** When the event happens, in its own time zone (a range when it has an end). */
export function formatEventTime(
  event: Pick<MailEvent, 'startsAt' | 'endsAt' | 'timezone'>,
): string {
  return formatEventTimeIn(event.startsAt, event.endsAt, event.timezone);
}

/** The venue on one line: name, address, city, country. */
export function formatVenue(venue: Venue): string {
  return [venue.name, venue.address, venue.city, venue.country].filter((part) => part).join(', ');
}

// A subject is a header line: organizer text must not carry line breaks into it.
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

const FONT = 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
const S = {
  body: `margin:0;padding:0;background:#f6f7f9;${FONT};color:#16181d`,
  card: 'max-width:560px;background:#ffffff;border:1px solid #e3e5ea;border-radius:12px',
  cell: `padding:24px;${FONT};font-size:16px;line-height:1.5;color:#16181d`,
  h1: 'font-size:22px;line-height:1.3;margin:0 0 12px',
  h2: 'font-size:17px;margin:24px 0 8px',
  muted: 'color:#5b6170',
  td: 'padding:6px 0;border-bottom:1px solid #e3e5ea',
  num: 'padding:6px 0;border-bottom:1px solid #e3e5ea;text-align:right;white-space:nowrap',
  button:
    'display:inline-block;background:#3b3bd6;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600',
  link: 'color:#3b3bd6',
  footer: `${FONT};font-size:13px;color:#5b6170;padding:16px`,
};

/** The inline styles every mail shares (refund-mails.tsx too). */
export const MAIL_STYLES = S;

/** Says, at the top of a mail, that its order is a test-mode order: no real money moved. */
function TestPaymentsBanner() {
  return (
    <p style="margin:0 0 16px;padding:10px 12px;background:#ffe14d;color:#16181d;border:2px solid #16181d;border-radius:8px;font-weight:700;text-align:center">
      {TEST_MODE_NOTICE}
    </p>
  );
}

/** A test-mode order's subject starts with it, so no inbox list shows it as a real one. */
export const testPrefix = (shown: boolean | undefined) => (shown ? '[TEST] ' : '');

/** The plain-text version's first lines, for the same case. */
export const testPaymentsLines = (shown: boolean) => (shown ? [TEST_MODE_NOTICE, ''] : []);

export function Shell(props: {
  title: string;
  preheader: string;
  children: Child;
  testPayments?: boolean | undefined;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body style={S.body}>
        {/* The inbox preview line; hidden in the mail itself. */}
        <div style="display:none;max-height:0;overflow:hidden">{props.preheader}</div>
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style="background:#f6f7f9"
        >
          <tr>
            <td align="center" style="padding:24px 12px">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                style={S.card}
              >
                <tr>
                  <td style={S.cell}>
                    {props.testPayments ? <TestPaymentsBanner /> : null}
                    {props.children}
                  </td>
                </tr>
              </table>
              <div style={S.footer}>Tickets by Tessera</div>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

export function EventSummary(props: { event: MailEvent }) {
  return (
    <p style="margin:0 0 16px">
      <strong>{props.event.title}</strong>
      <br />
      {formatEventTime(props.event)}
      <br />
      <span style={S.muted}>{formatVenue(props.event.venue)}</span>
    </p>
  );
}

export async function toHtml(node: ReturnType<typeof Shell>): Promise<string> {
  return `<!DOCTYPE html>${await node.toString()}`;
}

/** The order confirmation: what was bought, the total, the order page and one link per ticket. */
export async function orderConfirmationMail(input: {
  event: MailEvent;
  order: BuyerOrderView;
  orderUrl: string;
  /** A test-mode order: the mail says TEST and that no real money moved. */
  testPayments?: boolean | undefined;
}): Promise<RenderedMail> {
  const { event, order, orderUrl } = input;
  const money = (minor: number) => formatMoney(minor, order.currency);
  const subject = oneLine(`${testPrefix(input.testPayments)}Your tickets for ${event.title}`);
  const html = await toHtml(
    <Shell
      title={subject}
      preheader={`${formatEventTime(event)}: your tickets are ready.`}
      testPayments={input.testPayments}
    >
      <h1 style={S.h1}>Your tickets are ready</h1>
      <p>Hi {order.buyer.name}, thank you for your order.</p>
      <EventSummary event={event} />
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
        {order.items.map((item) => (
          <tr>
            <td style={S.td}>
              {item.quantity} × {item.name}
            </td>
            <td style={S.num}>{money(item.lineTotalMinor)}</td>
          </tr>
        ))}
        <tr>
          <td style={S.td}>
            <strong>Total</strong>
          </td>
          <td style={S.num}>
            <strong>{money(order.totalMinor)}</strong>
          </td>
        </tr>
      </table>
      <p style="margin:24px 0">
        <a href={orderUrl} style={S.button}>
          View your order
        </a>
      </p>
      <h2 style={S.h2}>Your tickets</h2>
      <p style={S.muted}>Open a ticket to show its QR code at the entrance.</p>
      <ul style="padding-left:20px;margin:0">
        {order.tickets.map((ticket, i) => (
          <li style="margin:4px 0">
            <a href={ticket.url} style={S.link}>
              Ticket {i + 1}: {ticket.ticketTypeName}
            </a>
          </li>
        ))}
      </ul>
      {order.documents ? (
        <p style="margin:16px 0 0">
          <a href={order.documents.ticketsPdfUrl} style={S.link}>
            Download your tickets as PDF (print@home)
          </a>
          <br />
          <a href={order.documents.calendarUrl} style={S.link}>
            Add the event to your calendar
          </a>
        </p>
      ) : null}
      <p style={`${S.muted};font-size:14px;margin-top:24px`}>
        Order {order.id}. Keep this email: anyone with these links can open your tickets.
      </p>
    </Shell>,
  );
  const text = [
    ...testPaymentsLines(input.testPayments === true),
    `Hi ${order.buyer.name}, thank you for your order. Your tickets are ready.`,
    '',
    event.title,
    formatEventTime(event),
    formatVenue(event.venue),
    '',
    ...order.items.map((item) => `${item.quantity} × ${item.name}: ${money(item.lineTotalMinor)}`),
    `Total: ${money(order.totalMinor)}`,
    '',
    `Your order: ${orderUrl}`,
    '',
    'Your tickets (open one to show its QR code at the entrance):',
    ...order.tickets.map((ticket, i) => `Ticket ${i + 1}, ${ticket.ticketTypeName}: ${ticket.url}`),
    ...(order.documents
      ? [
          '',
          `All tickets as PDF (print@home): ${order.documents.ticketsPdfUrl}`,
          `Add to your calendar: ${order.documents.calendarUrl}`,
        ]
      : []),
    '',
    `Order ${order.id}. Keep this email: anyone with these links can open your tickets.`,
  ].join('\n');
  return { subject, html, text };
}
