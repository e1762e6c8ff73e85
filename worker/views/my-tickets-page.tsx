import type { BuyerOrder } from '../buyers/buyer-orders';
import { orderDocumentLinks, orderPageUrl, ticketLinks } from '../orders/order-view';
import { formatEventTime, formatPrice, ORDER_STATUS_WORDS } from './format';
import { Layout } from './layout';
import { Notice } from './parts';

/**
 * "My tickets": every order placed with one email address, across organizers. Phone first:
 * one column, big buttons, the QR code a tap away. Every link goes to the routes the order
 * token already opens (order page, ticket page, PDF, calendar, resend), not to copies.
 */

const PATH = '/my-tickets';

/** The email form; the answer never says whether the address has orders. */
export function RequestLinkPage(props: {
  email?: string | undefined;
  error?: string | undefined;
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
}) {
  return (
    <Layout title="My tickets" noindex>
      <h1>My tickets</h1>
      <p>
        Enter the email address you bought tickets with. We will send you a link to all of them.
      </p>
      {props.notice ? <Notice kind={props.notice.kind}>{props.notice.text}</Notice> : null}
      <form method="post" action={PATH} class="card" novalidate>
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          inputmode="email"
          required
          value={props.email ?? ''}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? 'email-error' : undefined}
        />
        {props.error ? (
          <p class="field-error" id="email-error">
            {props.error}
          </p>
        ) : null}
        <p>
          <button class="btn" type="submit">
            Email me a link
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function CheckEmailPage() {
  return (
    <Layout title="Check your email" noindex>
      <h1>Check your email</h1>
      <p>
        If tickets were bought with that address, we have just sent it a link to them. The link
        works once, for 15 minutes.
      </p>
      <p class="muted">
        Nothing arrived? Check the spam folder, or{' '}
        <a href={PATH}>ask again with the address you used at checkout</a>.
      </p>
    </Layout>
  );
}

/** The mailed link's landing: opening it uses nothing (mail scanners open links), the button does. */
export function ConfirmLinkPage(props: { token: string }) {
  return (
    <Layout title="Show my tickets" noindex>
      <h1>Your tickets</h1>
      <form method="post" action={`${PATH}/auth`} class="card">
        <input type="hidden" name="token" value={props.token} />
        <p>Press the button to see your orders and tickets on this device.</p>
        <button class="btn" type="submit">
          Show my tickets
        </button>
      </form>
    </Layout>
  );
}

export function LinkInvalidPage() {
  return (
    <Layout title="Link not valid" noindex>
      <h1>This link does not work any more</h1>
      <p>A link works once, for 15 minutes. Ask for a new one below.</p>
      <p>
        <a class="btn" href={PATH}>
          Send me a new link
        </a>
      </p>
    </Layout>
  );
}

export function MyTicketsPage(props: {
  email: string;
  upcoming: BuyerOrder[];
  past: BuyerOrder[];
  more: boolean;
}) {
  const none = props.upcoming.length === 0 && props.past.length === 0;
  return (
    <Layout title="My tickets" noindex>
      <div class="row">
        <h1>My tickets</h1>
        <form method="post" action={`${PATH}/sign-out`}>
          <button class="btn secondary" type="submit">
            Sign out
          </button>
        </form>
      </div>
      <p class="muted">Orders placed with {props.email}.</p>
      {none ? <p class="card">There are no orders for this address.</p> : null}
      {props.more ? (
        <Notice kind="info">Only your most recent orders are shown here.</Notice>
      ) : null}
      {props.upcoming.length > 0 ? <h2>Upcoming</h2> : null}
      {props.upcoming.map((order) => (
        <OrderCard order={order} />
      ))}
      {props.past.length > 0 ? (
        <details class="card">
          <summary>Past events ({props.past.length})</summary>
          {props.past.map((order) => (
            <OrderCard order={order} />
          ))}
        </details>
      ) : null}
    </Layout>
  );
}

function OrderCard(props: { order: BuyerOrder }) {
  const { order } = props;
  const { event } = order;
  const heading = `order-${order.id}`;
  const words = ORDER_STATUS_WORDS[order.status];
  // Relative links (origin ''): the same paths the order page and the mails use.
  const documents = orderDocumentLinks('', order.id, order.token);
  const badge = order.ticketed
    ? 'paid'
    : order.status === 'pending_payment'
      ? 'few_left'
      : 'sold_out';
  return (
    <section class="card" aria-labelledby={heading} data-order-id={order.id}>
      <h3 id={heading}>{event.title}</h3>
      <p>
        <span class={`badge ${badge}`}>{words.label}</span>{' '}
        {order.testMode ? <span class="badge few_left">TEST</span> : null}{' '}
        {event.canceled ? <span class="badge sold_out">Event canceled</span> : null}
      </p>
      <p>
        <time datetime={event.startsAt}>
          {formatEventTime(event.startsAt, event.endsAt, event.timezone)}
        </time>
        <br />
        {event.venue.name} · <span class="muted">by {order.organizerName}</span>
      </p>
      <p class="muted small">
        Order <span class="mono">{order.id}</span> · {formatPrice(order.totalMinor, order.currency)}
        {order.refundedMinor > 0
          ? ` · refunded ${formatPrice(order.refundedMinor, order.currency)}`
          : ''}
      </p>
      <p class="row">
        <a class="btn secondary" href={orderPageUrl('', order.id, order.token)}>
          Open order
        </a>
        {order.ticketed ? (
          <>
            <a class="btn" href={documents.ticketsPdfUrl} download>
              Download all tickets (PDF)
            </a>
            <a class="btn secondary" href={documents.calendarUrl} download>
              Add to calendar
            </a>
          </>
        ) : null}
      </p>
      {order.tickets.length > 0 ? (
        <ul class="tickets">
          {order.tickets.map((ticket, i) => (
            <TicketItem ticket={ticket} number={i + 1} token={order.token} />
          ))}
        </ul>
      ) : null}
      {order.ticketed ? (
        <form method="post" action={`/orders/${order.id}/resend-confirmation`} class="row">
          <input type="hidden" name="token" value={order.token} />
          <span class="muted small">Lost the email?</span>
          <button class="btn secondary" type="submit">
            Send the confirmation again
          </button>
        </form>
      ) : null}
    </section>
  );
}

function TicketItem(props: {
  ticket: BuyerOrder['tickets'][number];
  number: number;
  token: string;
}) {
  const { ticket } = props;
  const name = `Ticket ${props.number}: ${ticket.typeName}`;
  if (!ticket.valid) {
    return (
      <li>
        <s>{name}</s> <span class="badge sold_out">Refunded</span>
      </li>
    );
  }
  const links = ticketLinks('', ticket.id, props.token);
  return (
    <li>
      <details>
        <summary>{name}: show QR code</summary>
        <img
          class="qr"
          src={links.qrSvgUrl}
          alt={`QR code of ticket ${props.number} (${ticket.id})`}
          loading="lazy"
          width="260"
          height="260"
        />
      </details>
      <a href={links.url}>Open ticket {props.number}</a> ·{' '}
      <a href={links.pdfUrl} download>
        PDF of ticket {props.number}
      </a>
    </li>
  );
}
