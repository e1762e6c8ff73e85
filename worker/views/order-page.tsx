import { raw } from 'hono/html';
import type { OrderStatus } from '../db/schema';
import type { buyerOrderView } from '../orders/order-view';
import { renderQrSvg } from '../tickets/qr-svg';
import { formatClock, formatPrice, ORDER_STATUS_WORDS } from './format';
import { Layout } from './layout';
import { EventHeader, type EventHeading, ItemsTable, Notice } from './parts';

type OrderView = ReturnType<typeof buyerOrderView>;

/** How often a pending order page reloads itself, waiting for the payment webhook. */
const PENDING_REFRESH_SECONDS = 2;
/**
 * Inline QR codes cost ~5 KB each; past this many the rest load as images, so a large
 * order's page stays under 30 KB.
 */
const INLINE_QR_LIMIT = 4;

const BADGE_CLASS: Record<OrderStatus, string> = {
  pending_payment: 'few_left',
  paid: 'paid',
  partially_refunded: 'paid',
  refunded: 'sold_out',
  expired: 'sold_out',
  canceled: 'sold_out',
  refund_pending: 'few_left',
};

/** The Payment Element form of a pending Stripe order (worker/routes/pages/order.tsx). */
export interface StripeForm {
  /** `/widget/tessera-pay-<hash>.js`; null when the build has none (the form says so). */
  script: string | null;
  publishableKey: string;
  clientSecret: string;
  returnUrl: string;
  /** Development only: a Stripe.js stand-in. */
  stripeJsUrl: string | null;
}

/** Props of the order page. `paymentUrl` is where the buyer can (re)try paying, if anywhere. */
export interface OrderPageProps {
  order: OrderView;
  event: EventHeading & { slug: string };
  paymentUrl: string | null;
  /** The order token, for the resend form (the page's own URL carries it already). */
  token: string;
  /** The outcome of a resend request, shown above the downloads. */
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
  /** Set while the buyer can pay here with Stripe's Payment Element. */
  stripe?: StripeForm | null | undefined;
  /** Back from Stripe (`redirect_status` succeeded or processing): the webhook is on its way. */
  returnedFromPayment?: boolean | undefined;
}

/** The buyer's order: state in words, items, and once paid the tickets with their QR codes. */
export function OrderPage(props: OrderPageProps) {
  const { order, event } = props;
  const words = ORDER_STATUS_WORDS[order.status];
  const pending = order.status === 'pending_payment';
  // A page with the payment form must not reload under the buyer's hands; one settling at the
  // bank (days) need not poll every two seconds.
  const settling = order.payment?.status === 'processing' && !props.returnedFromPayment;
  const refresh = pending && !props.stripe && !settling ? PENDING_REFRESH_SECONDS : undefined;
  return (
    <Layout title={`Order: ${event.title}`} refreshSeconds={refresh} noindex>
      <EventHeader event={event} level="h2" />
      <h1>
        Your order <span class={`badge ${BADGE_CLASS[order.status]}`}>{words.label}</span>
      </h1>
      <p>{words.note}</p>
      {pending ? (
        <PendingNotes
          order={order}
          timezone={event.timezone}
          paymentUrl={props.paymentUrl}
          stripe={props.stripe ?? null}
          returned={props.returnedFromPayment === true}
        />
      ) : null}
      {order.status === 'expired' || order.status === 'canceled' ? (
        <p>
          <a class="btn" href={`/e/${event.slug}`}>
            Choose tickets again
          </a>
        </p>
      ) : null}
      <div class="card">
        <ItemsTable lines={order.items} totalMinor={order.totalMinor} currency={order.currency} />
        {order.refundedMinor > 0 ? (
          <p class="muted">Refunded: {formatPrice(order.refundedMinor, order.currency)}</p>
        ) : null}
        <p class="muted small">
          Ordered by {order.buyer.name} ({order.buyer.email}). Order number{' '}
          <span class="mono">{order.id}</span>
        </p>
      </div>
      {order.tickets.length > 0 ? (
        <>
          <h2>Your tickets</h2>
          {props.notice ? <Notice kind={props.notice.kind}>{props.notice.text}</Notice> : null}
          {order.documents ? (
            <Downloads documents={order.documents} orderId={order.id} token={props.token} />
          ) : null}
          {order.tickets.map((ticket, i) => (
            <TicketCard
              ticket={ticket}
              holder={order.buyer.name}
              inline={i < INLINE_QR_LIMIT}
              number={i + 1}
            />
          ))}
        </>
      ) : null}
    </Layout>
  );
}

/** What the buyer reads about a pending order's payment, by where it stands. */
function pendingNote(order: OrderView, stripe: StripeForm | null, returned: boolean): string {
  const status = order.payment?.status;
  if (status === 'processing') {
    return 'Your payment is being processed by your bank, which can take a few days. Your tickets stay reserved; this page and an email tell you once it is confirmed.';
  }
  if (returned) return 'Confirming your payment… This page updates by itself.';
  if (stripe) {
    return status === 'requires_action'
      ? 'Your bank asked you to confirm the payment, and that was not finished. Pay below to try again.'
      : 'Pay below to complete your order.';
  }
  return 'Waiting for payment confirmation. This page updates by itself.';
}

function PendingNotes(props: {
  order: OrderView;
  timezone: string;
  paymentUrl: string | null;
  stripe: StripeForm | null;
  returned: boolean;
}) {
  const { order, stripe } = props;
  return (
    <>
      <Notice kind="info">{pendingNote(order, stripe, props.returned)}</Notice>
      {order.lastPaymentError && !props.returned && order.payment?.status !== 'processing' ? (
        <Notice kind="error">{`Your last payment attempt failed: ${order.lastPaymentError}`}</Notice>
      ) : null}
      {order.expiresAt ? (
        <p class="muted">
          Your tickets stay reserved until{' '}
          <time datetime={order.expiresAt}>{formatClock(order.expiresAt, props.timezone)}</time>.
        </p>
      ) : null}
      {stripe ? <PaymentForm form={stripe} order={order} /> : null}
      {props.paymentUrl ? (
        <p>
          <a class="btn" href={props.paymentUrl}>
            {order.lastPaymentError ? 'Try paying again' : 'Go to the payment page'}
          </a>
        </p>
      ) : null}
    </>
  );
}

/** PDF tickets, the calendar file, and the confirmation email again (a form: it sends mail). */
function Downloads(props: {
  documents: NonNullable<OrderView['documents']>;
  orderId: string;
  token: string;
}) {
  return (
    <div class="card">
      <p class="row">
        <a class="btn" href={props.documents.ticketsPdfUrl} download>
          Download PDF tickets
        </a>
        <a class="btn secondary" href={props.documents.calendarUrl} download>
          Add to calendar
        </a>
      </p>
      <form method="post" action={`/orders/${props.orderId}/resend-confirmation`} class="row">
        <input type="hidden" name="token" value={props.token} />
        <span class="muted small">Lost the email?</span>
        <button class="btn secondary" type="submit">
          Send the confirmation again
        </button>
      </form>
    </div>
  );
}

/**
 * The Payment Element's form. No inline script: the pay bundle finds `form[data-tessera-pay]`
 * and reads its settings from the data attributes. The button stays disabled until the
 * element is mounted.
 */
function PaymentForm(props: { form: StripeForm; order: OrderView }) {
  const { form, order } = props;
  if (!form.script) {
    return (
      <Notice kind="error">
        The payment form is not available right now. Please try again later.
      </Notice>
    );
  }
  return (
    <>
      <form
        class="card"
        id="payment-form"
        data-tessera-pay=""
        data-publishable-key={form.publishableKey}
        data-client-secret={form.clientSecret}
        data-return-url={form.returnUrl}
        data-stripe-js={form.stripeJsUrl ?? undefined}
      >
        <div data-payment-element="" />
        <p class="field-error" data-payment-message="" role="alert" hidden />
        <button class="btn" type="submit" disabled>
          {`Pay ${formatPrice(order.totalMinor, order.currency)}`}
        </button>
      </form>
      <script src={form.script} defer />
    </>
  );
}

function TicketCard(props: {
  ticket: OrderView['tickets'][number];
  holder: string;
  inline: boolean;
  number: number;
}) {
  const { ticket } = props;
  const label = `QR code of ticket ${props.number} (${ticket.id})`;
  return (
    <div class="card">
      <div class="row">
        <strong>
          Ticket {props.number}: {ticket.ticketTypeName}
        </strong>
        <span>
          <a href={ticket.url}>Open or print</a> · <a href={ticket.pdfUrl}>PDF</a>
        </span>
      </div>
      {props.inline ? (
        // raw: our own SVG; its only text (the title) is escaped by renderQrSvg.
        <div class="qr">{raw(renderQrSvg(ticket.code, { title: label }))}</div>
      ) : (
        <img class="qr" src={ticket.qrSvgUrl} alt={label} loading="lazy" width="260" height="260" />
      )}
      <p class="muted small">
        {props.holder} · <span class="mono">{ticket.id}</span>
      </p>
    </div>
  );
}
