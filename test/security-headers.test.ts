import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  typeId,
} from './support/api';

/**
 * Every hosted page, reached the way a buyer reaches it (the whole Worker, SELF), answers
 * with the security headers of issue 8: a CSP without 'unsafe-inline' that allows exactly
 * the page's inline blocks by hash and forbids framing, X-Frame-Options DENY, nosniff, a
 * Referrer-Policy (no-referrer where the URL is a secret), HSTS over https.
 */

interface Fetched {
  path: string;
  response: Response;
  html: string;
}

async function get(path: string, init: RequestInit = {}, base = BASE): Promise<Fetched> {
  const response = await SELF.fetch(`${base}${path}`, { redirect: 'manual', ...init });
  return { path, response, html: await response.text() };
}

function postForm(path: string, fields: Record<string, string>): Promise<Fetched> {
  return get(path, { method: 'POST', body: new URLSearchParams(fields) });
}

function location(fetched: Fetched): string {
  expect(fetched.response.status, `${fetched.path}: ${fetched.html}`).toBe(303);
  return new URL(fetched.response.headers.get('location') ?? '', BASE).href.slice(BASE.length);
}

async function sha256Source(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

/** The sources of one directive of a CSP header. */
function directive(csp: string, name: string): string[] {
  const found = csp
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name);
  return found ? found.slice(1) : [];
}

/** Asserts the page headers; `referrer` is what the page must send. */
async function expectPageHeaders(page: Fetched, referrer: string): Promise<void> {
  const { headers } = page.response;
  const where = page.path;
  expect(headers.get('content-type'), where).toMatch(/^text\/html/);
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, where).not.toContain('unsafe-inline');
  expect(csp, where).not.toContain('unsafe-eval');
  expect(directive(csp, 'default-src'), where).toEqual(["'none'"]);
  expect(directive(csp, 'frame-ancestors'), where).toEqual(["'none'"]);
  expect(directive(csp, 'base-uri'), where).toEqual(["'none'"]);
  expect(headers.get('x-frame-options'), where).toBe('DENY');
  expect(headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(headers.get('referrer-policy'), where).toBe(referrer);
  expect(headers.get('strict-transport-security'), where).toMatch(/^max-age=\d{7,}/);

  // Every inline block is allowed by its hash; no inline handler or style attribute at all.
  for (const [, code] of page.html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    expect(directive(csp, 'script-src'), where).toContain(await sha256Source(code ?? ''));
  }
  const styles = [...page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  expect(styles.length, where).toBeGreaterThan(0);
  for (const [, css] of styles) {
    expect(directive(csp, 'style-src'), where).toContain(await sha256Source(css ?? ''));
  }
  expect(page.html, where).not.toMatch(/\s(on[a-z]+|style)=/i);
  expect(page.html, where).not.toMatch(/<script[^>]+src=/);
}

let auth: Record<string, string>;
let event: CreatedEvent;

beforeAll(async () => {
  ({ auth } = await createOrganizer('Headers'));
  event = await createPublishedEvent(auth);
});

describe('security headers on hosted pages', () => {
  it('the whole purchase: event, checkout, sandbox payment, order, ticket', async () => {
    const eventPage = await get(`/e/${event.slug}`);
    expect(eventPage.response.status).toBe(200);
    await expectPageHeaders(eventPage, 'strict-origin-when-cross-origin');

    const held = await postForm(`/e/${event.slug}/hold`, {
      [`qty_${typeId(event, 'ga')}`]: '1',
    });
    const checkout = await get(location(held));
    expect(checkout.response.status).toBe(200);
    expect(checkout.html).toContain('<script>');
    // The checkout URL carries the hold id: it lets whoever has it check out or release.
    // (same-origin, not no-referrer: with that, browsers post the page's form as Origin null.)
    await expectPageHeaders(checkout, 'same-origin');

    const key = /name="key" value="([0-9a-z]+)"/.exec(checkout.html)?.[1] ?? '';
    const submitted = await postForm(checkout.path, { key, name: 'Ada', email: 'ada@example.com' });
    const pay = await get(location(submitted));
    expect(pay.response.status).toBe(200);
    await expectPageHeaders(pay, 'same-origin');

    const orderPath = location(await postForm(pay.path, { outcome: 'succeed' }));
    expect(orderPath).toMatch(/^\/orders\/ord_\w+\?token=/);
    const order = await vi.waitFor(
      async () => {
        const fetched = await get(orderPath);
        expect(fetched.html).toContain('>Paid</span>');
        return fetched;
      },
      { timeout: 15_000, interval: 250 },
    );
    await expectPageHeaders(order, 'no-referrer');

    const ticketPath = /href="https:\/\/tessera\.test(\/tickets\/tkt_\w+\?token=[^"]+)"/
      .exec(order.html)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(ticketPath).toBeDefined();
    const ticket = await get(ticketPath ?? '');
    expect(ticket.response.status).toBe(200);
    expect(ticket.html).toContain('<script>');
    await expectPageHeaders(ticket, 'no-referrer');
  });

  it('the waiting page, with its polling script', async () => {
    const room = await createPublishedEvent(auth, {
      waitingRoom: { mode: 'always', admitPerMinute: 1 },
    });
    const joined = await postForm(`/e/${room.slug}/queue`, {});
    const cookie = (joined.response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const waiting = await get(location(joined), { headers: { cookie } });
    expect(waiting.response.status).toBe(200);
    expect(waiting.html).toContain('You are in the waiting room');
    expect(waiting.html).toContain('<script>');
    await expectPageHeaders(waiting, 'strict-origin-when-cross-origin');
    // The script polls this origin's status JSON: the policy must allow exactly that.
    const csp = waiting.response.headers.get('content-security-policy') ?? '';
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
  });

  it('error pages: an unknown event, a wrong order token', async () => {
    const missing = await get('/e/no-such-event');
    expect(missing.response.status).toBe(404);
    await expectPageHeaders(missing, 'strict-origin-when-cross-origin');
    const wrongToken = await get('/orders/ord_00000000000000000000?token=nope');
    expect(wrongToken.response.status).toBe(404);
    await expectPageHeaders(wrongToken, 'no-referrer');
  });

  it('the dev outbox, which frames only its own mail pages', async () => {
    const outbox = await get('/dev/outbox');
    expect(outbox.response.status).toBe(200);
    await expectPageHeaders(outbox, 'strict-origin-when-cross-origin');
    const csp = outbox.response.headers.get('content-security-policy') ?? '';
    expect(directive(csp, 'frame-src')).toEqual(["'self'"]);
  });

  it('no HSTS over plain http (a local dev server must not pin itself to https)', async () => {
    const page = await get(`/e/${event.slug}`, {}, 'http://tessera.test');
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get('strict-transport-security')).toBeNull();
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('security headers on data', () => {
  it('API answers, problems and unknown routes: nosniff and a CSP that renders nothing', async () => {
    const responses = [
      await SELF.fetch(`${BASE}/api/v1/events/${event.id}`),
      await SELF.fetch(`${BASE}/api/v1/events/evt_nope`),
      await SELF.fetch(`${BASE}/no-such-route`),
      await SELF.fetch(`${BASE}/.well-known/jwks.json`),
    ];
    for (const response of responses) {
      await response.arrayBuffer();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(directive(csp, 'default-src')).toEqual(["'none'"]);
      expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=/);
      // The widget reads the API from organizers' pages and shows its QR images there. (Its
      // static files never reach the Worker: test/widget-assets.test.ts checks their headers.)
      expect(response.headers.get('cross-origin-resource-policy')).toBeNull();
    }
  });
});
