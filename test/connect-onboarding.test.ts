import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import accountDetailsPending from './fixtures/stripe/account-details-pending.json';
import accountEnabled from './fixtures/stripe/account-enabled.json';
import accountRestricted from './fixtures/stripe/account-restricted.json';
import { BASE } from './support/api';
import { dashboardAs, storedAccount } from './support/connect';
import { memberSession, signUpWithWorkspace, type Workspace } from './support/dashboard';
import { ConnectFake } from './support/stripe-connect-fake';
import { STRIPE_SETTINGS } from './support/stripe-fake';

/**
 * Issue 10, "Organizers get paid": the workspace owner connects a Stripe Express account from
 * the dashboard (Account Links onboarding, refresh and return URLs); the Payouts page says
 * where onboarding stands and, in words, what Stripe still needs. Stripe's API is recorded
 * shapes behind a fetch spy (test/support/stripe-connect-fake.ts).
 */

const STRIPE = STRIPE_SETTINGS;
let owner: Workspace;
let stripe: ConnectFake;

beforeAll(async () => {
  owner = await signUpWithWorkspace('Night Owls');
});

beforeEach(() => {
  stripe = new ConnectFake().install();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const payoutsPage = (cookie = owner.cookie) =>
  dashboardAs(STRIPE, 'GET', '/dashboard/payouts', cookie);
const stageOf = (html: string) => /data-stage="([a-z_]+)"/.exec(html)?.[1];

async function accountId(): Promise<string> {
  const row = await storedAccount(owner.organizerId);
  if (!row) throw new Error('no account stored');
  return row.account_id;
}

describe('a workspace that has not connected Stripe', () => {
  it('shows "not connected" and, to the owner, a Connect button', async () => {
    const page = await payoutsPage();
    expect(page.status).toBe(200);
    expect(stageOf(page.text)).toBe('not_connected');
    expect(page.text).toContain('action="/dashboard/payouts/connect"');
    expect(page.text).toContain('Connect with Stripe');
    // The form is answered with a redirect to Stripe: the page's CSP must let it go there.
    expect(page.csp).toContain("form-action 'self' https://connect.stripe.com;");
  });

  it('answers 503 connect_not_configured when the deployment has no Stripe key', async () => {
    const page = await dashboardAs({}, 'POST', '/dashboard/payouts/connect', owner.cookie);
    expect(page.status).toBe(503);
    expect(page.text).toContain('STRIPE_SECRET_KEY');
    expect(stripe.calls).toEqual([]);
  });
});

describe('the owner connects', () => {
  it('creates an Express account in the workspace country, then sends the owner to onboarding', async () => {
    const res = await dashboardAs(STRIPE, 'POST', '/dashboard/payouts/connect', owner.cookie);
    const [create] = stripe.callsTo('POST', /^\/v1\/accounts$/);
    expect(create?.form).toEqual({
      type: 'express',
      country: 'DE',
      email: owner.email,
      'capabilities[card_payments][requested]': 'true',
      'capabilities[transfers][requested]': 'true',
      'metadata[organizerId]': owner.organizerId,
    });
    expect(create?.idempotencyKey).toBe(`connect-account:${owner.organizerId}:test`);
    const id = await accountId();
    const [link] = stripe.callsTo('POST', /^\/v1\/account_links$/);
    expect(link?.form).toEqual({
      account: id,
      type: 'account_onboarding',
      refresh_url: `${BASE}/dashboard/payouts/refresh`,
      return_url: `${BASE}/dashboard/payouts/return`,
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`^https://connect\\.stripe\\.com/setup/e/${id}/`));
    expect(await storedAccount(owner.organizerId)).toMatchObject({
      account_id: id,
      livemode: 0,
      charges_enabled: 0,
      details_submitted: 0,
      disabled_reason: 'requirements.past_due',
    });
  });

  it('the page then says onboarding started and, in words, what Stripe needs', async () => {
    const page = await payoutsPage();
    expect(stageOf(page.text)).toBe('onboarding');
    for (const words of [
      'a bank account for payouts',
      'acceptance of Stripe’s terms',
      'the business website',
      'the legal name',
    ]) {
      expect(page.text).toContain(words);
    }
    expect(page.text).toContain('Continue with Stripe');
  });

  it('connecting again continues with the same account: never a second one', async () => {
    const before = await accountId();
    const res = await dashboardAs(STRIPE, 'POST', '/dashboard/payouts/connect', owner.cookie);
    expect(res.status).toBe(303);
    expect(stripe.callsTo('POST', /^\/v1\/accounts$/)).toEqual([]);
    expect(stripe.callsTo('POST', /^\/v1\/account_links$/)[0]?.form.account).toBe(before);
    expect(await accountId()).toBe(before);
  });

  it('two clicks at once reach Stripe with one idempotency key', async () => {
    const other = await signUpWithWorkspace('Twin Clicks');
    const [a, b] = await Promise.all([
      dashboardAs(STRIPE, 'POST', '/dashboard/payouts/connect', other.cookie),
      dashboardAs(STRIPE, 'POST', '/dashboard/payouts/connect', other.cookie),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const keys = stripe.callsTo('POST', /^\/v1\/accounts$/).map((c) => c.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set([`connect-account:${other.organizerId}:test`]));
    expect(stripe.accountsCreated).toBe(1);
  });

  it('refresh_url (an expired link) makes a new link for the same account', async () => {
    const res = await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/refresh', owner.cookie);
    const id = await accountId();
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`/setup/e/${id}/`));
    expect(stripe.callsTo('POST', /^\/v1\/account_links$/)).toHaveLength(1);
  });
});

describe('back from Stripe (return_url), the page shows what Stripe reports', () => {
  it('details sent, still being verified: pending, naming the document Stripe wants', async () => {
    const id = await accountId();
    stripe.set(id, accountDetailsPending);
    const res = await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/return', owner.cookie);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/dashboard/payouts?returned=1');
    expect(stripe.callsTo('GET', new RegExp(`^/v1/accounts/${id}$`))).toHaveLength(1);
    const page = await dashboardAs(STRIPE, 'GET', '/dashboard/payouts?returned=1', owner.cookie);
    expect(stageOf(page.text)).toBe('pending');
    expect(page.text).toContain('an identity document');
    expect(page.text).toContain('Stripe is verifying the details given');
    expect(await storedAccount(owner.organizerId)).toMatchObject({
      details_submitted: 1,
      charges_enabled: 0,
    });
  });

  it('charges enabled: connected, nothing left to do', async () => {
    stripe.set(await accountId(), accountEnabled);
    await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/return', owner.cookie);
    const page = await payoutsPage();
    expect(stageOf(page.text)).toBe('enabled');
    expect(page.text).not.toContain('What Stripe still needs');
    expect(page.text).not.toContain('action="/dashboard/payouts/connect"');
    expect(await storedAccount(owner.organizerId)).toMatchObject({
      charges_enabled: 1,
      payouts_enabled: 1,
      currently_due: '[]',
    });
  });

  it('disabled with requirements past due: restricted, and what to give again', async () => {
    stripe.set(await accountId(), accountRestricted);
    await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/return', owner.cookie);
    const page = await payoutsPage();
    expect(stageOf(page.text)).toBe('restricted');
    expect(page.text).toContain('Stripe paused the account: information is overdue');
    expect(page.text).toContain('the home address');
    expect(page.text).toContain('a bank account for payouts');
    expect(page.text).toContain('Continue with Stripe');
  });
});

describe('only the owner may connect', () => {
  it.each(['admin', 'finance'] as const)('a %s sees the state read-only', async (role) => {
    const member = await memberSession(owner.organizerId, role);
    const page = await payoutsPage(member.cookie);
    expect(page.status).toBe(200);
    expect(stageOf(page.text)).toBe('restricted');
    expect(page.text).not.toContain('action="/dashboard/payouts/connect"');
    expect(page.text).toContain('Only the workspace owner');
    const connect = await dashboardAs(STRIPE, 'POST', '/dashboard/payouts/connect', member.cookie);
    const refresh = await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/refresh', member.cookie);
    expect([connect.status, refresh.status]).toEqual([403, 403]);
    // Their return from Stripe (a shared link) reads nothing from Stripe.
    const back = await dashboardAs(STRIPE, 'GET', '/dashboard/payouts/return', member.cookie);
    expect(back.status).toBe(303);
    expect(stripe.calls).toEqual([]);
  });

  it.each(['event_manager', 'box_office', 'door'] as const)(
    'a %s does not see payouts',
    async (role) => {
      const member = await memberSession(owner.organizerId, role);
      expect((await payoutsPage(member.cookie)).status).toBe(403);
    },
  );
});
