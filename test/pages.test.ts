import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../worker/app-env';
import { createEvent, publishEvent } from '../worker/catalog/event-commands';
import { createEventSchema } from '../worker/catalog/event-input';
import type { EventRecord } from '../worker/catalog/event-record';
import { inventoryFor } from '../worker/catalog/inventory';
import { createDb } from '../worker/db/client';
import { organizers } from '../worker/db/schema';
import { newId, randomToken } from '../worker/domain/ids';
import { handleError } from '../worker/http/problem';
import { requestContext } from '../worker/middleware/request-context';
import { pageRoutes } from '../worker/routes/pages';
import { sandboxRoutes } from '../worker/routes/sandbox';

// The pages mounted the way the app mounts them, plus the sandbox they hand over to.
const app = new Hono<AppEnv>();
app.use('*', requestContext);
app.route('/', pageRoutes);
app.route('/sandbox', sandboxRoutes);
app.onError(handleError);

const ORIGIN = 'https://tessera.test';
const MAX_PAGE_BYTES = 30 * 1024;

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(
    app.request(
      path.startsWith('http') ? path : `${ORIGIN}${path}`,
      { redirect: 'manual', ...init },
      env,
    ),
  );
}

function postForm(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return request(path, { method: 'POST', body: new URLSearchParams(fields), headers });
}

async function page(response: Response): Promise<{ status: number; html: string; bytes: number }> {
  const html = await response.text();
  return { status: response.status, html, bytes: new TextEncoder().encode(html).length };
}

function location(response: Response): string {
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

async function seedEvent(
  overrides: Record<string, unknown> = {},
  publish = true,
): Promise<EventRecord> {
  const db = createDb(env.DB);
  const organizerId = newId('org');
  await db.insert(organizers).values({ id: organizerId, name: 'Pages test organizer' });
  const input = createEventSchema.parse({
    title: 'Night Owls Live',
    slug: `owls-${randomToken(10)}`,
    description: 'A night of music.\n\nDoors open at 7.',
    startsAt: '2027-03-01T19:00:00Z',
    endsAt: '2027-03-01T22:00:00Z',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    venue: { name: 'Halle 7', address: 'Hafenstraße 7', city: 'Berlin', country: 'DE' },
    ticketTypes: [
      { key: 'ga', name: 'General admission', priceMinor: 3900, capacity: 500 },
      { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 50 },
    ],
    ...overrides,
  });
  const record = await createEvent(db, env, organizerId, input);
  return publish ? publishEvent(db, env, organizerId, record.event.id) : record;
}

function typeId(record: EventRecord, key: string): string {
  const type = record.ticketTypes.find((t) => t.key === key);
  if (!type) throw new Error(`no ticket type ${key}`);
  return type.id;
}

/** "8:10 PM GMT+1": an instant as Berlin's clock shows it, offset included, from Intl. */
function berlinClock(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Berlin',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h12',
    timeZoneName: 'shortOffset',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? `(no ${type})`;
  return `${part('hour')}:${part('minute')} ${part('dayPeriod')} ${part('timeZoneName')}`;
}

function formKey(html: string): string {
  const key = /name="key" value="([0-9a-z]+)"/.exec(html)?.[1];
  if (!key) throw new Error('no form key on the checkout page');
  return key;
}

/** Event page -> hold -> checkout page; returns the checkout URL and its rendered form key. */
async function holdViaForm(record: EventRecord, quantities: Record<string, number>) {
  const fields = Object.fromEntries(
    Object.entries(quantities).map(([key, n]) => [`qty_${typeId(record, key)}`, String(n)]),
  );
  const checkoutPath = location(await postForm(`/e/${record.event.slug}/hold`, fields));
  expect(checkoutPath).toMatch(new RegExp(`^/e/${record.event.slug}/checkout/hold_[0-9a-z]{40}$`));
  const checkoutPage = await page(await request(checkoutPath));
  expect(checkoutPage.status).toBe(200);
  return {
    checkoutPath,
    holdId: checkoutPath.split('/').pop() ?? '',
    key: formKey(checkoutPage.html),
    checkoutPage,
  };
}

describe('hosted buyer pages', () => {
  it('a whole purchase works with plain forms, no JavaScript', async () => {
    const record = await seedEvent();
    const slug = record.event.slug;
    const eventPage = await page(await request(`/e/${slug}`));
    expect(eventPage.status).toBe(200);
    expect(eventPage.html).toContain(`<form method="post" action="/e/${slug}/hold">`);
    expect(eventPage.html).toContain(`name="qty_${typeId(record, 'ga')}"`);
    expect(eventPage.html).toContain('€39.00');

    const { checkoutPath, key, checkoutPage } = await holdViaForm(record, { ga: 2, vip: 0 });
    expect(checkoutPage.html).toContain('2 × General admission');
    expect(checkoutPage.html).toContain('€78.00');
    // The venue's wall clock, with the offset of that very instant (GMT+1 or, in summer, +2).
    const expiry = /<time id="hold-expiry" datetime="([^"]+Z)">([^<]*)<\/time>/.exec(
      checkoutPage.html,
    );
    expect(expiry?.[2]).toBe(berlinClock(expiry?.[1] ?? ''));
    expect(checkoutPage.html).toContain(`action="${checkoutPath}/release"`);
    // The countdown script is emitted as code, not as escaped text.
    expect(checkoutPage.html).toContain(
      "<script>(function(){var t=document.getElementById('hold-expiry')",
    );

    const buyer = { key, name: 'Ada Lovelace', email: 'ada@example.com' };
    const first = await postForm(checkoutPath, buyer);
    const payUrl = location(first);
    // The way back to the order (with its token) rides in this buyer's own redirect URL only.
    expect(payUrl).toMatch(
      /^https:\/\/tessera\.test\/sandbox\/pay\/pi_sandbox_\w+\?return=%2Forders%2F/,
    );
    expect(first.headers.get('set-cookie')).toContain('HttpOnly');
    // The same rendered form sent twice (double click) answers the same order and payment.
    expect(location(await postForm(checkoutPath, buyer))).toBe(payUrl);

    // Before paying: the order page says it waits, reloads itself and links to the payment.
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const pendingPath = location(await request(checkoutPath, { headers: { cookie } }));
    const pendingResponse = await request(pendingPath);
    expect(pendingResponse.headers.get('cache-control')).toBe('private, no-store');
    const pending = await page(pendingResponse);
    expect(pending.status).toBe(200);
    expect(pending.html).toContain('>Awaiting payment</span>');
    expect(pending.html).toContain('Waiting for payment confirmation');
    expect(pending.html).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(pending.html).toContain(`href="${payUrl}"`);

    const payPage = await page(await request(payUrl));
    expect(payPage.status).toBe(200);
    const orderUrl = location(await postForm(payUrl, { outcome: 'succeed' }));
    expect(orderUrl).toBe(`${ORIGIN}${pendingPath}`);
    // The PAYMENTS consumer confirms the order shortly after the sandbox's webhook.
    await vi.waitFor(
      async () => {
        const paid = await page(await request(orderUrl));
        expect(paid.html).toContain('>Paid</span>');
        expect(paid.html.match(/<svg [^>]*role="img"/g)).toHaveLength(2);
        expect(paid.html).not.toContain('http-equiv="refresh"');
        expect(paid.html).toMatch(/href="https:\/\/tessera\.test\/tickets\/tkt_\w+\?token=/);
      },
      { timeout: 15_000, interval: 250 },
    );
  });

  it('shows a failed payment and the way to try again', async () => {
    const record = await seedEvent();
    const { checkoutPath, key } = await holdViaForm(record, { ga: 1 });
    const submitted = await postForm(checkoutPath, { key, name: 'Ada', email: 'ada@example.com' });
    const payUrl = location(submitted);
    expect(location(await postForm(payUrl, { outcome: 'fail' }))).toContain('failed=1');
    const cookie = (submitted.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const orderPath = location(await request(checkoutPath, { headers: { cookie } }));
    await vi.waitFor(
      async () => {
        const order = await page(await request(orderPath));
        expect(order.html).toContain('Your last payment attempt failed');
        expect(order.html).toContain('Try paying again');
        expect(order.html).toContain('>Awaiting payment</span>');
      },
      { timeout: 15_000, interval: 250 },
    );
  });

  it('renders organizer text escaped, description split into paragraphs', async () => {
    const record = await seedEvent({
      title: '<script>alert(1)</script>',
      description: 'Hello <img src=x onerror=alert(1)>\nsame paragraph\n\nSecond & "last"',
      venue: { name: '<b>Club</b>' },
    });
    const { html } = await page(await request(`/e/${record.event.slug}`));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Club');
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<p>Hello &lt;img src=x onerror=alert(1)&gt;<br/>same paragraph</p>');
    expect(html).toContain('<p>Second &amp; &quot;last&quot;</p>');

    const { checkoutPage } = await holdViaForm(record, { ga: 1 });
    expect(checkoutPage.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(checkoutPage.html).not.toContain('<script>alert(1)');
  });

  it('shows the time in the event time zone', async () => {
    const tokyo = await seedEvent({
      timezone: 'Asia/Tokyo',
      startsAt: '2027-03-01T19:00:00Z',
      endsAt: null,
    });
    const { html } = await page(await request(`/e/${tokyo.event.slug}`));
    expect(html).toContain(
      '<time datetime="2027-03-01T19:00:00Z">Tuesday, March 2, 2027 at 4:00 AM GMT+9</time>',
    );

    const berlin = await seedEvent();
    const { html: berlinHtml } = await page(await request(`/e/${berlin.event.slug}`));
    expect(berlinHtml).toMatch(/Monday, March 1, 2027, 8:00\s*–\s*11:00\s*PM GMT\+1/);
  });

  it('shows sold-out and few-left types in words, with no control for sold-out ones', async () => {
    const record = await seedEvent({
      maxPerOrder: 10,
      ticketTypes: [
        { key: 'ga', name: 'General admission', priceMinor: 3900, capacity: 1 },
        { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 5 },
      ],
    });
    const ga = typeId(record, 'ga');
    const vip = typeId(record, 'vip');
    // Another buyer takes the last GA ticket while this one looks at the page.
    const stale = await page(await request(`/e/${record.event.slug}`));
    expect(stale.html).toContain(`name="qty_${ga}"`);
    expect(
      (await inventoryFor(env, record.event.id).hold([{ ticketTypeId: ga, quantity: 1 }])).ok,
    ).toBe(true);

    const refused = await page(
      await postForm(`/e/${record.event.slug}/hold`, { [`qty_${ga}`]: '1', [`qty_${vip}`]: '2' }),
    );
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('not enough “General admission” tickets left');
    expect(refused.html).toContain('role="alert"');

    for (const html of [
      refused.html,
      (await page(await request(`/e/${record.event.slug}`))).html,
    ]) {
      expect(html).not.toContain(`name="qty_${ga}"`);
      expect(html).toContain('<span class="badge sold_out">Sold out</span>');
      expect(html).toContain('<span class="badge few_left">Few left</span>');
      expect(html).toContain('<option value="5"');
      expect(html).not.toContain('<option value="6"');
      // Codes may be class names, never visible text.
      expect(html.slice(html.indexOf('<body>'))).not.toMatch(
        />[^<]*(sold_out|few_left|not_on_sale)/,
      );
    }
    // The buyer's other choice survives the refusal.
    expect(refused.html).toContain('<option value="2" selected="">2</option>');
  });

  it('refuses an empty choice and too many tickets in words', async () => {
    const record = await seedEvent({ maxPerOrder: 2 });
    const ga = typeId(record, 'ga');
    const none = await page(await postForm(`/e/${record.event.slug}/hold`, { [`qty_${ga}`]: '0' }));
    expect(none.status).toBe(422);
    expect(none.html).toContain('Choose at least one ticket first.');

    const many = await page(await postForm(`/e/${record.event.slug}/hold`, { [`qty_${ga}`]: '3' }));
    expect(many.status).toBe(422);
    expect(many.html).toContain('You can buy at most 2 tickets in one order.');
    expect(many.html).toContain('<option value="2"');
    expect(many.html).not.toContain('<option value="3"');
  });

  it('refuses forms posted from another site', async () => {
    const record = await seedEvent();
    const fields = { [`qty_${typeId(record, 'ga')}`]: '1' };
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': '', origin: 'https://evil.example' },
    ];
    for (const headers of crossSite) {
      const refused = await page(await postForm(`/e/${record.event.slug}/hold`, fields, headers));
      expect(refused.status).toBe(403);
      expect(refused.html).toContain('Form sent from another site');
    }
    const sameOrigin = await postForm(`/e/${record.event.slug}/hold`, fields, {
      'sec-fetch-site': '',
      origin: ORIGIN,
    });
    expect(sameOrigin.status).toBe(303);
  });

  it('answers drafts and unknown events with a friendly 404 page', async () => {
    const draft = await seedEvent({}, false);
    for (const path of [`/e/${draft.event.slug}`, '/e/no-such-event']) {
      const response = await request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('Page not found');
    }
  });

  it('re-renders the buyer form with field messages, and releases tickets on request', async () => {
    const record = await seedEvent({
      maxPerOrder: 10,
      ticketTypes: [{ key: 'ga', name: 'GA', priceMinor: 1000, capacity: 3 }],
    });
    const { checkoutPath, key } = await holdViaForm(record, { ga: 3 });
    const invalid = await page(
      await postForm(checkoutPath, { key, name: 'Ada <Lovelace>', email: 'not-an-email' }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('Enter a valid email address');
    expect(invalid.html).toContain('value="Ada &lt;Lovelace&gt;"');
    expect(invalid.html).toContain('aria-invalid="true"');

    const soldOut = await page(await request(`/e/${record.event.slug}`));
    expect(soldOut.html).toContain('Sold out');
    const back = location(await postForm(`${checkoutPath}/release`, {}));
    expect(back).toBe(`/e/${record.event.slug}?released=1`);
    const after = await page(await request(back));
    expect(after.html).toContain('Your tickets were released.');
    expect(after.html).toContain('<option value="3"');

    const gone = await page(await request(checkoutPath));
    expect(gone.status).toBe(409);
    expect(gone.html).toContain('Your reservation has ended');
    expect(gone.html).toContain(`href="/e/${record.event.slug}"`);
  });

  it('says so when the hold expired, on the page and on submit', async () => {
    const record = await seedEvent();
    const { checkoutPath, holdId, key } = await holdViaForm(record, { ga: 1 });
    await runInDurableObject(inventoryFor(env, record.event.id), (_instance, state) => {
      state.storage.sql.exec(
        'UPDATE holds SET expires_ms = ? WHERE id = ?',
        Date.now() - 1,
        holdId,
      );
    });
    // Expiry happens through the object's alarm (nothing is due before it).
    await runDurableObjectAlarm(inventoryFor(env, record.event.id));
    const submitted = await page(
      await postForm(checkoutPath, { key, name: 'Ada', email: 'ada@example.com' }),
    );
    expect(submitted.status).toBe(409);
    expect(submitted.html).toContain('Your reservation has ended');
    expect((await request(checkoutPath)).status).toBe(409);
    expect((await request(`/e/${record.event.slug}/checkout/hold_${'0'.repeat(40)}`)).status).toBe(
      404,
    );
  });

  it('sends the browser that started checkout back to its order, and no one else', async () => {
    const record = await seedEvent();
    const { checkoutPath, key } = await holdViaForm(record, { vip: 1 });
    const submitted = await postForm(checkoutPath, { key, name: 'Ada', email: 'ada@example.com' });
    const cookie = (submitted.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const resumed = await request(checkoutPath, { headers: { cookie } });
    expect(location(resumed)).toMatch(/^\/orders\/ord_\w+\?token=/);
    const stranger = await page(await request(checkoutPath));
    expect(stranger.status).toBe(409);
    expect(stranger.html).toContain('Checkout already started');
  });

  it('free order: paid at once, tickets with QR codes; order and ticket pages need the token', async () => {
    const record = await seedEvent({
      ticketTypes: [{ key: 'free', name: 'Free entry', priceMinor: 0, capacity: 100 }],
    });
    const { checkoutPath, key } = await holdViaForm(record, { free: 2 });
    const orderUrl = location(
      await postForm(checkoutPath, { key, name: 'Grace Hopper', email: 'grace@example.com' }),
    );
    const url = new URL(orderUrl);
    const order = await page(await request(orderUrl));
    expect(order.status).toBe(200);
    expect(order.html).toContain('>Paid</span>');
    expect(order.html).not.toContain('http-equiv="refresh"');
    expect(order.html.match(/<svg [^>]*role="img"/g)).toHaveLength(2);
    expect(order.html).toMatch(/<title>QR code of ticket 1 \(tkt_\w+\)<\/title>/);

    const ticketHref =
      /href="(https:\/\/tessera\.test\/tickets\/tkt_\w+\?token=[^"]+)"/.exec(order.html)?.[1] ?? '';
    const ticket = await page(await request(ticketHref.replaceAll('&amp;', '&')));
    expect(ticket.status).toBe(200);
    expect(ticket.html).toContain('Free entry');
    expect(ticket.html).toContain('Grace Hopper');
    expect(ticket.html).toContain('class="qr big"');

    const ticketUrl = new URL(ticketHref);
    for (const path of [
      `${url.pathname}?token=wrong`,
      url.pathname,
      `${ticketUrl.pathname}?token=wrong`,
      ticketUrl.pathname,
      `/orders/ord_${'0'.repeat(20)}?token=x`,
    ]) {
      const response = await request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain('Page not found');
    }
  });

  it('keeps every page under 30 KB (10 ticket types, a 4-ticket order)', async () => {
    const description = Array.from(
      { length: 6 },
      (_, i) => `Paragraph ${i + 1}. ${'Live music and more. '.repeat(12)}`,
    ).join('\n\n');
    const record = await seedEvent({
      title: 'The Long Night of Ten Ticket Types',
      description,
      maxPerOrder: 10,
      ticketTypes: Array.from({ length: 10 }, (_, i) => ({
        key: `type-${i}`,
        name: `Ticket type number ${i + 1} with a longer name`,
        priceMinor: i === 0 ? 0 : 1500 + i * 250,
        capacity: 200,
      })),
    });
    const sizes: Record<string, number> = {};
    const eventPage = await page(await request(`/e/${record.event.slug}`));
    sizes.event = eventPage.bytes;

    const { checkoutPath, key, checkoutPage } = await holdViaForm(record, { 'type-0': 4 });
    sizes.checkout = checkoutPage.bytes;
    const orderUrl = location(
      await postForm(checkoutPath, { key, name: 'Grace Hopper', email: 'grace@example.com' }),
    );
    const order = await page(await request(orderUrl));
    expect(order.html.match(/<svg /g)).toHaveLength(4);
    sizes.orderPaid = order.bytes;
    const ticketHref = /href="(https:\/\/[^"]+\/tickets\/[^"]+)"/.exec(order.html)?.[1] ?? '';
    sizes.ticket = (await page(await request(ticketHref.replaceAll('&amp;', '&')))).bytes;

    const paid = await holdViaForm(record, { 'type-1': 2, 'type-9': 2 });
    const submitted = await postForm(paid.checkoutPath, {
      key: paid.key,
      name: 'Ada',
      email: 'ada@example.com',
    });
    const payUrl = location(submitted);
    const cookie = (submitted.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    sizes.sandboxPay = (await page(await request(payUrl))).bytes;
    const pendingUrl = location(await request(paid.checkoutPath, { headers: { cookie } }));
    const pending = await page(await request(pendingUrl));
    expect(pending.html).toContain('Awaiting payment');
    sizes.orderPending = pending.bytes;

    console.log('page sizes (bytes)', sizes);
    for (const [name, bytes] of Object.entries(sizes))
      expect(bytes, name).toBeLessThan(MAX_PAGE_BYTES);
  });
});
