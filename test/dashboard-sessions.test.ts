import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../worker/access/session-token';
import {
  mailedToken,
  page,
  postForm,
  signIn,
  signUpWithWorkspace,
  uniqueEmail,
} from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';

/** Dashboard sessions: the cookie, revocation, expiry, sliding refresh, CSRF, headers. */

async function sessionOf(cookie: string) {
  const [, token] = cookie.split('=');
  const payload = JSON.parse(
    atob((token ?? '').split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? ''),
  );
  return env.DB.prepare('SELECT * FROM sessions WHERE id = ?').bind(payload.sid).first<{
    id: string;
    person_id: string;
    last_seen_at: string;
    expires_at: string;
    revoked_at: string | null;
  }>();
}

function expectSignInRedirect(res: { status: number; location: string | null }) {
  expect(res.status).toBe(303);
  expect(res.location).toBe('/dashboard/sign-in');
}

describe('the session cookie', () => {
  it('is __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, and nothing else', async () => {
    const email = uniqueEmail();
    await postForm('/dashboard/sign-in', { email });
    const token = await mailedToken(email);
    const res = await postForm('/dashboard/auth', { token });
    expect(res.setCookie).toMatch(
      new RegExp(
        `^${SESSION_COOKIE}=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+; Max-Age=1209600; Path=/; HttpOnly; Secure; SameSite=Lax$`,
      ),
    );
  });

  it('names a live session row; a forged or tampered cookie is sent to sign-in', async () => {
    const { cookie } = await signUpWithWorkspace();
    expect((await page('/dashboard', cookie)).status).toBe(200);
    const tampered = `${cookie.slice(0, -3)}abc`;
    const res = await page('/dashboard', tampered);
    expectSignInRedirect(res);
    // The bad cookie is dropped.
    expect(res.setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0`));
    expectSignInRedirect(await page('/dashboard'));
  });

  it('a revoked session is out at the next request', async () => {
    const { cookie } = await signUpWithWorkspace();
    const session = await sessionOf(cookie);
    await env.DB.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ?')
      .bind(new Date().toISOString(), session?.id)
      .run();
    expectSignInRedirect(await page('/dashboard', cookie));
  });

  it('an expired session is out', async () => {
    const { cookie } = await signUpWithWorkspace();
    const session = await sessionOf(cookie);
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), session?.id)
      .run();
    expectSignInRedirect(await page('/dashboard', cookie));
  });

  it('slides: a session used after an hour gets 14 more days and a fresh cookie', async () => {
    const { cookie } = await signUpWithWorkspace();
    const session = await sessionOf(cookie);
    // Fresh: no write, no new cookie.
    const fresh = await page('/dashboard', cookie);
    expect(fresh.setCookie).toBeNull();
    expect((await sessionOf(cookie))?.expires_at).toBe(session?.expires_at);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const inADay = new Date(Date.now() + 24 * 3600_000).toISOString();
    await env.DB.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?')
      .bind(twoHoursAgo, inADay, session?.id)
      .run();
    const used = await page('/dashboard', cookie);
    expect(used.status).toBe(200);
    expect(used.setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=.+; Max-Age=1209600`));
    const after = await sessionOf(cookie);
    const days = (Date.parse(after?.expires_at ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
  });

  it('sign out ends this session only; sign out everywhere ends them all', async () => {
    const email = uniqueEmail();
    const first = await signIn(email);
    const second = await signIn(email);
    const third = await signIn(email);
    const out = await postForm('/dashboard/sign-out', {}, { cookie: first });
    expectSignInRedirect(out);
    expectSignInRedirect(await page('/dashboard/workspaces', first));
    expect((await page('/dashboard/workspaces', second)).status).toBe(303);
    expect((await page('/dashboard/workspaces', second)).location).toBe(
      '/dashboard/workspaces/new',
    );
    const sessions = await page('/dashboard/sessions', second);
    expect(sessions.status).toBe(200);
    expect(sessions.text).toContain('Sign out everywhere');
    expectSignInRedirect(await postForm('/dashboard/sessions/revoke-all', {}, { cookie: second }));
    expectSignInRedirect(await page('/dashboard/sessions', second));
    expectSignInRedirect(await page('/dashboard/sessions', third));
  });
});

describe('cross-site forms (CSRF)', () => {
  const CROSS_SITE = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

  it('a cross-site form POST is refused with 403 and writes nothing', async () => {
    const { cookie } = await signUpWithWorkspace();
    const before = await settledSnapshot();
    const attempts = [
      postForm('/dashboard/sign-in', { email: uniqueEmail() }, { headers: CROSS_SITE }),
      postForm('/dashboard/sessions/revoke-all', {}, { cookie, headers: CROSS_SITE }),
      postForm('/dashboard/sign-out', {}, { cookie, headers: CROSS_SITE }),
      postForm(
        '/dashboard/workspaces/new',
        { name: 'Evil', slug: 'evil-ws', country: 'DE', currency: 'EUR', timezone: 'UTC' },
        { cookie, headers: CROSS_SITE },
      ),
      // No Origin and no Sec-Fetch-Site: not a browser on our page either.
      postForm(
        '/dashboard/sessions/revoke-all',
        {},
        { cookie, headers: { origin: '', 'sec-fetch-site': '' } },
      ),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Form sent from another site');
    }
    expect(await settledSnapshot()).toEqual(before);
    expect((await page('/dashboard', cookie)).status).toBe(200);
  });
});

describe('security headers', () => {
  it('every dashboard page has a strict CSP, no framing, no referrer, no-store', async () => {
    const { cookie } = await signUpWithWorkspace();
    for (const [path, withCookie] of [
      ['/dashboard/sign-in', false],
      ['/dashboard/check-email', false],
      ['/dashboard', true],
      ['/dashboard/sessions', true],
      ['/dashboard/workspaces', true],
    ] as const) {
      const res = await page(path, withCookie ? cookie : null);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text, path).not.toMatch(/\sstyle="/);
    }
  });

  it('the stylesheet is cached for a year under a versioned address', async () => {
    const home = await page('/dashboard/sign-in');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.text)?.[1] ?? '';
    expect(href).toMatch(/^\/dashboard\/assets\/dashboard\.css\?v=[0-9a-f]+$/);
    const css = await page(href);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
