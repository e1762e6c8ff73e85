import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { waitWords } from '../worker/views/waiting-page';
import { forgetRoomState } from '../worker/waiting-room/room-state';
import type { QueueView } from '../worker/waiting-room/view';
import {
  BASE,
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  typeId,
  waitFor,
} from './support/api';
import { pendingOrder, postWebhook, signedSandboxWebhook, waitForStatus } from './support/purchase';

const MAX_PAGE_BYTES = 30 * 1024;

let auth: Record<string, string>;
let clients = 0;

beforeAll(async () => {
  ({ auth } = await createOrganizer('Waiting room pages'));
});

/** A room that always queues; admissions move only when a test runs the DO's alarm. */
function roomEvent(overrides: Record<string, unknown> = {}, waitingRoom = {}) {
  return createPublishedEvent(auth, {
    waitingRoom: { mode: 'always', admitPerMinute: 1_000_000, ...waitingRoom },
    ...overrides,
  });
}

/** A browser: its own address (the join limiter is per client) and a cookie jar. */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor() {
    clients += 1;
    this.ip = `10.9.${(clients >> 8) & 255}.${clients & 255}`;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cf-connecting-ip', this.ip);
    const jar = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (jar) headers.set('cookie', jar);
    const response = await SELF.fetch(`${BASE}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  post(path: string, fields: Record<string, string> = {}): Promise<Response> {
    return this.fetch(path, { method: 'POST', body: new URLSearchParams(fields) });
  }
}

async function page(response: Response) {
  const html = await response.text();
  return { status: response.status, html, bytes: new TextEncoder().encode(html).length };
}

function location(response: Response): string {
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

function setCookie(response: Response, name: string): string {
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  expect(line, `Set-Cookie ${name}`).toBeDefined();
  return line ?? '';
}

/** One admission tick (the DO's real alarm); the edge copies are dropped so pages see it. */
async function tick(eventId: string): Promise<void> {
  await runDurableObjectAlarm(inventoryFor(env, eventId));
  await forgetRoomState(eventId);
}

function holdFields(event: CreatedEvent, quantity = 1): Record<string, string> {
  return { [`qty_${typeId(event, 'ga')}`]: String(quantity) };
}

/** Joins through the event page's form; returns the browser, now waiting. */
async function joinedBrowser(event: CreatedEvent): Promise<Browser> {
  const browser = new Browser();
  expect(location(await browser.post(`/e/${event.slug}/queue`))).toBe(`/e/${event.slug}/queue`);
  return browser;
}

/**
 * A room whose one shopper slot is taken: a first buyer joined and a tick admitted them. The
 * DO also ticks by itself in real time, so only a full room keeps later places still.
 */
async function fullRoom(overrides: Record<string, unknown> = {}): Promise<CreatedEvent> {
  const event = await roomEvent(overrides, { activeLimit: 1 });
  await joinedBrowser(event);
  await tick(event.id);
  return event;
}

describe('the hosted waiting room', () => {
  it('while the room is active the event page offers the line, not the ticket form', async () => {
    const event = await roomEvent();
    const response = await new Browser().fetch(`/e/${event.slug}`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const { status, html } = await page(response);
    expect(status).toBe(200);
    expect(html).toContain(`<form method="post" action="/e/${event.slug}/queue">`);
    expect(html).toContain('Join the waiting room');
    expect(html).not.toContain(`action="/e/${event.slug}/hold"`);
    expect(html).not.toContain('name="qty_');
    // The ticket types can still be looked at.
    expect(html).toContain('General admission');
    expect(html).toContain('€39.00');
  });

  it('join sets an HttpOnly cookie and shows the place; a second join keeps it', async () => {
    const event = await fullRoom();
    const first = await joinedBrowser(event);
    const buyer = new Browser();
    const joined = await buyer.post(`/e/${event.slug}/queue`);
    expect(location(joined)).toBe(`/e/${event.slug}/queue`);
    const cookie = setCookie(joined, `tq_${event.id}`);
    expect(cookie).toContain(`Path=/e/${event.slug}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Lax');

    const waiting = await buyer.fetch(`/e/${event.slug}/queue`);
    expect(waiting.headers.get('cache-control')).toBe('private, no-store');
    const { status, html, bytes } = await page(waiting);
    expect(status).toBe(200);
    expect(bytes).toBeLessThan(MAX_PAGE_BYTES);
    expect(html).toMatch(
      /<p id="wr-live" class="big" role="status" aria-live="polite" aria-atomic="true">You are number 2 in line.<\/p>/,
    );
    expect(html).toContain('1 person is ahead of you.');
    expect(html).toContain('Estimated wait: less than a minute');
    expect(html).toContain('<progress id="wr-progress" max="100" value="0">0%</progress>');
    // The refresh is the server's pollAfterSeconds, as the API tells this very token.
    const token = buyer.cookies.get(`tq_${event.id}`) ?? '';
    const api = await call<QueueView>('GET', `/api/v1/events/${event.id}/queue/status`, {
      headers: { authorization: `Bearer ${decodeURIComponent(token)}` },
    });
    expect(api.body.position).toBe(2);
    expect(html).toContain(
      `<noscript><meta http-equiv="refresh" content="${api.body.pollAfterSeconds}"/></noscript>`,
    );
    expect(html).toContain("<script>(function(){var d=document,r=d.getElementById('wr')");

    // Reload and double submit: the same place, no second one taken.
    expect(location(await buyer.post(`/e/${event.slug}/queue`))).toBe(`/e/${event.slug}/queue`);
    expect(buyer.cookies.get(`tq_${event.id}`)).toBe(token);
    await forgetRoomState(event.id);
    expect((await inventoryFor(env, event.id).roomState())?.joined).toBe(3);
    // The event page now leads back to the place in line.
    expect((await page(await buyer.fetch(`/e/${event.slug}`))).html).toContain(
      'Back to your place in line',
    );

    // The script's poll: the same sentences as JSON, never a token.
    const poll = await buyer.fetch(`/e/${event.slug}/queue/status.json`);
    const text = await poll.text();
    expect(text).not.toContain(decodeURIComponent(token));
    expect(JSON.parse(text)).toEqual({
      phase: 'queue',
      pollAfterSeconds: api.body.pollAfterSeconds,
      percent: 0,
      live: 'You are number 2 in line.',
      ahead: '1 person is ahead of you.',
      eta: 'Estimated wait: less than a minute',
    });
    expect(first.cookies.get(`tq_${event.id}`)).not.toBe(token);
  });

  it('once admitted the waiting page hands over to the tickets, and the hold form works', async () => {
    const event = await roomEvent({}, { activeLimit: 2 });
    const buyer = await joinedBrowser(event);
    const polling = await joinedBrowser(event);
    await tick(event.id);

    const admitted = await buyer.fetch(`/e/${event.slug}/queue`);
    expect(location(admitted)).toBe(`/e/${event.slug}`);
    const cookie = setCookie(admitted, `ta_${event.id}`);
    expect(cookie).toContain(`Path=/e/${event.slug}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');

    const eventPage = await page(await buyer.fetch(`/e/${event.slug}`));
    expect(eventPage.html).toContain(`action="/e/${event.slug}/hold"`);
    expect(eventPage.html).not.toContain('Join the waiting room');
    expect(eventPage.html).toMatch(
      /You are through the waiting room: choose your tickets before \d{1,2}:\d\d [AP]M GMT\+[12]\./,
    );

    const checkoutPath = location(await buyer.post(`/e/${event.slug}/hold`, holdFields(event, 2)));
    expect(checkoutPath).toMatch(new RegExp(`^/e/${event.slug}/checkout/hold_[0-9a-z]{40}$`));
    expect((await buyer.fetch(checkoutPath)).status).toBe(200);
    // One admission, one live hold: a second try leads back to the first hold's checkout.
    expect(location(await buyer.post(`/e/${event.slug}/hold`, holdFields(event)))).toBe(
      checkoutPath,
    );

    // The script's poll of an admitted buyer: where to go, and the admission cookie.
    const poll = await polling.fetch(`/e/${event.slug}/queue/status.json`);
    expect(await poll.json()).toEqual({ next: `/e/${event.slug}` });
    expect(polling.cookies.has(`ta_${event.id}`)).toBe(true);
  });

  it('a hold without an admission puts the buyer in line instead of showing an error', async () => {
    const event = await fullRoom();
    const buyer = new Browser();
    buyer.cookies.set(`ta_${event.id}`, 'eyJhbGciOiJIUzI1NiJ9.e30.tampered');
    const refused = await buyer.post(`/e/${event.slug}/hold`, holdFields(event));
    expect(location(refused)).toBe(`/e/${event.slug}/queue`);
    expect(buyer.cookies.has(`tq_${event.id}`)).toBe(true);
    // The unusable admission is dropped, so it is not sent on again.
    expect(buyer.cookies.has(`ta_${event.id}`)).toBe(false);
    const waiting = await page(await buyer.fetch(`/e/${event.slug}/queue`));
    expect(waiting.html).toContain('You are number 1 in line.');
  });

  it('a tampered place in line is forgotten and the buyer may join again', async () => {
    const event = await roomEvent();
    const buyer = new Browser();
    buyer.cookies.set(`tq_${event.id}`, 'eyJhbGciOiJIUzI1NiJ9.e30.tampered');
    expect(location(await buyer.fetch(`/e/${event.slug}/queue`))).toBe(`/e/${event.slug}`);
    expect(buyer.cookies.has(`tq_${event.id}`)).toBe(false);
    expect((await page(await buyer.fetch(`/e/${event.slug}`))).html).toContain(
      'Join the waiting room',
    );
    // Without any cookie the waiting page sends the buyer to the event page too.
    expect(location(await new Browser().fetch(`/e/${event.slug}/queue`))).toBe(`/e/${event.slug}`);
  });

  it('before sales open: the pre-queue says the order is drawn at random', async () => {
    const salesStartAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const event = await roomEvent({ salesStartAt, timezone: 'Europe/Berlin' });
    const door = await page(await new Browser().fetch(`/e/${event.slug}`));
    expect(door.html).toContain('Join the waiting room');
    expect(door.html).toContain('the order of everyone waiting is drawn at random');
    const buyer = await joinedBrowser(event);
    const { status, html, bytes } = await page(await buyer.fetch(`/e/${event.slug}/queue`));
    expect(status).toBe(200);
    expect(bytes).toBeLessThan(MAX_PAGE_BYTES);
    expect(html).toContain('data-phase="pre_queue"');
    expect(html).toMatch(
      /Sales open at <time datetime="[^"]+">\d{1,2}:\d\d [AP]M GMT\+[12]<\/time>; the order is drawn at random then, so arriving earlier gives no advantage./,
    );
    expect(html).toMatch(/Sales open in about (9|10) minutes./);
    expect(html).not.toContain('<progress');
  });

  it('before the pre-queue opens, joining says when it opens', async () => {
    const salesStartAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const event = await roomEvent({ salesStartAt }, { preQueueMinutes: 30 });
    const refused = await new Browser().post(`/e/${event.slug}/queue`);
    const { status, html } = await page(refused);
    expect(status).toBe(409);
    expect(html).toContain('The waiting room is not open yet');
    expect(html).toContain(`href="/e/${event.slug}"`);
  });

  it('organizer text on the waiting page is escaped', async () => {
    const event = await fullRoom({ title: '<script>alert(1)</script>' });
    const buyer = await joinedBrowser(event);
    const { html } = await page(await buyer.fetch(`/e/${event.slug}/queue`));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('order and ticket pages never pass through the line, even with no cookies', async () => {
    const event = await createPublishedEvent(auth, { waitingRoom: { mode: 'off' } });
    const order = await pendingOrder(event, 'ga', 1);
    await postWebhook(await signedSandboxWebhook(order.payment.paymentId, 'succeed'));
    const paid = await waitForStatus(order.orderId, order.orderToken, 'paid');
    const patched = await call('PATCH', `/api/v1/organizer/events/${event.id}`, {
      headers: auth,
      body: { waitingRoom: { mode: 'always' } },
    });
    expect(patched.status).toBe(200);
    await forgetRoomState(event.id);
    await waitFor(async () =>
      (await page(await new Browser().fetch(`/e/${event.slug}`))).html.includes(
        'Join the waiting room',
      ),
    );

    const token = encodeURIComponent(order.orderToken);
    const orderPage = await SELF.fetch(`${BASE}/orders/${order.orderId}?token=${token}`);
    const { status, html } = await page(orderPage);
    expect(status).toBe(200);
    expect(html).toContain('>Paid</span>');
    const ticket = paid.tickets[0];
    expect(ticket).toBeDefined();
    if (!ticket) return;
    expect((await SELF.fetch(`${BASE}/tickets/${ticket.id}?token=${token}`)).status).toBe(200);
    const qr = await SELF.fetch(ticket.qrSvgUrl);
    expect(qr.status).toBe(200);
    expect(await qr.text()).toContain('<svg');
  });
});

describe('wait in words', () => {
  it('reads like a person would say it', () => {
    expect(waitWords(0)).toBe('less than a minute');
    expect(waitWords(59)).toBe('less than a minute');
    expect(waitWords(80)).toBe('about 1 minute');
    expect(waitWords(200)).toBe('about 3 minutes');
    expect(waitWords(3590)).toBe('about 1 hour');
    expect(waitWords(80 * 60)).toBe('about 1 hour 20 minutes');
    expect(waitWords(3 * 3600 + 56 * 60)).toBe('about 4 hours');
    expect(waitWords(null)).toBe('not known yet');
  });
});
