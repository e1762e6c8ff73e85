import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import accountDetailsPending from './fixtures/stripe/account-details-pending.json';
import accountEnabled from './fixtures/stripe/account-enabled.json';
import accountRestricted from './fixtures/stripe/account-restricted.json';
import payoutFailed from './fixtures/stripe/payout-failed.json';
import payoutPaid from './fixtures/stripe/payout-paid.json';
import { BASE } from './support/api';
import { dashboardAs, seedAccount, storedAccount } from './support/connect';
import { signUpWithWorkspace, type Workspace } from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';
import { type JsonResponse, readJsonResponse } from './support/json-response';
import { CONNECT_WEBHOOK_SECRET, envWith, signedConnectEvent } from './support/stripe-connect-fake';

/**
 * Issue 10: `POST /api/v1/webhooks/stripe/connect` keeps each workspace's Express account
 * current (`account.updated`, out-of-order snapshots ignored) and records its payouts
 * (`payout.paid` / `payout.failed`), listed on the Payouts page. Forged, replayed and stale
 * events change nothing; an unknown account is logged, not a 500.
 */

const SETTINGS = { STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WEBHOOK_SECRET };
let workspace: Workspace;
let accountId: string;

beforeAll(async () => {
  workspace = await signUpWithWorkspace('Payout Club');
  accountId = await seedAccount(workspace.organizerId, { livemode: false, chargesEnabled: false });
});

afterEach(() => {
  vi.restoreAllMocks();
});

type Answer = JsonResponse<{ received?: boolean; result?: string; code?: string }>;

async function send(
  signed: { body: string; signature: string },
  settings: Record<string, string> = SETTINGS,
): Promise<Answer> {
  const res = await app.request(
    `${BASE}/api/v1/webhooks/stripe/connect`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature },
      body: signed.body,
    },
    envWith(settings),
  );
  return readJsonResponse(res);
}

const accountEvent = (
  state: Record<string, unknown>,
  options: Parameters<typeof signedConnectEvent>[2] = {},
) =>
  signedConnectEvent(
    'account.updated',
    { ...state, id: accountId },
    { account: accountId, ...options },
  );

const now = () => Math.floor(Date.now() / 1000);

describe('account.updated', () => {
  it('stores the state Stripe sends', async () => {
    const res = await send(await accountEvent(accountDetailsPending, { created: now() - 100 }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, result: 'applied' });
    expect(await storedAccount(workspace.organizerId)).toMatchObject({
      details_submitted: 1,
      charges_enabled: 0,
      currently_due: '["individual.verification.document"]',
      disabled_reason: 'requirements.pending_verification',
      state_at: now() - 100,
    });
  });

  it('a replayed event is answered once: its second delivery changes nothing', async () => {
    const enabled = await accountEvent(accountEnabled, { created: now() - 50 });
    expect((await send(enabled)).body.result).toBe('applied');
    // A newer state arrives, then the first event again (Stripe retries, or an attacker).
    expect(
      (await send(await accountEvent(accountRestricted, { created: now() - 40 }))).body.result,
    ).toBe('applied');
    const replay = await send(
      await accountEvent(accountEnabled, { id: JSON.parse(enabled.body).id, created: now() - 40 }),
    );
    expect(replay.status).toBe(200);
    expect(replay.body.result).toBe('duplicate');
    expect(await storedAccount(workspace.organizerId)).toMatchObject({
      charges_enabled: 0,
      disabled_reason: 'requirements.past_due',
    });
  });

  it('an older snapshot arriving late is ignored (ordered by the event created time)', async () => {
    const late = await send(await accountEvent(accountEnabled, { created: now() - 3600 }));
    expect(late.body.result).toBe('stale');
    expect(await storedAccount(workspace.organizerId)).toMatchObject({ charges_enabled: 0 });
  });

  it('an event for an account no workspace has is logged and ignored, not a 500', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const before = await settledSnapshot([]);
    const stranger = await signedConnectEvent(
      'account.updated',
      { ...accountEnabled, id: 'acct_1TStrangerNotOurs0' },
      { account: 'acct_1TStrangerNotOurs0' },
    );
    const res = await send(stranger);
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('unknown_account');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('acct_1TStrangerNotOurs0'));
    const after = await settledSnapshot([]);
    // Only the event's own id is kept (so its replay is a duplicate): nothing else changed.
    const withoutEvents = (s: typeof before) => ({ ...s, d1: { ...s.d1, connect_events: [] } });
    expect(withoutEvents(after)).toEqual(withoutEvents(before));
  });

  it('other event types are acknowledged and ignored', async () => {
    const res = await send(
      await signedConnectEvent(
        'capability.updated',
        { id: 'card_payments' },
        { account: accountId },
      ),
    );
    expect(res.body.result).toBe('ignored');
  });
});

describe('refused, and nothing written', () => {
  async function refusedWithoutWrites(
    signed: { body: string; signature: string },
    expected: { status: number; code: string },
    settings: Record<string, string> = SETTINGS,
  ) {
    const before = await settledSnapshot([]);
    const res = await send(signed, settings);
    expect(res.status).toBe(expected.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(expected.code);
    expect(await settledSnapshot([])).toEqual(before);
  }

  it('a forged signature (another secret): 400', async () => {
    await refusedWithoutWrites(
      await accountEvent(accountEnabled, { secret: 'whsec_not_the_connect_secret_000000' }),
      { status: 400, code: 'invalid_signature' },
    );
  });

  it('a body changed after signing: 400', async () => {
    const signed = await accountEvent(accountEnabled);
    await refusedWithoutWrites(
      { ...signed, body: signed.body.replace('"charges_enabled":true', '"charges_enabled":false') },
      { status: 400, code: 'invalid_signature' },
    );
  });

  it('a signature older than the tolerance (10 minutes): 400', async () => {
    await refusedWithoutWrites(await accountEvent(accountEnabled, { signedAgo: 600 }), {
      status: 400,
      code: 'invalid_signature',
    });
  });

  it('the platform endpoint secret does not sign Connect events', async () => {
    await refusedWithoutWrites(
      await accountEvent(accountEnabled, { secret: 'whsec_test_tessera_stripe_payments' }),
      { status: 400, code: 'invalid_signature' },
      { ...SETTINGS, STRIPE_WEBHOOK_SECRET: 'whsec_test_tessera_stripe_payments' },
    );
  });

  it('without STRIPE_CONNECT_WEBHOOK_SECRET the endpoint is off: 503, even for a good signature', async () => {
    await refusedWithoutWrites(
      await accountEvent(accountEnabled),
      { status: 503, code: 'connect_not_configured' },
      {},
    );
  });
});

describe('payouts', () => {
  const payoutEvent = (
    type: 'payout.paid' | 'payout.failed',
    payout: Record<string, unknown>,
    created: number,
    account: string | null = accountId,
  ) => signedConnectEvent(type, payout, { account, created });

  it('payout.paid is recorded with its amount, currency and arrival date', async () => {
    expect((await send(await payoutEvent('payout.paid', payoutPaid, now() - 30))).body.result).toBe(
      'applied',
    );
    const row = await env.DB.prepare('SELECT * FROM connect_payouts WHERE id = ?')
      .bind(payoutPaid.id)
      .first();
    expect(row).toMatchObject({
      account_id: accountId,
      organizer_id: workspace.organizerId,
      amount_minor: 152340,
      currency: 'EUR',
      arrival_at: '2026-05-01T00:00:00.000Z',
      status: 'paid',
      failure_message: null,
    });
  });

  it('payout.failed is recorded with Stripe’s failure message; an older paid never undoes it', async () => {
    const failed = {
      ...payoutPaid,
      status: 'failed',
      failure_code: 'account_closed',
      failure_message: 'The bank account has been closed.',
    };
    expect((await send(await payoutEvent('payout.failed', failed, now() - 20))).body.result).toBe(
      'applied',
    );
    expect((await send(await payoutEvent('payout.paid', payoutPaid, now() - 25))).body.result).toBe(
      'stale',
    );
    expect(await send(await payoutEvent('payout.failed', payoutFailed, now() - 10))).toMatchObject({
      status: 200,
    });
    const rows = await env.DB.prepare(
      'SELECT id, status, amount_minor, failure_message FROM connect_payouts WHERE organizer_id = ? ORDER BY id',
    )
      .bind(workspace.organizerId)
      .all();
    expect(rows.results).toEqual([
      {
        id: payoutPaid.id,
        status: 'failed',
        amount_minor: 152340,
        failure_message: 'The bank account has been closed.',
      },
      {
        id: payoutFailed.id,
        status: 'failed',
        amount_minor: 48000,
        failure_message: 'The bank account has been closed.',
      },
    ]);
  });

  it('a payout of an unknown account is ignored', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const res = await send(
      await payoutEvent(
        'payout.paid',
        { ...payoutPaid, id: 'po_1TStranger0001' },
        now(),
        'acct_1TNobody',
      ),
    );
    expect(res.body.result).toBe('unknown_account');
    const row = await env.DB.prepare('SELECT id FROM connect_payouts WHERE id = ?')
      .bind('po_1TStranger0001')
      .first();
    expect(row).toBeNull();
  });

  it('the Payouts page lists them, with the failure reason', async () => {
    const page = await dashboardAs({}, 'GET', '/dashboard/payouts', workspace.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-payout="${payoutPaid.id}"`);
    expect(page.text).toContain(`data-payout="${payoutFailed.id}"`);
    expect(page.text).toContain('€1,523.40');
    expect(page.text).toContain('The bank account has been closed.');
  });
});
