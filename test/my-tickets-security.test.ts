import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { issueMagicLink } from '../worker/access/magic-links';
import { SESSION_COOKIE, signSessionToken } from '../worker/access/session-token';
import { BUYER_SESSION_IDLE_MS, BUYER_SESSION_MAX_MS } from '../worker/buyers/buyer-sessions';
import { createDb } from '../worker/db/client';
import { randomToken } from '../worker/domain/ids';
import { BUYER_COOKIE } from '../worker/middleware/buyer-session';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  typeId,
  waitFor,
} from './support/api';
import {
  buyerLinkRows,
  freshClient,
  mailedBuyerToken,
  myTickets,
  openBuyerSession,
  requestBuyerLink,
} from './support/buyers';
import { lastMailAt, page, postForm } from './support/dashboard';
import { type Purchase, purchase, settledSnapshot } from './support/db-snapshot';
import { clearOfWindowEdge } from './support/rate-window';

/** "My tickets" as an attacker sees it: enumeration, stolen or stale links, other buyers, CSRF, floods. */

const email = () => `buyer-${randomToken(8)}@example.org`;

let event: CreatedEvent;
beforeAll(async () => {
  const { auth } = await createOrganizer('Night Owls');
  event = await createPublishedEvent(auth);
});

// Tests buy and wait for mails through the queue, and the limit test sends 1000 requests:
// slow on a busy machine (nothing here asserts a time).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const buy = (address: string, quantity = 1) =>
  purchase(event, typeId(event, 'ga'), quantity, { email: address });

const sessionRow = (cookie: string) =>
  env.DB.prepare('SELECT * FROM buyer_sessions WHERE id = ?').bind(sessionIdOf(cookie)).first<{
    id: string;
    revoked_at: string | null;
    expires_at: string;
  }>();

/** The session id inside a buyer cookie (a JWT: its payload's `sid`). */
function sessionIdOf(cookie: string): string {
  const payload = cookie.split('=')[1]?.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return (JSON.parse(json) as { sid: string }).sid;
}

const mailCount = async (to: string) =>
  (
    await env.DB.prepare('SELECT count(*) AS n FROM mail_outbox WHERE to_address = ?')
      .bind(to)
      .first<{ n: number }>()
  )?.n ?? 0;

describe('enumeration', () => {
  it('answers an address with orders and one without exactly alike, and mails only the first', async () => {
    const known = email();
    const unknown = email();
    await buy(known);
    const answers = [];
    for (const address of [known, unknown]) {
      const res = await requestBuyerLink(address);
      answers.push({
        status: res.status,
        location: res.location,
        body: res.text,
        cookie: res.setCookie,
        cache: res.headers.get('cache-control'),
      });
    }
    expect(answers[1]).toEqual(answers[0]);
    await mailedBuyerToken(known);
    // The known address's mail is delivered; the other's would have been queued alongside it.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await mailCount(unknown)).toBe(0);
    expect(await buyerLinkRows(unknown)).toEqual([]);
  });

  it('an address whose only orders expired unpaid gets no link either', async () => {
    const address = email();
    const pending = await buy(address);
    await env.DB.prepare("UPDATE orders SET status = 'expired' WHERE id = ?")
      .bind(pending.orderId)
      .run();
    expect((await requestBuyerLink(address)).status).toBe(303);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await buyerLinkRows(address)).toEqual([]);
  });
});

describe('the link', () => {
  it('works once: a second use is refused and opens no session', async () => {
    const address = email();
    await buy(address);
    const { token } = await openBuyerSession(address);
    const before = await settledSnapshot();
    const again = await postForm('/my-tickets/auth', { token });
    expect(again.status).toBe(400);
    expect(again.setCookie).toBeNull();
    expect(again.text).toContain('This link does not work any more');
    expect(await settledSnapshot()).toEqual(before);
  });

  it('is refused after 15 minutes', async () => {
    const address = email();
    await buy(address);
    const since = await lastMailAt(address);
    await requestBuyerLink(address);
    const token = await mailedBuyerToken(address, since);
    await env.DB.prepare(
      "UPDATE magic_links SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 second') WHERE email = ?",
    )
      .bind(address)
      .run();
    const used = await postForm('/my-tickets/auth', { token });
    expect(used.status).toBe(400);
    expect(used.setCookie).toBeNull();
  });

  it('a dashboard sign-in link does not open My tickets, and is not used up by trying', async () => {
    const address = email();
    await buy(address);
    const { token } = await issueMagicLink(createDb(env.DB), {
      email: address,
      purpose: 'sign_in',
    });
    expect((await postForm('/my-tickets/auth', { token })).status).toBe(400);
    expect((await buyerLinkRows(address))[0]?.used_at).toBeNull();
  });

  it('a buyer link does not sign in to the dashboard, and still works for My tickets after', async () => {
    const address = email();
    await buy(address);
    const since = await lastMailAt(address);
    await requestBuyerLink(address);
    const token = await mailedBuyerToken(address, since);
    const dashboard = await postForm('/dashboard/auth', { token });
    expect(dashboard.status).toBe(400);
    expect(dashboard.setCookie).toBeNull();
    expect((await buyerLinkRows(address))[0]?.used_at).toBeNull();
    expect((await postForm('/my-tickets/auth', { token })).status).toBe(303);
  });
});

describe('sessions', () => {
  let a: { address: string; order: Purchase; cookie: string };
  let b: { address: string; order: Purchase; cookie: string };
  beforeAll(async () => {
    const make = async () => {
      const address = email();
      const order = await buy(address, 2);
      return { address, order, cookie: (await openBuyerSession(address)).cookie };
    };
    a = await make();
    b = await make();
  });

  it("buyer A's session never shows B's orders, tickets or order tokens", async () => {
    const seenByA = (await myTickets(a.cookie)).text;
    expect(seenByA).toContain(a.order.orderId);
    for (const secret of [b.order.orderId, encodeURIComponent(b.order.orderToken), b.address]) {
      expect(seenByA).not.toContain(secret);
    }
    for (const ticket of b.order.tickets) expect(seenByA).not.toContain(ticket.id);
  });

  it('a buyer session never opens the dashboard, under either cookie name', async () => {
    const token = a.cookie.split('=')[1] ?? '';
    for (const cookie of [a.cookie, `${SESSION_COOKIE}=${token}`]) {
      const res = await page('/dashboard', cookie);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/dashboard/sign-in');
    }
  });

  it('a dashboard session token is not a buyer session', async () => {
    const forged = await signSessionToken(
      env,
      sessionIdOf(a.cookie),
      new Date(Date.now() + 60_000),
    );
    const res = await myTickets(`${BUYER_COOKIE}=${forged}`);
    expect(res.text).toContain('Email me a link');
    expect(res.text).not.toContain(a.order.orderId);
  });

  it('a forged or tampered cookie shows the email form', async () => {
    for (const cookie of [`${BUYER_COOKIE}=nonsense`, `${a.cookie.slice(0, -3)}abc`]) {
      const res = await myTickets(cookie);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Email me a link');
    }
  });

  it('slides: a session used after 5 minutes lives 30 more, and gets a fresh cookie', async () => {
    const address = email();
    await buy(address);
    const { cookie } = await openBuyerSession(address);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    await env.DB.prepare('UPDATE buyer_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?')
      .bind(tenMinutesAgo, new Date(Date.now() + 20 * 60_000).toISOString(), sessionIdOf(cookie))
      .run();
    const res = await myTickets(cookie);
    expect(res.setCookie).toMatch(/^__Host-tessera_buyer=/);
    const row = await sessionRow(cookie);
    expect(Date.parse(row?.expires_at ?? '')).toBeGreaterThan(
      Date.now() + BUYER_SESSION_IDLE_MS - 60_000,
    );
  });

  it('ends when idle too long, and after 12 hours however much it is used', async () => {
    for (const [column, value] of [
      ['expires_at', new Date(Date.now() - 1000).toISOString()],
      ['created_at', new Date(Date.now() - BUYER_SESSION_MAX_MS - 1000).toISOString()],
    ] as const) {
      const address = email();
      const order = await buy(address);
      const { cookie } = await openBuyerSession(address);
      await env.DB.prepare(`UPDATE buyer_sessions SET ${column} = ? WHERE id = ?`)
        .bind(value, sessionIdOf(cookie))
        .run();
      const res = await myTickets(cookie);
      expect(res.text).not.toContain(order.orderId);
      expect(res.setCookie).toMatch(/^__Host-tessera_buyer=;/);
    }
  });

  it('signs out: the cookie is dropped and the old cookie is worthless', async () => {
    const address = email();
    const order = await buy(address);
    const { cookie } = await openBuyerSession(address);
    const out = await postForm('/my-tickets/sign-out', {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/my-tickets?signed-out=1');
    expect(out.setCookie).toMatch(/^__Host-tessera_buyer=;/);
    expect((await sessionRow(cookie))?.revoked_at).not.toBeNull();
    expect((await myTickets(cookie)).text).not.toContain(order.orderId);
  });

  it('a second link in the same browser ends the first session', async () => {
    const address = email();
    await buy(address);
    const { cookie } = await openBuyerSession(address);
    const since = await lastMailAt(address);
    await requestBuyerLink(address);
    const token = await mailedBuyerToken(address, since);
    expect((await postForm('/my-tickets/auth', { token }, { cookie })).status).toBe(303);
    expect((await sessionRow(cookie))?.revoked_at).not.toBeNull();
  });
});

describe('CSRF and headers', () => {
  it('refuses cross-site posts to every form, and changes nothing', async () => {
    const address = email();
    await buy(address);
    const { cookie } = await openBuyerSession(address);
    const since = await lastMailAt(address);
    await requestBuyerLink(address);
    const token = await mailedBuyerToken(address, since);
    const crossSite = [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      {},
    ];
    const before = await settledSnapshot();
    for (const headers of crossSite) {
      // `{}` drops the same-origin headers postForm adds: a client sending neither is refused too.
      const bare = { origin: '', 'sec-fetch-site': '', ...headers };
      for (const [path, fields] of [
        ['/my-tickets', { email: address }],
        ['/my-tickets/auth', { token }],
        ['/my-tickets/sign-out', {}],
      ] as const) {
        const res = await postForm(path, fields, { cookie, headers: bare });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    expect(await settledSnapshot()).toEqual(before);
    expect((await sessionRow(cookie))?.revoked_at).toBeNull();
  });

  it('every page is private: not cached, no referrer', async () => {
    const address = email();
    await buy(address);
    const { cookie } = await openBuyerSession(address);
    const pages = [
      await page('/my-tickets'),
      await myTickets(cookie),
      await page('/my-tickets/check-email'),
      await page(`/my-tickets/auth?token=${randomToken(32)}`),
      await page('/my-tickets/auth?token=bad'),
      await requestBuyerLink('not-an-email'),
    ];
    for (const res of pages) {
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe('limits', () => {
  it('one client flooding the form gets 5 answers a minute; the rest 429 with Retry-After', async () => {
    // 200 requests stand for the 1000 a second: the limiter answers before D1 or the queue.
    // All in one window of the limiter: at least 30 s of it left (up to 30 s of waiting).
    await clearOfWindowEdge(60, 30);
    const client = freshClient();
    const addresses = Array.from({ length: 200 }, () => email());
    const statuses: number[] = [];
    for (let i = 0; i < addresses.length; i += 25) {
      const batch = addresses.slice(i, i + 25);
      const answers = await Promise.all(batch.map((address) => requestBuyerLink(address, client)));
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses.filter((s) => s === 303)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(195);
    const limited = await requestBuyerLink(email(), client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.text).toContain('Too many links were asked for');
    // Up to 30 s waiting for the window, then 200 requests on a loaded machine.
  }, 120_000);

  it('one address gets 5 links a minute, whichever clients ask', async () => {
    await clearOfWindowEdge(60, 10);
    const address = email();
    await buy(address);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await requestBuyerLink(address)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429, 429]);
    // Five links, each mailed (the confirmation of the order is the sixth mail).
    expect(await waitFor(async () => ((await mailCount(address)) === 6 ? 6 : undefined))).toBe(6);
    expect(await buyerLinkRows(address)).toHaveLength(5);
  });

  it('bad email input is a 422 form with the message, and nothing is written', async () => {
    const before = await settledSnapshot();
    for (const value of ['', 'ada@', 'not an email', `${'a'.repeat(250)}@example.org`]) {
      const res = await requestBuyerLink(value);
      expect(res.status, value).toBe(422);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('id="email-error"');
    }
    const noField = await postForm('/my-tickets', {}, { headers: freshClient() });
    expect(noField.status).toBe(422);
    const landing = await SELF.fetch(`${BASE}/my-tickets/auth?token=${'x'.repeat(5000)}`);
    expect(landing.status).toBe(400);
    expect(await settledSnapshot()).toEqual(before);
  });
});
