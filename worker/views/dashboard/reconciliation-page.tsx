import type { DifferenceKind } from '../../db/schema';
import type { DifferenceRow } from '../../reconciliation/differences';
import { formatInstant } from '../format';
import { DashboardLayout, type NavContext } from './layout';

/** What each kind of difference means, in the organizer's words. */
export const KIND_LABELS: Record<DifferenceKind, string> = {
  missed_payment_webhook: 'Payment confirmed late (Stripe never told us)',
  unknown_payment_intent: 'Payment Tessera can not place',
  outside_refund: "Refund made in Stripe's dashboard",
  amount_mismatch: 'Amount differs from the order',
  payment_status_mismatch: 'Payment state differs at Stripe',
  ticket_count_drift: 'Tickets and sold count differ',
};

/** The workspace's reconciliation: open differences first, then what was fixed. */
export function ReconciliationPage(props: {
  nav: NavContext;
  timezone: string;
  rows: DifferenceRow[];
}) {
  const open = props.rows.filter((r) => r.status === 'open').length;
  return (
    <DashboardLayout title="Reconciliation" nav={props.nav}>
      <h1>Reconciliation</h1>
      <p>
        Every 15 minutes Tessera compares its payments and refunds with Stripe's, and each event's
        tickets with its sold counts. Safe differences are fixed and listed here with what was done;
        the others wait for you.
      </p>
      <p role="status">
        {open === 0
          ? 'Nothing open.'
          : `${open} open ${open === 1 ? 'difference' : 'differences'}.`}
      </p>
      {props.rows.length === 0 ? (
        <p class="muted">No differences found so far.</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-label="Differences">
          <table>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">What</th>
                <th scope="col">Order / event</th>
                <th scope="col">What was done</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td>
                    <span class={`badge ${row.status}`}>{row.status}</span>
                  </td>
                  <td>
                    {KIND_LABELS[row.kind]}
                    <div class="small mono">{Object.values(row.objects).join(' ')}</div>
                  </td>
                  <td class="mono">{row.orderId ?? row.eventId ?? '—'}</td>
                  <td>{row.action ?? 'Nothing yet: a person should look.'}</td>
                  <td>{formatInstant(row.lastSeenAt, props.timezone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </DashboardLayout>
  );
}
