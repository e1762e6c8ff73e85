import { minorToDecimal } from '../../domain/currency';
import { formatMoney } from '../../domain/pricing';
import type { OrganizerOrderView } from '../../orders/organizer-order';
import { DashboardLayout, type NavContext } from './layout';

/** An event's orders, newest first, each linking to its page. */
export function EventOrdersPage(props: {
  nav: NavContext;
  event: { id: string; title: string };
  orders: {
    id: string;
    status: string;
    buyerEmail: string;
    totalMinor: number;
    refundedMinor: number;
    currency: string;
    testMode: boolean;
    createdAt: string;
  }[];
}) {
  return (
    <DashboardLayout title={`Orders · ${props.event.title}`} nav={props.nav}>
      <p>
        <a href={`/dashboard/events/${props.event.id}`}>← {props.event.title}</a>
      </p>
      <h1>Orders</h1>
      {props.orders.length === 0 ? (
        <p>No orders yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>Order</th>
                <th>Buyer</th>
                <th>Status</th>
                <th class="num">Total</th>
                <th class="num">Refunded</th>
              </tr>
            </thead>
            <tbody>
              {props.orders.map((o) => (
                <tr>
                  <td data-label="Order">
                    <a class="mono" href={`/dashboard/orders/${o.id}`}>
                      {o.id}
                    </a>{' '}
                    {o.testMode ? <span class="badge">TEST</span> : null}
                  </td>
                  <td data-label="Buyer">{o.buyerEmail}</td>
                  <td data-label="Status">{STATUS_WORDS[o.status] ?? o.status}</td>
                  <td data-label="Total" class="num">
                    {formatMoney(o.totalMinor, o.currency)}
                  </td>
                  <td data-label="Refunded" class="num">
                    {formatMoney(o.refundedMinor, o.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </DashboardLayout>
  );
}

const STATUS_WORDS: Record<string, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  expired: 'Expired',
  canceled: 'Canceled',
  refund_pending: 'Refund pending',
};

const DONE: Record<string, string> = {
  refunded: 'Refund done. The buyer gets an email.',
  pending: 'Refund sent; the payment provider has not confirmed it yet. It completes by itself.',
};

/** What the refund form was given, to show again with its error. */
export interface RefundFormValues {
  mode: string;
  amount: string;
  ticketIds: string[];
}

/** One order: tickets, refunds, and (for `order.refund`) the refund form. */
export function OrderDetailPage(props: {
  nav: NavContext;
  order: OrganizerOrderView;
  canRefund: boolean;
  done?: string | undefined;
  form?: { values: RefundFormValues; error: string } | undefined;
}) {
  const { order } = props;
  const money = (minor: number) => formatMoney(minor, order.currency);
  const refundable =
    props.canRefund &&
    order.refundableMinor > 0 &&
    ['paid', 'partially_refunded'].includes(order.status);
  return (
    <DashboardLayout title={`Order ${order.id}`} nav={props.nav}>
      <p>
        <a href={`/dashboard/events/${order.eventId}/orders`}>← Orders of this event</a>
      </p>
      <h1>
        Order <span class="mono">{order.id}</span>
      </h1>
      {order.testMode ? <p class="notice test-mode">TEST order: no real money moved.</p> : null}
      {props.done && DONE[props.done] ? (
        <p class="notice ok" role="status">
          {DONE[props.done]}
        </p>
      ) : null}
      <dl class="grid">
        <div>
          <dt>Status</dt>
          <dd>{STATUS_WORDS[order.status] ?? order.status}</dd>
        </div>
        <div>
          <dt>Buyer</dt>
          <dd>
            {order.buyer.name} ({order.buyer.email})
          </dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{money(order.totalMinor)}</dd>
        </div>
        <div>
          <dt>Refunded</dt>
          <dd>{money(order.refundedMinor)}</dd>
        </div>
      </dl>
      <section class="card" aria-labelledby="tickets-title">
        <h2 id="tickets-title">Tickets</h2>
        <ul>
          {order.tickets.map((t, i) => (
            <li>
              Ticket {i + 1}: {t.name}, {money(t.priceMinor)}{' '}
              <span class="badge">
                {t.status === 'refunded' ? 'Refunded' : t.refundId ? 'Being refunded' : 'Valid'}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {order.refunds.length > 0 ? (
        <section class="card" aria-labelledby="refunds-title">
          <h2 id="refunds-title">Refunds</h2>
          <ul>
            {order.refunds.map((r) => (
              <li>
                {money(r.amountMinor)}:{' '}
                {r.state === 'succeeded'
                  ? 'done'
                  : r.state === 'pending'
                    ? 'waiting for the provider'
                    : 'failed'}
                {r.ticketIds.length > 0 ? `, ${r.ticketIds.length} ticket(s)` : ''}
                {r.reason === 'event_canceled' ? ', event canceled' : ''}
                {r.error ? <span class="muted"> ({r.error})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {refundable ? <RefundForm order={order} form={props.form} /> : null}
    </DashboardLayout>
  );
}

function RefundForm(props: {
  order: OrganizerOrderView;
  form?: { values: RefundFormValues; error: string } | undefined;
}) {
  const { order } = props;
  const values = props.form?.values ?? { mode: 'full', amount: '', ticketIds: [] };
  const open = order.tickets.filter((t) => t.status === 'valid' && !t.refundId);
  return (
    <form
      method="post"
      action={`/dashboard/orders/${order.id}/refund`}
      class="card"
      aria-labelledby="refund-title"
    >
      <h2 id="refund-title">Refund</h2>
      <p class="hint">
        Up to {formatMoney(order.refundableMinor, order.currency)} can still be refunded. You
        confirm on the next step.
      </p>
      {props.form ? (
        <p class="field-error" role="alert">
          {props.form.error}
        </p>
      ) : null}
      <input type="hidden" name="intent" value="review" />
      <fieldset>
        <legend>What to refund</legend>
        <label>
          <input type="radio" name="mode" value="full" checked={values.mode === 'full'} />{' '}
          Everything left ({formatMoney(order.refundableMinor, order.currency)}); all tickets stop
          working
        </label>
        <label>
          <input type="radio" name="mode" value="amount" checked={values.mode === 'amount'} /> An
          amount; tickets stay valid
        </label>
        <label class="inline">
          Amount ({order.currency})
          <input
            name="amount"
            inputmode="decimal"
            value={values.amount}
            placeholder={minorToDecimal(order.refundableMinor, order.currency)}
          />
        </label>
        {open.length > 0 ? (
          <>
            <label>
              <input type="radio" name="mode" value="tickets" checked={values.mode === 'tickets'} />{' '}
              These tickets, for their price; they stop working at the door
            </label>
            {open.map((t) => (
              <label>
                <input
                  type="checkbox"
                  name="ticketIds"
                  value={t.id}
                  checked={values.ticketIds.includes(t.id)}
                />{' '}
                {t.name} ({formatMoney(t.priceMinor, order.currency)})
              </label>
            ))}
          </>
        ) : null}
      </fieldset>
      <button type="submit" class="secondary">
        Review refund
      </button>
    </form>
  );
}

/** The confirm step: what will be refunded; the same form again with `intent=confirm`. */
export function RefundConfirmPage(props: {
  nav: NavContext;
  order: OrganizerOrderView;
  values: RefundFormValues;
  amountMinor: number;
  ticketNames: string[];
  refundKey: string;
}) {
  const { order, values } = props;
  const amount = formatMoney(props.amountMinor, order.currency);
  return (
    <DashboardLayout title={`Confirm refund · ${order.id}`} nav={props.nav}>
      <h1>Confirm the refund</h1>
      <p>
        Refund <strong>{amount}</strong> to {order.buyer.email} for order{' '}
        <span class="mono">{order.id}</span>.
      </p>
      {props.ticketNames.length > 0 ? (
        <p>These tickets stop working at the door: {props.ticketNames.join(', ')}.</p>
      ) : null}
      {values.mode === 'full' ? (
        <p>The whole order is refunded: every ticket stops working at the door.</p>
      ) : null}
      <p>This can not be undone. The buyer gets an email.</p>
      <form method="post" action={`/dashboard/orders/${order.id}/refund`} class="actions">
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="key" value={props.refundKey} />
        <input type="hidden" name="mode" value={values.mode} />
        <input type="hidden" name="amount" value={values.amount} />
        {values.ticketIds.map((id) => (
          <input type="hidden" name="ticketIds" value={id} />
        ))}
        <button type="submit" class="danger">
          Refund {amount}
        </button>
        <a class="btn secondary" href={`/dashboard/orders/${order.id}`}>
          Back
        </a>
      </form>
    </DashboardLayout>
  );
}
