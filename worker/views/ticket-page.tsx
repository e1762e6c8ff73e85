import { raw } from 'hono/html';
import { renderQrSvg } from '../tickets/qr-svg';
import { formatInstant } from './format';
import { inlineScript } from './inline-code';
import { Layout } from './layout';
import { EventHeader, type EventHeading, Notice } from './parts';

/** Props of the printable ticket page. */
export interface TicketPageProps {
  event: EventHeading;
  ticket: { id: string; code: string; status: 'valid' | 'revoked'; checkedInAt: string | null };
  ticketTypeName: string;
  holderName: string;
  orderUrl: string;
  /** The ticket as a PDF to print; absent for a refunded ticket. */
  pdfUrl?: string | undefined;
}

/** Shows the print button only where JS can press it; constant code, so raw is safe. */
const PRINT_BUTTON = inlineScript(
  `(function(){var b=document.getElementById('print');if(b){b.hidden=false;b.onclick=function(){window.print()}}})()`,
);

/** One ticket, printable: event, time in the event's zone, venue, type, holder, a big QR. */
export function TicketPage(props: TicketPageProps) {
  const { event, ticket } = props;
  const valid = ticket.status === 'valid';
  return (
    <Layout title={`Ticket: ${event.title}`} noindex>
      <div class="card">
        <EventHeader event={event} />
        <p>
          <strong>{props.ticketTypeName}</strong>
          <br />
          {props.holderName}
        </p>
        {valid ? (
          // raw: our own SVG; its only text (the title) is escaped by renderQrSvg.
          <div class="qr big">
            {raw(
              renderQrSvg(ticket.code, { moduleSize: 6, title: `QR code of ticket ${ticket.id}` }),
            )}
          </div>
        ) : (
          <Notice kind="error">This ticket was refunded and is no longer valid.</Notice>
        )}
        <p class="muted small">
          Ticket <span class="mono">{ticket.id}</span>
          {ticket.checkedInAt
            ? ` · checked in ${formatInstant(ticket.checkedInAt, event.timezone)}`
            : null}
        </p>
      </div>
      <p class="noprint row">
        <a href={props.orderUrl}>Back to your order</a>
        {valid && props.pdfUrl ? (
          <a href={props.pdfUrl} download>
            Download PDF
          </a>
        ) : null}
        <button id="print" class="btn secondary" type="button" hidden>
          Print
        </button>
      </p>
      <script>{PRINT_BUTTON}</script>
    </Layout>
  );
}
