import type { ConnectAccountRow, ConnectStage } from '../../connect/accounts';
import type { PayoutRow } from '../../connect/payouts';
import type { PlatformFee } from '../../connect/platform-fee';
import { describeDisabledReason, describeRequirements } from '../../connect/requirements';
import { formatPrice } from '../format';
import { DashboardLayout, type NavContext } from './layout';

const STAGE_WORDS: Record<ConnectStage, string> = {
  not_connected: 'Not connected: live events can not go on sale until Stripe is connected.',
  onboarding: 'Onboarding started: Stripe needs more details before it can take payments.',
  pending: 'Details sent: Stripe is checking them. Payments start once it has.',
  restricted: 'Restricted: Stripe has paused payments on this account.',
  enabled: 'Connected: live ticket sales are paid into this Stripe account.',
};

const PAYOUT_WORDS: Record<string, string> = {
  paid: 'Paid',
  failed: 'Failed',
  pending: 'Pending',
  in_transit: 'In transit',
  canceled: 'Canceled',
};

function feeWords(fee: PlatformFee | null): string {
  if (!fee) return 'Not set (live sales are paused until the operator sets it).';
  const percent = `${fee.percentBps / 100} %`;
  const parts = [
    fee.fixedMinor > 0 ? `${percent} + ${fee.fixedMinor} minor units per order` : percent,
    fee.minMinor > 0 ? `at least ${fee.minMinor}` : null,
    fee.maxMinor !== null ? `at most ${fee.maxMinor}` : null,
  ].filter((p): p is string => p !== null);
  return `${parts.join(', ')} (minor units of the order’s currency; never more than the order).`;
}

/** The workspace's Stripe Connect state, what Stripe still needs, and its payouts. */
export function PayoutsPage(props: {
  nav: NavContext;
  stage: ConnectStage;
  account: ConnectAccountRow | null;
  payouts: PayoutRow[];
  fee: PlatformFee | null;
  feeSource: 'workspace' | 'default' | null;
  /** The owner (`payout.settings`): may connect and continue onboarding. */
  canManage: boolean;
  /** Back from Stripe's onboarding. */
  returned: boolean;
}) {
  const { account, stage } = props;
  const needs = account ? describeRequirements([...account.pastDue, ...account.currentlyDue]) : [];
  return (
    <DashboardLayout title="Payouts" nav={props.nav}>
      <h1>Payouts</h1>
      {props.returned ? (
        <p class="notice ok" role="status">
          Back from Stripe. The state below is what Stripe reports now.
        </p>
      ) : null}
      <section aria-labelledby="stripe-state">
        <h2 id="stripe-state">Stripe account</h2>
        <p class={stage === 'enabled' ? 'notice ok' : 'notice'} data-stage={stage}>
          {STAGE_WORDS[stage]}
        </p>
        {account ? (
          <dl>
            <dt>Account</dt>
            <dd class="mono">{account.accountId}</dd>
            <dt>Takes payments</dt>
            <dd>{account.chargesEnabled ? 'Yes' : 'No'}</dd>
            <dt>Pays out to the bank</dt>
            <dd>{account.payoutsEnabled ? 'Yes' : 'No'}</dd>
            <dt>Details sent</dt>
            <dd>{account.detailsSubmitted ? 'Yes' : 'No'}</dd>
          </dl>
        ) : null}
        {account?.disabledReason ? (
          <p class="notice error">{describeDisabledReason(account.disabledReason)}.</p>
        ) : null}
        {needs.length > 0 ? (
          <>
            <h3>What Stripe still needs</h3>
            <ul data-requirements>
              {needs.map((need) => (
                <li>{need}</li>
              ))}
            </ul>
          </>
        ) : null}
        {props.canManage ? (
          stage === 'enabled' && needs.length === 0 ? null : (
            <form method="post" action="/dashboard/payouts/connect">
              <button type="submit">
                {account ? 'Continue with Stripe' : 'Connect with Stripe'}
              </button>
            </form>
          )
        ) : (
          <p class="muted">Only the workspace owner can connect or change the Stripe account.</p>
        )}
      </section>
      <section aria-labelledby="platform-fee">
        <h2 id="platform-fee">Platform fee</h2>
        <p>
          {feeWords(props.fee)}{' '}
          {props.feeSource === 'workspace' ? 'Set for this workspace by the operator.' : null}
        </p>
      </section>
      <section aria-labelledby="payout-list">
        <h2 id="payout-list">Payouts to your bank</h2>
        {props.payouts.length === 0 ? (
          <p>No payouts yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">Arrives</th>
                  <th scope="col">Amount</th>
                  <th scope="col">State</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {props.payouts.map((p) => (
                  <tr data-payout={p.id}>
                    <td>{p.arrivalAt.slice(0, 10)}</td>
                    <td data-label="Amount">{formatPrice(p.amountMinor, p.currency)}</td>
                    <td data-label="State">{PAYOUT_WORDS[p.status] ?? p.status}</td>
                    <td data-label="Reason">{p.failureMessage ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </DashboardLayout>
  );
}
