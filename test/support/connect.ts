import { env } from 'cloudflare:test';
import { app } from '../../worker/app';
import { BASE } from './api';
import { SAME_ORIGIN } from './dashboard';
import { envWith } from './stripe-connect-fake';

export interface Page {
  status: number;
  location: string | null;
  text: string;
  csp: string;
}

/** A dashboard request through the app with `settings` over the test bindings. */
export async function dashboardAs(
  settings: Record<string, string>,
  method: 'GET' | 'POST',
  path: string,
  cookie: string,
  form: Record<string, string> = {},
): Promise<Page> {
  const post = method === 'POST';
  const res = await app.request(
    `${BASE}${path}`,
    {
      method,
      redirect: 'manual',
      headers: {
        cookie,
        ...(post ? { ...SAME_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(post ? { body: new URLSearchParams(form).toString() } : {}),
    },
    envWith(settings),
  );
  return {
    status: res.status,
    location: res.headers.get('location'),
    text: await res.text(),
    csp: res.headers.get('content-security-policy') ?? '',
  };
}

/** The workspace's stored Connect account, straight from D1. */
export function storedAccount(organizerId: string) {
  return env.DB.prepare('SELECT * FROM connect_accounts WHERE organizer_id = ?')
    .bind(organizerId)
    .first<{
      account_id: string;
      livemode: number;
      charges_enabled: number;
      payouts_enabled: number;
      details_submitted: number;
      currently_due: string;
      past_due: string;
      disabled_reason: string | null;
      state_at: number;
    }>();
}

/** A Connect account row for a workspace, as onboarding would have left it. */
export async function seedAccount(
  organizerId: string,
  state: {
    accountId?: string;
    livemode: boolean;
    chargesEnabled: boolean;
    currentlyDue?: string[];
  },
): Promise<string> {
  const accountId =
    state.accountId ?? `acct_1T${crypto.randomUUID().replaceAll('-', '').slice(0, 14)}`;
  await env.DB.prepare(
    `INSERT INTO connect_accounts (organizer_id, account_id, livemode, charges_enabled, payouts_enabled, details_submitted, currently_due, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?)
     ON CONFLICT (organizer_id) DO UPDATE SET account_id = excluded.account_id, livemode = excluded.livemode,
       charges_enabled = excluded.charges_enabled, currently_due = excluded.currently_due`,
  )
    .bind(
      organizerId,
      accountId,
      state.livemode ? 1 : 0,
      state.chargesEnabled ? 1 : 0,
      state.chargesEnabled ? 1 : 0,
      JSON.stringify(state.currentlyDue ?? []),
      new Date().toISOString(),
    )
    .run();
  return accountId;
}
