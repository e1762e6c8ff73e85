import { formatMoney } from '../../domain/pricing';
import type { SettlementReport } from '../../reconciliation/settlement';
import { formatInstant } from '../format';

/** An amount of money: zero reads as an amount here, not "Free" as prices do. */
const amountIn = (currency: string) => (minor: number) => formatMoney(minor, currency, 'en');

import { DashboardLayout, type NavContext } from './layout';

/** The figures of a settlement as a definition list (event page and settlement page). */
export function SettlementFigures(props: { report: SettlementReport }) {
  const { report } = props;
  const money = amountIn(report.currency);
  return (
    <>
      <dl class="card">
        <dt>Orders</dt>
        <dd>{report.orders}</dd>
        <dt>Gross</dt>
        <dd>{money(report.grossMinor)}</dd>
        <dt>Stripe fees</dt>
        <dd>{money(report.stripeFeeMinor)}</dd>
        <dt>Platform fee</dt>
        <dd>{money(report.platformFeeMinor)}</dd>
        <dt>Refunds</dt>
        <dd>{money(report.refundedMinor)}</dd>
        <dt>Net</dt>
        <dd>
          <strong>{money(report.netMinor)}</strong>
        </dd>
      </dl>
      {report.feesMissing > 0 ? (
        <p class="notice" role="note">
          Stripe's fees of {report.feesMissing} payments are not known yet; they are left out of the
          fees and the net until reconciliation fetches them.
        </p>
      ) : null}
      {report.feesInOtherCurrency > 0 ? (
        <p class="notice" role="note">
          {report.feesInOtherCurrency} payments settled in another currency; their fees are left out
          here.
        </p>
      ) : null}
    </>
  );
}

/** The event page's settlement section: the figures and where to see or download them. */
export function SettlementPanel(props: { eventId: string; report: SettlementReport }) {
  const base = `/dashboard/events/${props.eventId}/settlement`;
  return (
    <section aria-labelledby="settlement-heading">
      <h2 id="settlement-heading">Settlement</h2>
      <p class="small muted">Live orders only: test orders are left out.</p>
      <SettlementFigures report={props.report} />
      <p>
        <a href={base}>Settlement by order</a> · <a href={`${base}.csv`}>Download CSV</a>
      </p>
    </section>
  );
}

/** The settlement of one event, order by order. */
export function SettlementPage(props: {
  nav: NavContext;
  title: string;
  timezone: string;
  report: SettlementReport;
}) {
  const { report } = props;
  const money = amountIn(report.currency);
  return (
    <DashboardLayout title={`Settlement · ${props.title}`} nav={props.nav}>
      <p>
        <a href={`/dashboard/events/${report.eventId}`}>← {props.title}</a>
      </p>
      <h1>Settlement</h1>
      <p class="small muted">
        Net = gross − Stripe fees − platform fee − refunds. Live orders only: test orders are left
        out. Fees come from Stripe's balance transactions.
      </p>
      <SettlementFigures report={report} />
      <p>
        <a class="btn secondary" href={`/dashboard/events/${report.eventId}/settlement.csv`}>
          Download CSV
        </a>
      </p>
      {/* Wider than a phone: a keyboard can scroll it (focusable, named region). */}
      <section class="table-wrap" tabindex={0} aria-label="Settlement by order">
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col" class="num">
                Gross
              </th>
              <th scope="col" class="num">
                Fees
              </th>
              <th scope="col" class="num">
                Refunds
              </th>
              <th scope="col" class="num">
                Net
              </th>
            </tr>
          </thead>
          <tbody>
            {report.lines.map((line) => (
              <tr>
                <td>
                  <span class="mono">{line.orderId}</span>
                  <div class="small muted">
                    {line.status.replace('_', ' ')}
                    {line.paidAt ? `, paid ${formatInstant(line.paidAt, props.timezone)}` : ''}
                  </div>
                </td>
                <td class="num">{money(line.grossMinor)}</td>
                <td class="num">
                  {line.feesKnown ? money(line.stripeFeeMinor + line.platformFeeMinor) : 'unknown'}
                </td>
                <td class="num">{money(line.refundedMinor)}</td>
                <td class="num">{money(line.netMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </DashboardLayout>
  );
}
