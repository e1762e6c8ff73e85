import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../worker/app';
import accountEnabled from './fixtures/stripe/account-enabled.json';
import {
  type Auth,
  badInputTable,
  invalid,
  MALFORMED,
  NOT_FOUND,
  problem,
  type Row,
  raw,
  req,
  UNAUTHORIZED,
  UNSUPPORTED,
  type World,
} from './support/bad-input';
import { dashboardAs, seedAccount } from './support/connect';
import { memberSession, signUpWithWorkspace, type Workspace } from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';
import {
  CONNECT_WEBHOOK_SECRET,
  ConnectFake,
  envWith,
  signedConnectEvent,
} from './support/stripe-connect-fake';
import { STRIPE_SETTINGS } from './support/stripe-fake';

/**
 * Bad input, Stripe Connect: the Connect webhook, the operator's platform-fee API and the
 * dashboard's Payouts routes (harness: test/support/bad-input.ts). Each is refused with a 4xx
 * and writes nothing.
 */

/** A's workspace (the world's event is A's). */
async function organizerOf(w: World): Promise<string> {
  const row = await env.DB.prepare('SELECT organizer_id FROM events WHERE id = ?')
    .bind(w.event.id)
    .first<{ organizer_id: string }>();
  if (!row) throw new Error('no event');
  organizerA = row.organizer_id;
  return row.organizer_id;
}

// --- POST /api/v1/webhooks/stripe/connect ----------------------------------------------------

const CONNECT = { STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_WEBHOOK_SECRET };
const HOOK = '/api/v1/webhooks/stripe/connect';
const BAD_SIGNATURE = problem(400, 'invalid_signature');

/** An `account.updated` for A's account that would enable charges if it were accepted. */
const connectHook =
  (
    options: Parameters<typeof signedConnectEvent>[2],
    tamper: (signed: { body: string; signature: string }) => {
      body: string;
      signature?: string;
    } = (s) => s,
  ) =>
  async (w: World) => {
    const accountId = await seedAccount(await organizerOf(w), {
      livemode: false,
      chargesEnabled: false,
    });
    const signed = tamper(
      await signedConnectEvent(
        'account.updated',
        { ...accountEnabled, id: accountId },
        { account: accountId, ...options },
      ),
    );
    const headers: Auth = signed.signature ? { 'stripe-signature': signed.signature } : {};
    return { ...raw('POST', HOOK, signed.body, 'application/json', headers), settings: CONNECT };
  };

const webhookRows: Row[] = [
  ['missing signature', BAD_SIGNATURE, connectHook({}, (s) => ({ body: s.body }))],
  [
    'garbage signature',
    BAD_SIGNATURE,
    connectHook({}, (s) => ({ ...s, signature: 't=1700000000,v1=deadbeef' })),
  ],
  [
    'made-up digest',
    BAD_SIGNATURE,
    connectHook({}, (s) => ({
      ...s,
      signature: `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`,
    })),
  ],
  [
    'signed with another secret',
    BAD_SIGNATURE,
    connectHook({ secret: 'whsec_not_the_connect_secret_0000000' }),
  ],
  [
    'signed with the platform endpoint secret',
    BAD_SIGNATURE,
    connectHook({ secret: STRIPE_SETTINGS.STRIPE_WEBHOOK_SECRET }),
  ],
  [
    'body changed after signing',
    BAD_SIGNATURE,
    connectHook({}, (s) => ({
      ...s,
      body: s.body.replace('"payouts_enabled":true', '"payouts_enabled":false'),
    })),
  ],
  ['stale timestamp (10 min)', BAD_SIGNATURE, connectHook({ signedAgo: 600 })],
  [
    'body of 300 KB (webhooks limit 256 KB)',
    problem(413, 'payload_too_large'),
    () => ({
      ...raw('POST', HOOK, `{"pad":"${'x'.repeat(300 * 1024)}"}`, 'application/json', {
        'stripe-signature': 't=1,v1=00',
      }),
      settings: CONNECT,
    }),
  ],
];

// --- /api/v1/operator/workspaces/:id/platform-fee ---------------------------------------------

const OPERATOR_KEY = 'op_'.padEnd(48, 'z');
const OPERATOR = { OPERATOR_API_KEY: OPERATOR_KEY };
const asOperator = { authorization: `Bearer ${OPERATOR_KEY}` };
let organizerA = '';
const feePath = () => `/api/v1/operator/workspaces/${organizerA}/platform-fee`;
const GOOD_FEE = { percentBps: 250, fixedMinor: 30 };

const putFee =
  (body: unknown, headers: Auth = asOperator) =>
  async (w: World) => {
    await organizerOf(w);
    return { ...req('PUT', feePath(), { body, headers }), settings: OPERATOR };
  };

const operatorRows: Row[] = [
  ['no key', UNAUTHORIZED, putFee(GOOD_FEE, {})],
  ['wrong key', UNAUTHORIZED, putFee(GOOD_FEE, { authorization: `Bearer ${OPERATOR_KEY}x` })],
  [
    'the key with a different last character',
    UNAUTHORIZED,
    putFee(GOOD_FEE, { authorization: `Bearer ${OPERATOR_KEY.slice(0, -1)}y` }),
  ],
  ['an organizer API key', UNAUTHORIZED, (w) => putFee(GOOD_FEE, w.a)(w)],
  [
    'key as a query parameter',
    UNAUTHORIZED,
    async (w) => {
      await organizerOf(w);
      return { ...req('GET', `${feePath()}?token=${OPERATOR_KEY}`), settings: OPERATOR };
    },
  ],
  ['percentBps above 10,000', invalid('percentBps'), putFee({ ...GOOD_FEE, percentBps: 10_001 })],
  ['percentBps negative', invalid('percentBps'), putFee({ ...GOOD_FEE, percentBps: -1 })],
  ['percentBps a fraction', invalid('percentBps'), putFee({ ...GOOD_FEE, percentBps: 2.5 })],
  ['percentBps as text', invalid('percentBps'), putFee({ ...GOOD_FEE, percentBps: '250' })],
  ['fixedMinor missing', invalid('fixedMinor'), putFee({ percentBps: 250 })],
  ['fixedMinor a fraction', invalid('fixedMinor'), putFee({ ...GOOD_FEE, fixedMinor: 0.5 })],
  ['minMinor negative', invalid('minMinor'), putFee({ ...GOOD_FEE, minMinor: -1 })],
  [
    'maxMinor below minMinor',
    invalid('maxMinor'),
    putFee({ ...GOOD_FEE, minMinor: 100, maxMinor: 50 }),
  ],
  ['an unknown field (currency)', invalid('currency'), putFee({ ...GOOD_FEE, currency: 'EUR' })],
  ['a list, not an object', invalid(), putFee([GOOD_FEE])],
  [
    'malformed JSON',
    MALFORMED,
    async (w) => {
      await organizerOf(w);
      return {
        ...raw('PUT', feePath(), '{"percentBps":', 'application/json', asOperator),
        settings: OPERATOR,
      };
    },
  ],
  [
    'a form, not JSON',
    UNSUPPORTED,
    async (w) => {
      await organizerOf(w);
      return {
        ...raw(
          'PUT',
          feePath(),
          'percentBps=0&fixedMinor=0',
          'application/x-www-form-urlencoded',
          asOperator,
        ),
        settings: OPERATOR,
      };
    },
  ],
  [
    'GET: an unknown workspace',
    NOT_FOUND,
    () => ({
      ...req('GET', '/api/v1/operator/workspaces/org_unknown/platform-fee', {
        headers: asOperator,
      }),
      settings: OPERATOR,
    }),
  ],
  [
    'PUT: an unknown workspace',
    NOT_FOUND,
    () => ({
      ...req('PUT', '/api/v1/operator/workspaces/org_unknown/platform-fee', {
        body: GOOD_FEE,
        headers: asOperator,
      }),
      settings: OPERATOR,
    }),
  ],
  [
    'DELETE: an unknown workspace',
    NOT_FOUND,
    () => ({
      ...req('DELETE', '/api/v1/operator/workspaces/org_unknown/platform-fee', {
        headers: asOperator,
      }),
      settings: OPERATOR,
    }),
  ],
];

badInputTable([
  ['POST /api/v1/webhooks/stripe/connect', webhookRows],
  ['/api/v1/operator/workspaces/:id/platform-fee', operatorRows],
]);

// --- the dashboard's Payouts routes -----------------------------------------------------------

describe('dashboard Payouts routes: refused, no Stripe call, nothing written', () => {
  let owner: Workspace;
  let stripe: ConnectFake;
  beforeAll(async () => {
    owner = await signUpWithWorkspace('Refusals');
  });
  beforeEach(() => {
    stripe = new ConnectFake().install();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function refused(
    run: () => Promise<{ status: number; location: string | null }>,
    status: number,
  ) {
    const before = await settledSnapshot([]);
    const res = await run();
    expect(res.status).toBe(status);
    expect(stripe.calls).toEqual([]);
    expect(stripe.payments.calls).toEqual([]);
    expect(await settledSnapshot([])).toEqual(before);
    return res;
  }

  it('connect from another site (a cross-site form)', async () => {
    await refused(async () => {
      const res = await dashboardAs(STRIPE_SETTINGS, 'GET', '/dashboard/payouts', owner.cookie);
      expect(res.status).toBe(200);
      const posted = await app.request(
        'https://tessera.test/dashboard/payouts/connect',
        {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: owner.cookie,
            origin: 'https://evil.example',
            'sec-fetch-site': 'cross-site',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: '',
        },
        envWith(STRIPE_SETTINGS),
      );
      return { status: posted.status, location: posted.headers.get('location') };
    }, 403);
  });

  it.each(['admin', 'finance', 'event_manager'] as const)('connect as %s', async (role) => {
    const member = await memberSession(owner.organizerId, role);
    await refused(
      () => dashboardAs(STRIPE_SETTINGS, 'POST', '/dashboard/payouts/connect', member.cookie),
      403,
    );
    await refused(
      () => dashboardAs(STRIPE_SETTINGS, 'GET', '/dashboard/payouts/refresh', member.cookie),
      403,
    );
  });

  it('without a session: sent to sign in', async () => {
    const res = await refused(
      () => dashboardAs(STRIPE_SETTINGS, 'POST', '/dashboard/payouts/connect', ''),
      303,
    );
    expect(res.location).toMatch(/\/dashboard\/sign-in/);
  });

  it('refresh before any account exists: back to the page, no link made', async () => {
    const res = await refused(
      () => dashboardAs(STRIPE_SETTINGS, 'GET', '/dashboard/payouts/refresh', owner.cookie),
      303,
    );
    expect(res.location).toBe('/dashboard/payouts');
  });
});
