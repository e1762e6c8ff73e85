import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import { linkOrigin } from '../../access/sign-in';
import { connectStage, loadConnectAccount } from '../../connect/accounts';
import { effectiveFee, loadWorkspaceFee } from '../../connect/fees';
import {
  PAYOUTS_PATH,
  refreshLink,
  startOnboarding,
  syncFromStripe,
} from '../../connect/onboarding';
import { listPayouts } from '../../connect/payouts';
import { AppError } from '../../domain/errors';
import { usePagePolicy } from '../../middleware/dashboard-headers';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { PayoutsPage } from '../../views/dashboard/payouts-page';
import { memberPrincipal, navFor } from './shared';

/**
 * Payouts: the workspace's Stripe Connect account (read by owner, admin, finance: `payout.read`;
 * connected and onboarded by the owner only: `payout.settings`) and its payouts.
 */
export const payoutRoutes = new Hono<DashboardEnv>();

/** Where Stripe's Account Links lead (hosted Express onboarding). */
const STRIPE_ONBOARDING_ORIGIN = 'https://connect.stripe.com';

payoutRoutes.get('/payouts', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'payout.read');
  const db = c.get('db');
  const [nav, account, payouts, override] = await Promise.all([
    navFor(c, 'payouts'),
    loadConnectAccount(db, principal.organizerId),
    listPayouts(db, principal.organizerId),
    loadWorkspaceFee(db, principal.organizerId),
  ]);
  const fee = effectiveFee(c.env, override);
  // The Connect form is answered with a redirect to Stripe: browsers hold it to form-action.
  usePagePolicy(c, { add: { 'form-action': [STRIPE_ONBOARDING_ORIGIN] } });
  return c.html(
    <PayoutsPage
      nav={nav}
      stage={connectStage(account)}
      account={account ?? null}
      payouts={payouts}
      fee={fee?.fee ?? null}
      feeSource={fee?.source ?? null}
      canManage={authorize(principal, 'payout.settings') === 'allow'}
      returned={c.req.query('returned') === '1'}
    />,
  );
});

/** Creates the Express account the first time, then sends the owner to Stripe's onboarding. */
payoutRoutes.post('/payouts/connect', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'payout.settings');
  const url = await startOnboarding(
    c.env,
    c.get('db'),
    {
      organizerId: principal.organizerId,
      personId: principal.personId,
      email: c.get('session').email,
    },
    linkOrigin(c.env, c.req.url),
  );
  return c.redirect(url, 303);
});

/** Stripe's `refresh_url`: the link expired or was used; a fresh one for the same account. */
payoutRoutes.get('/payouts/refresh', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'payout.settings');
  const url = await refreshLink(
    c.env,
    c.get('db'),
    principal.organizerId,
    linkOrigin(c.env, c.req.url),
  );
  return c.redirect(url ?? PAYOUTS_PATH, 303);
});

/**
 * Stripe's `return_url`: onboarding left (finished or not). The owner's return reads the
 * account back so the page is current before the webhook lands; if Stripe can not be reached
 * the page shows the last state it sent.
 */
payoutRoutes.get('/payouts/return', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'payout.read');
  if (authorize(principal, 'payout.settings') === 'allow') {
    try {
      await syncFromStripe(c.env, c.get('db'), principal.organizerId);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      console.warn(
        JSON.stringify({
          level: 'warn',
          message: 'Connect account not read back',
          error: error.code,
        }),
      );
    }
  }
  return c.redirect(`${PAYOUTS_PATH}?returned=1`, 303);
});
