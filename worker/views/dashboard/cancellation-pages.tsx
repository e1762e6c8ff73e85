import type { CancellationProgress } from '../../cancellation/progress';
import { formatMoney } from '../../domain/pricing';
import { DashboardLayout, type NavContext } from './layout';
import { ROOM_POLL_SECONDS } from './room-panel';

/**
 * Cancel an event: before the run, what will happen and a confirm form; during and after it,
 * the progress (polled by htmx while orders are still open) and the failures with a retry.
 */
export function CancellationPage(props: {
  nav: NavContext;
  event: { id: string; title: string; status: string; currency: string };
  /** Paid orders the run would refund (before it starts). */
  paidOrders: number;
  progress: CancellationProgress | null;
  canRetry: boolean;
  error?: string | undefined;
}) {
  const base = `/dashboard/events/${props.event.id}`;
  return (
    <DashboardLayout title={`Cancel · ${props.event.title}`} nav={props.nav} scripts={['htmx']}>
      <p>
        <a href={base}>← {props.event.title}</a>
      </p>
      <h1>Cancel the event and refund its orders</h1>
      {props.progress ? (
        <section class="card" aria-labelledby="progress-title">
          <h2 id="progress-title">Refunds</h2>
          <div
            id="cancellation-live"
            {...(props.progress.pending > 0
              ? {
                  'hx-get': `${base}/cancellation/progress`,
                  'hx-trigger': `every ${ROOM_POLL_SECONDS}s`,
                  'hx-swap': 'outerHTML',
                }
              : {})}
          >
            <CancellationFigures progress={props.progress} currency={props.event.currency} />
          </div>
          {props.canRetry && props.progress.failed > 0 ? (
            <form method="post" action={`${base}/cancellation/retry`}>
              <button type="submit">Retry the failed refunds</button>
            </form>
          ) : null}
        </section>
      ) : (
        <form method="post" action={`${base}/cancellation`} class="card">
          <p>
            Sales stop at once, held tickets are released, and the event page says it is canceled.
            Then every paid order is refunded in full: <strong>{props.paidOrders}</strong> order(s).
            Each buyer gets an email. This can not be undone.
          </p>
          {props.error ? (
            <p class="field-error" role="alert">
              {props.error}
            </p>
          ) : null}
          <label>
            <input type="checkbox" name="confirm" value="yes" /> I want to cancel{' '}
            {props.event.title} and refund every order
          </label>
          <p>
            <button type="submit" class="danger">
              Cancel event and refund
            </button>
          </p>
        </form>
      )}
    </DashboardLayout>
  );
}

/** The live figures: an htmx fragment of its own, polled until nothing is pending. */
export function CancellationFigures(props: { progress: CancellationProgress; currency: string }) {
  const { progress } = props;
  return (
    <div role="status">
      <p>
        {progress.done
          ? 'All orders are refunded.'
          : progress.pending > 0
            ? 'Refunding… this page updates by itself.'
            : 'Some refunds failed; retry them below.'}
      </p>
      <dl class="grid">
        <div>
          <dt>Orders</dt>
          <dd>{progress.total}</dd>
        </div>
        <div>
          <dt>Refunded</dt>
          <dd>{progress.refunded}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{progress.pending}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{progress.failed}</dd>
        </div>
      </dl>
      {progress.failures.length > 0 ? (
        <ul>
          {progress.failures.map((f) => (
            <li>
              <a class="mono" href={`/dashboard/orders/${f.orderId}`}>
                {f.orderId}
              </a>{' '}
              ({f.buyerEmail}, {formatMoney(f.amountMinor, props.currency)}): {f.error}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
