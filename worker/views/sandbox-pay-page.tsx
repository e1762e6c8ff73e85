import { formatMoney } from '../domain/pricing';
import type { SandboxPayment } from '../payments/sandbox';
import { Layout } from './layout';

/**
 * The sandbox provider's hosted payment page: the buyer picks an outcome. Reachable with the
 * payment id alone, so it shows no order token: the only way back to the order is
 * `returnPath`, which the buyer's own redirect URL brought along.
 */
export function SandboxPaymentPage(props: {
  payment: SandboxPayment;
  failed: boolean;
  /** Where the form posts: this page, with its `return` kept. */
  action: string;
  returnPath: string | null;
}) {
  const { payment } = props;
  const settled = payment.status === 'succeeded';
  return (
    <Layout title="Sandbox payment" noindex>
      <p class="badge">Sandbox: no real money moves</p>
      <h1>Pay {formatMoney(payment.amountMinor, payment.currency)}</h1>
      <p class="muted">{payment.description}</p>
      {props.failed ? (
        <p class="notice error" role="alert">
          The payment failed. You can try again.
        </p>
      ) : null}
      {settled ? (
        <div class="card">
          <p>This payment has succeeded.</p>
          {props.returnPath ? (
            <a class="btn" href={props.returnPath}>
              Back to your order
            </a>
          ) : (
            <p class="muted">You can close this page: your order link has your tickets.</p>
          )}
        </div>
      ) : (
        <form method="post" action={props.action} class="card">
          <p>Choose what the payment provider should answer.</p>
          <div class="row">
            <button class="btn" type="submit" name="outcome" value="succeed">
              Pay successfully
            </button>
            <button class="btn danger" type="submit" name="outcome" value="fail">
              Decline the payment
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}
