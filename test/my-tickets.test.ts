import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { randomToken } from '../worker/domain/ids';
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
  mailedBuyerToken,
  myTickets,
  openBuyerSession,
  requestBuyerLink,
} from './support/buyers';
import { lastMailAt, page, postForm } from './support/dashboard';
import { type Purchase, purchase } from './support/db-snapshot';
import { readPdf } from './support/pdf-content';

/**
 * "My tickets" (issue 11, Buyers): a buyer asks for a link by email, the link opens a buyer
 * session, the page lists every order placed with that address across organizers, with the
 * QR code, PDFs, calendar file and resend reached through the order-token routes.
 */

// Purchases and mails go through the queues: slow on a busy machine (nothing here asserts a time).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const email = () => `buyer-${randomToken(8)}@example.org`;

let first: CreatedEvent;
let second: CreatedEvent;
let firstAuth: Record<string, string>;
beforeAll(async () => {
  firstAuth = (await createOrganizer('Night Owls Collective')).auth;
  const secondAuth = (await createOrganizer('Harbour Hall')).auth;
  first = await createPublishedEvent(firstAuth, { title: 'Night Owls Live' });
  second = await createPublishedEvent(secondAuth, { title: 'Harbour Jazz' });
});

const q = (token: string) => `token=${encodeURIComponent(token)}`;

describe('asking for a link', () => {
  it('mails a single-use "My tickets" link to an address with orders, stored only as a hash', async () => {
    const address = email();
    await purchase(first, typeId(first, 'ga'), 1, { email: address });
    const asked = await requestBuyerLink(address);
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/my-tickets/check-email');
    const token = await mailedBuyerToken(address);
    const rows = await buyerLinkRows(address);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.purpose).toBe('buyer');
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.token_hash).not.toBe(token);
    const mail = await env.DB.prepare(
      'SELECT subject, text FROM mail_outbox WHERE to_address = ? ORDER BY created_at DESC',
    )
      .bind(address)
      .first<{ subject: string; text: string }>();
    expect(mail?.subject).toBe('Your tickets');
    expect(mail?.text).toContain(`${BASE}/my-tickets/auth?token=${token}`);
    expect(mail?.text).toContain('expires in 15 minutes');
  });

  it('trims and lowercases the address, and finds orders placed in any case', async () => {
    const local = `Ada.${randomToken(6)}`;
    const placed = `${local}@Example.ORG`;
    const order = await purchase(first, typeId(first, 'ga'), 1, { email: placed });
    const { cookie } = await openBuyerSession(`  ${local.toUpperCase()}@example.org \t`);
    const listed = await myTickets(cookie);
    expect(listed.status).toBe(200);
    expect(listed.text).toContain(order.orderId);
    expect(listed.text).toContain(`Orders placed with ${placed.toLowerCase()}.`);
  });

  it('the landing page uses nothing; its button does, once', async () => {
    const address = email();
    await purchase(first, typeId(first, 'ga'), 1, { email: address });
    const since = await lastMailAt(address);
    await requestBuyerLink(address);
    const token = await mailedBuyerToken(address, since);
    const landing = await page(`/my-tickets/auth?token=${token}`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('action="/my-tickets/auth"');
    expect((await buyerLinkRows(address))[0]?.used_at).toBeNull();
    const used = await postForm('/my-tickets/auth', { token });
    expect(used.status).toBe(303);
    expect(used.location).toBe('/my-tickets');
    expect(used.setCookie).toMatch(/^__Host-tessera_buyer=/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']) {
      expect(used.setCookie).toContain(attribute);
    }
    expect(used.setCookie).not.toMatch(/domain=/i);
  });
});

describe('the list', () => {
  let address: string;
  let night: Purchase;
  let jazz: Purchase;
  let cookie: string;
  beforeAll(async () => {
    address = email();
    night = await purchase(first, typeId(first, 'ga'), 2, { email: address });
    jazz = await purchase(second, typeId(second, 'vip'), 1, { email: address });
    ({ cookie } = await openBuyerSession(address));
  });

  it('lists the orders of both organizers, with their tickets, as a private page', async () => {
    const listed = await myTickets(cookie);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('private, no-store');
    expect(listed.headers.get('referrer-policy')).toBe('no-referrer');
    for (const text of [
      'Night Owls Live',
      'Harbour Jazz',
      'Night Owls Collective',
      'Harbour Hall',
    ]) {
      expect(listed.text).toContain(text);
    }
    for (const ticket of [...night.tickets, ...jazz.tickets]) {
      expect(listed.text).toContain(`/tickets/${ticket.id}?`);
    }
    expect(listed.text).toContain('Sign out');
  });

  it('links to the existing order-token routes, which answer: order page, PDFs, calendar, QR', async () => {
    const listed = (await myTickets(cookie)).text.replaceAll('&amp;', '&');
    const ticket = night.tickets[0]?.id ?? '';
    const links = [
      `/orders/${night.orderId}?${q(night.orderToken)}`,
      `/orders/${night.orderId}/tickets.pdf?${q(night.orderToken)}`,
      `/orders/${night.orderId}/event.ics?${q(night.orderToken)}`,
      `/tickets/${ticket}?${q(night.orderToken)}`,
      `/tickets/${ticket}/ticket.pdf?${q(night.orderToken)}`,
      `/api/v1/tickets/${ticket}/qr.svg?${q(night.orderToken)}`,
      `/orders/${jazz.orderId}/tickets.pdf?${q(jazz.orderToken)}`,
    ];
    for (const link of links) {
      expect(listed).toContain(`"${link}"`);
      const res = await SELF.fetch(`${BASE}${link}`);
      expect(res.status, link).toBe(200);
    }
    const pdf = await SELF.fetch(`${BASE}${links[1]}`);
    const pages = await readPdf(await pdf.arrayBuffer());
    expect(pages).toHaveLength(2);
    expect(pages[0]?.lines).toContain(night.orderId);
  });

  it('resends the confirmation through the order page form, with the order token', async () => {
    const listed = await myTickets(cookie);
    expect(listed.text).toContain(`action="/orders/${jazz.orderId}/resend-confirmation"`);
    const sent = await postForm(`/orders/${jazz.orderId}/resend-confirmation`, {
      token: jazz.orderToken,
    });
    expect(sent.status).toBe(303);
    const prefix = `order_confirmation_resend:${jazz.orderId}:`;
    await waitFor(() =>
      env.DB.prepare('SELECT 1 AS sent FROM mail_outbox WHERE substr(message_key, 1, ?1) = ?2')
        .bind(prefix.length, prefix)
        .first(),
    );
  });

  it('marks test-mode orders TEST, refunded orders and tickets, and folds past events away', async () => {
    const testEvent = await createPublishedEvent(firstAuth, {
      title: 'Dress Rehearsal',
      testMode: true,
    });
    const rehearsal = await purchase(testEvent, typeId(testEvent, 'ga'), 1, { email: address });
    const refunded = await purchase(first, typeId(first, 'ga'), 1, { email: address });
    const refund = await SELF.fetch(`${BASE}/api/v1/organizer/orders/${refunded.orderId}/refund`, {
      method: 'POST',
      headers: firstAuth,
    });
    expect(refund.status).toBe(200);
    const pastEvent = await createPublishedEvent(firstAuth, { title: 'Last Summer' });
    const past = await purchase(pastEvent, typeId(pastEvent, 'ga'), 1, { email: address });
    await env.DB.prepare(
      "UPDATE events SET starts_at = '2020-06-01T19:00:00Z', ends_at = '2020-06-01T23:00:00Z' WHERE id = ?",
    )
      .bind(pastEvent.id)
      .run();

    const html = (await myTickets(cookie)).text;
    const card = (orderId: string) => {
      const start = html.indexOf(`data-order-id="${orderId}"`);
      return html.slice(start, html.indexOf('</section>', start));
    };
    expect(card(rehearsal.orderId)).toContain('>TEST<');
    expect(card(night.orderId)).not.toContain('>TEST<');
    expect(card(refunded.orderId)).toContain('>Refunded<');
    expect(card(refunded.orderId)).not.toContain('tickets.pdf');
    expect(card(refunded.orderId)).not.toContain('resend-confirmation');
    const details = html.slice(html.indexOf('<details class="card">'));
    expect(details).toContain('Past events (1)');
    expect(details).toContain(past.orderId);
    expect(html.indexOf(past.orderId)).toBeGreaterThan(html.indexOf('Past events'));
    expect(html.indexOf(night.orderId)).toBeLessThan(html.indexOf('Past events'));
  });
});

describe('the confirmation email', () => {
  it('links to the order page, the PDF tickets and the calendar file, and each link works', async () => {
    const order = await purchase(second, typeId(second, 'ga'), 1, { email: email() });
    const mail = await env.DB.prepare('SELECT html, text FROM mail_outbox WHERE message_key = ?')
      .bind(`order_confirmation:${order.orderId}`)
      .first<{ html: string; text: string }>();
    const origin = 'http://localhost:8787'; // the consumer's development origin (no PUBLIC_ORIGIN)
    const links = {
      page: `${origin}/orders/${order.orderId}?${q(order.orderToken)}`,
      pdf: `${origin}/orders/${order.orderId}/tickets.pdf?${q(order.orderToken)}`,
      ics: `${origin}/orders/${order.orderId}/event.ics?${q(order.orderToken)}`,
    };
    for (const link of Object.values(links)) {
      expect(mail?.text).toContain(link);
      expect(mail?.html.replaceAll('&amp;', '&')).toContain(`href="${link}"`);
    }
    const types = { page: 'text/html', pdf: 'application/pdf', ics: 'text/calendar' };
    for (const [kind, link] of Object.entries(links)) {
      const res = await SELF.fetch(link.replace(origin, BASE));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(types[kind as keyof typeof types]);
    }
  });
});
