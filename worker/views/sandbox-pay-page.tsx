import { formatMoney } from '../domain/pricing';
import type { SandboxPayment } from '../payments/sandbox';
import { Layout } from './layout';

/** The sandbox provider's hosted payment page: the buyer picks an outcome. */
export function SandboxPaymentPage(props: { payment: SandboxPayment; failed: boolean }) {
  const { payment } = props;
  const settled = payment.status === 'succeeded';
  return (
    <Layout title="Sandbox payment">
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
          <a class="btn" href={payment.returnUrl}>
            Back to your order
          </a>
        </div>
      ) : (
        <form method="post" class="card">
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
