import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAGIC_LINK_MINUTES } from '../worker/access/magic-links';
import { app } from '../worker/app';
import { randomToken } from '../worker/domain/ids';
import { call, waitFor } from './support/api';
import {
  lastMailAt,
  mailedToken,
  page,
  postForm,
  SAME_ORIGIN,
  signIn,
  uniqueEmail,
} from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';

/** Sign-in and sign-up by magic link (issue 9, "Accounts and sign-in"). */

async function linkRow(email: string) {
  return env.DB.prepare(
    'SELECT token_hash, purpose, created_at, expires_at, used_at FROM magic_links WHERE email = ? ORDER BY created_at DESC',
  )
    .bind(email)
    .first<{
      token_hash: string;
      purpose: string;
      created_at: string;
      expires_at: string;
      used_at: string | null;
    }>();
}

async function requestLink(email: string): Promise<string> {
  const since = await lastMailAt(email);
  const res = await postForm('/dashboard/sign-in', { email });
  expect(res.status).toBe(303);
  return mailedToken(email, since);
}

const sessionCount = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM sessions').first<{ n: number }>())?.n ?? 0;

describe('magic link', () => {
  it('signs up an unknown address: the link lands on a confirm page, its button opens a session', async () => {
    const email = uniqueEmail();
    const token = await requestLink(email);
    expect((await linkRow(email))?.purpose).toBe('sign_up');
    // Opening the link (or a mail scanner fetching it) uses nothing.
    const landing = await page(`/dashboard/auth?token=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('method="post" action="/dashboard/auth"');
    expect((await linkRow(email))?.used_at).toBeNull();
    const confirmed = await postForm('/dashboard/auth', { token });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/dashboard/workspaces');
    const person = await env.DB.prepare('SELECT id FROM people WHERE email = ?')
      .bind(email)
      .first();
    expect(person).not.toBeNull();
  });

  it('stores only the hash of the token', async () => {
    const email = uniqueEmail();
    const token = await requestLink(email);
    const row = await linkRow(email);
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const hits = await env.DB.prepare('SELECT count(*) AS n FROM magic_links WHERE token_hash = ?')
      .bind(token)
      .first<{ n: number }>();
    expect(hits?.n).toBe(0);
  });

  it('works once: the second use is refused and opens no session', async () => {
    const email = uniqueEmail();
    const token = await requestLink(email);
    expect((await postForm('/dashboard/auth', { token })).status).toBe(303);
    const before = await sessionCount();
    const again = await postForm('/dashboard/auth', { token });
    expect(again.status).toBe(400);
    expect(again.setCookie).toBeNull();
    expect(again.text).toContain('does not work anymore');
    expect(await sessionCount()).toBe(before);
  });

  it(`expires ${MAGIC_LINK_MINUTES} minutes after it was issued`, async () => {
    const email = uniqueEmail();
    const token = await requestLink(email);
    const row = await linkRow(email);
    if (!row) throw new Error('no link row');
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(15 * 60_000);
    // Fifteen minutes and a second later.
    const issued = new Date(Date.now() - (15 * 60 + 1) * 1000);
    await env.DB.prepare(
      'UPDATE magic_links SET created_at = ?, expires_at = ? WHERE token_hash = ?',
    )
      .bind(
        issued.toISOString(),
        new Date(issued.getTime() + 15 * 60_000).toISOString(),
        row.token_hash,
      )
      .run();
    const before = await sessionCount();
    const res = await postForm('/dashboard/auth', { token });
    expect(res.status).toBe(400);
    expect(await sessionCount()).toBe(before);
  });

  it('still works a little before the fifteen minutes are up', async () => {
    const email = uniqueEmail();
    const token = await requestLink(email);
    const issued = new Date(Date.now() - (14 * 60 + 50) * 1000);
    await env.DB.prepare('UPDATE magic_links SET created_at = ?, expires_at = ? WHERE email = ?')
      .bind(issued.toISOString(), new Date(issued.getTime() + 15 * 60_000).toISOString(), email)
      .run();
    expect((await postForm('/dashboard/auth', { token })).status).toBe(303);
  });

  it('refuses a wrong or malformed token and writes nothing', async () => {
    const before = await settledSnapshot();
    for (const token of [randomToken(32), 'x', '', `${randomToken(32)}'--`]) {
      const res = await postForm('/dashboard/auth', { token });
      expect(res.status, token).toBe(400);
      expect(res.setCookie).toBeNull();
    }
    expect((await page('/dashboard/auth?token=nope')).status).toBe(400);
    expect(await settledSnapshot()).toEqual(before);
  });

  it('rate-limits per address: the sixth request in a minute is refused, from any client', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 5; i++) {
      const res = await postForm(
        '/dashboard/sign-in',
        { email },
        { headers: { 'cf-connecting-ip': `203.0.113.${i}` } },
      );
      expect(res.status).toBe(303);
    }
    const refused = await postForm(
      '/dashboard/sign-in',
      { email },
      { headers: { 'cf-connecting-ip': '203.0.113.99' } },
    );
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Too many');
  });

  it('rate-limits per client: the sixth address from one client in a minute is refused', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 5; i++) {
      const res = await postForm(
        '/dashboard/sign-in',
        { email: uniqueEmail() },
        { headers: { 'cf-connecting-ip': ip } },
      );
      expect(res.status).toBe(303);
    }
    const email = uniqueEmail();
    const refused = await postForm(
      '/dashboard/sign-in',
      { email },
      { headers: { 'cf-connecting-ip': ip } },
    );
    expect(refused.status).toBe(429);
    // Refused means no link either.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await linkRow(email)).toBeNull();
  });

  it('answers a known and an unknown address exactly alike', async () => {
    const known = uniqueEmail('known');
    await signIn(known);
    const unknown = uniqueEmail('unknown');
    const a = await postForm('/dashboard/sign-in', { email: known });
    const b = await postForm('/dashboard/sign-in', { email: unknown });
    expect([a.status, a.location, a.text]).toEqual([b.status, b.location, b.text]);
    const shownA = await page(a.location ?? '');
    const shownB = await page(b.location ?? '');
    expect(shownA.text).toBe(shownB.text);
    // Both got a mail: sign-in for the known, sign-up for the unknown.
    expect((await linkRow(known))?.purpose).toBe('sign_in');
    await waitFor(async () => (await linkRow(unknown))?.purpose === 'sign_up');
  });

  it('with invite-only sign-up, an unknown address gets the same answer and no mail', async () => {
    const inviteOnly = { ...env, SIGNUP_MODE: 'invite_only' };
    const unknown = uniqueEmail('closed');
    const ctx = createExecutionContext();
    const res = await app.request(
      '/dashboard/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
        body: new URLSearchParams({ email: unknown }),
      },
      inviteOnly,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/check-email');
    expect(await linkRow(unknown)).toBeNull();
    const mails = await env.DB.prepare('SELECT count(*) AS n FROM mail_outbox WHERE to_address = ?')
      .bind(unknown)
      .first<{ n: number }>();
    expect(mails?.n).toBe(0);
  });

  it('shows per-field errors for a bad address and writes nothing', async () => {
    const before = await settledSnapshot();
    for (const email of ['', 'not-an-email', `${'a'.repeat(250)}@example.com`]) {
      const res = await postForm('/dashboard/sign-in', { email });
      expect(res.status).toBe(422);
      expect(res.text).toContain('class="field-error"');
      expect(res.text).toContain('aria-invalid="true"');
    }
    const json = await call('POST', '/dashboard/sign-in', {
      body: { email: 'a@example.com' },
      headers: SAME_ORIGIN,
    });
    expect(json.status).toBe(422);
    expect(await settledSnapshot()).toEqual(before);
  });
});

describe('development sign-in link', () => {
  it('issues a link for a known person in development and redirects to its landing', async () => {
    const email = uniqueEmail();
    await signIn(email);
    const res = await page(`/dev/sign-in?email=${encodeURIComponent(email)}`);
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/dashboard\/auth\?token=[0-9a-z]{32}$/);
    expect((await page(`/dev/sign-in?email=${uniqueEmail()}`)).status).toBe(404);
  });

  it('is not there outside development', async () => {
    const email = uniqueEmail();
    await signIn(email);
    for (const ENVIRONMENT of ['staging', 'production']) {
      const res = await app.request(
        `/dev/sign-in?email=${encodeURIComponent(email)}`,
        {},
        { ...env, ENVIRONMENT },
        createExecutionContext(),
      );
      expect(res.status).toBe(404);
    }
  });
});

describe('the JSON API and the session cookie', () => {
  it('never accepts the dashboard cookie in place of an API key', async () => {
    const cookie = await signIn(uniqueEmail());
    const res = await call('GET', '/api/v1/organizer/events', { headers: { cookie } });
    expect(res.status).toBe(401);
  });

  it('the landing sends no Referer onward and is not stored', async () => {
    const res = await page(`/dashboard/auth?token=${randomToken(32)}`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
