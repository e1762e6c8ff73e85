import { createMessageBatch, env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NotificationMessage } from '../worker/consumers/messages';
import { handleNotificationBatch } from '../worker/consumers/notifications-consumer';
import { newId } from '../worker/domain/ids';
import { RESENDS_PER_WINDOW } from '../worker/orders/confirmation-resend';
import { DEFAULT_EVENT_HOURS } from '../worker/orders/event-calendar';
import { SEAT_FREE_WORDING } from '../worker/tickets/pdf';
import { qrOperators } from '../worker/tickets/pdf-qr';
import { qrMatrix } from '../worker/tickets/qr-svg';
import {
  BASE,
  type CreatedEvent,
  createOrganizer,
  createPublishedEvent,
  typeId,
  waitFor,
} from './support/api';
import { expectProblem, type Purchase, purchase, settledSnapshot } from './support/db-snapshot';
import { readJsonResponse } from './support/json-response';
import { matrixFromRectangles, readPdf } from './support/pdf-content';
import { clearOfWindowEdge } from './support/rate-window';

/**
 * The buyer's downloads (print@home PDF, calendar file), reached with the order token:
 * real purchases through the sandbox, files read back and checked.
 */

let event: CreatedEvent;
let paid: Purchase;
let auth: Record<string, string>;

beforeAll(async () => {
  auth = (await createOrganizer('Docs')).auth;
  event = await createPublishedEvent(auth);
  paid = await purchase(event, typeId(event, 'ga'), 3);
});

const q = (token: string) => `?token=${encodeURIComponent(token)}`;
const pdfPath = (p: Purchase, token = p.orderToken) =>
  `/orders/${p.orderId}/tickets.pdf${q(token)}`;
const icsPath = (p: Purchase, token = p.orderToken) => `/orders/${p.orderId}/event.ics${q(token)}`;

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, { headers });
}

async function pdfPages(path: string) {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return readPdf(await res.arrayBuffer());
}

/** A problem answer with its requestId removed: two refusals can then be compared whole. */
async function refusal(path: string) {
  const res = await readJsonResponse<Record<string, unknown>>(await get(path));
  const { requestId: _requestId, ...body } = res.body;
  return { res, body };
}

describe('GET /orders/:orderId/tickets.pdf', () => {
  it('is a real PDF, one page per ticket, with the event, holder, order, ticket and its QR', async () => {
    const res = await get(pdfPath(paid));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="tickets-${paid.orderId}.pdf"`,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(0, 5))).toBe('%PDF-');

    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(3);
    const module = qrOperators(paid.tickets[0]?.code ?? '', { x: 0, y: 0, side: 216 }).module;
    pages.forEach((page, i) => {
      const ticket = paid.tickets[i];
      for (const text of [
        'Night Owls Live',
        'Halle 7',
        'Hafenstraße 7, Berlin, DE',
        'General admission',
        SEAT_FREE_WORDING,
        'Grace Hopper',
        paid.orderId,
        ticket?.id,
      ]) {
        expect(page.lines, String(text)).toContain(text);
      }
      // 2027-03-01T19:00Z is 8 PM in Berlin (winter time).
      expect(page.lines.some((line) => /March 1, 2027.*8:00.*PM GMT\+1/.test(line))).toBe(true);
      expect(matrixFromRectangles(page.rectangles, module)).toEqual(qrMatrix(ticket?.code ?? ''));
    });
  });

  it('also takes the token as a Bearer header', async () => {
    const res = await get(`/orders/${paid.orderId}/tickets.pdf`, {
      authorization: `Bearer ${paid.orderToken}`,
    });
    expect(res.status).toBe(200);
    expect(await readPdf(await res.arrayBuffer())).toHaveLength(3);
  });

  it('answers a wrong or missing token exactly like an unknown order: 404', async () => {
    const unknown = await refusal(`/orders/${newId('ord')}/tickets.pdf${q(paid.orderToken)}`);
    expectProblem(unknown.res, { status: 404, code: 'not_found' });
    for (const path of [
      pdfPath(paid, 'wrong'),
      pdfPath(paid, `${paid.orderToken}x`),
      `/orders/${paid.orderId}/tickets.pdf`,
      `/orders/${paid.orderId}/tickets.pdf?token=`,
    ]) {
      const { res, body } = await refusal(path);
      expectProblem(res, { status: 404, code: 'not_found' });
      expect(body).toEqual(unknown.body);
      expect(JSON.stringify(body)).not.toContain(paid.orderId);
    }
  });

  it('refuses an order awaiting payment with 409 and prints nothing', async () => {
    const pending = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
    const { res } = await refusal(pdfPath(pending));
    expectProblem(res, { status: 409, code: 'invalid_state' });
  });

  it('leaves refunded tickets out of a partly refunded order, and refuses a refunded one', async () => {
    const order = await purchase(event, typeId(event, 'ga'), 2);
    const [kept, revoked] = order.tickets;
    await env.DB.batch([
      env.DB.prepare("UPDATE orders SET status = 'partially_refunded' WHERE id = ?").bind(
        order.orderId,
      ),
      env.DB.prepare("UPDATE tickets SET status = 'revoked' WHERE id = ?").bind(revoked?.id),
    ]);
    const pages = await pdfPages(pdfPath(order));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.lines).toContain(kept?.id);
    expect(pages.flatMap((p) => p.lines)).not.toContain(revoked?.id);

    const single = await refusal(`/tickets/${revoked?.id}/ticket.pdf${q(order.orderToken)}`);
    expectProblem(single.res, { status: 409, code: 'invalid_state' });

    await env.DB.prepare("UPDATE orders SET status = 'refunded' WHERE id = ?")
      .bind(order.orderId)
      .run();
    expectProblem((await refusal(pdfPath(order))).res, { status: 409, code: 'invalid_state' });
    expectProblem((await refusal(icsPath(order))).res, { status: 409, code: 'invalid_state' });
  });

  it('prints an event with a Japanese title without crashing', async () => {
    const tokyo = await createPublishedEvent(auth, {
      title: '東京ジャズ・ナイト Live',
      venue: { name: 'ブルーノート東京', city: 'Tōkyō', country: 'JP' },
    });
    const order = await purchase(tokyo, typeId(tokyo, 'vip'), 1);
    const pages = await pdfPages(pdfPath(order));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.lines).toContain('? Live');
    expect(pages[0]?.lines).toContain('Tokyo, JP');
    expect(pages[0]?.lines).toContain('VIP');
  });
});

describe('PDF downloads per order', () => {
  it('are limited to 10 a minute, counted across the order and its tickets', async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1);
    const ticketPath = `/tickets/${order.tickets[0]?.id}/ticket.pdf${q(order.orderToken)}`;
    // Wrong tokens never count: a stranger cannot use up the buyer's downloads.
    for (let i = 0; i < 12; i++) expect((await get(pdfPath(order, 'nope'))).status).toBe(404);
    // Ten PDFs and two refusals in one limiter window, however slow the machine is today.
    await clearOfWindowEdge(60, 40);
    for (let i = 0; i < 10; i++) {
      const res = await get(i % 2 ? ticketPath : pdfPath(order));
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    for (const path of [pdfPath(order), ticketPath]) {
      const { res } = await refusal(path);
      expectProblem(res, { status: 429, code: 'rate_limited' });
      expect(res.headers.get('retry-after')).toBe('60');
    }
    // Another order is not affected, and the calendar file is not limited.
    expect((await get(icsPath(order))).status).toBe(200);
    expect((await get(`/orders/${paid.orderId}/tickets.pdf${q(paid.orderToken)}`)).status).toBe(
      200,
    );
    // Up to 40 s waiting for a fresh window, then twelve PDFs on a loaded CI machine.
  }, 120_000);
});

describe('GET /tickets/:ticketId/ticket.pdf', () => {
  it('prints just that ticket', async () => {
    const ticket = paid.tickets[1];
    const res = await get(`/tickets/${ticket?.id}/ticket.pdf${q(paid.orderToken)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="ticket-${ticket?.id}.pdf"`,
    );
    const pages = await readPdf(await res.arrayBuffer());
    expect(pages).toHaveLength(1);
    expect(pages[0]?.lines).toContain(ticket?.id);
    expect(pages[0]?.lines).not.toContain(paid.tickets[0]?.id);
  });

  it("answers a wrong token, another order's token and an unknown ticket alike: 404", async () => {
    const other = await purchase(event, typeId(event, 'ga'), 1);
    const id = paid.tickets[0]?.id;
    const unknown = await refusal(`/tickets/${newId('tkt')}/ticket.pdf${q(paid.orderToken)}`);
    expectProblem(unknown.res, { status: 404, code: 'not_found' });
    for (const path of [
      `/tickets/${id}/ticket.pdf`,
      `/tickets/${id}/ticket.pdf?token=nope`,
      `/tickets/${id}/ticket.pdf${q(other.orderToken)}`,
    ]) {
      const { res, body } = await refusal(path);
      expectProblem(res, { status: 404, code: 'not_found' });
      expect(body).toEqual(unknown.body);
    }
  });
});

/** Unfolds an iCalendar text (RFC 5545 3.1) into its content lines, as a reader must. */
function icsLines(text: string): string[] {
  expect(text).toMatch(/\r\n$/);
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
}

/** The value of the first `NAME:` or `NAME;params:` line, unescaped. */
function icsValue(lines: string[], name: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\\n/gi, '\n')
    .replace(/\\([,;\\])/g, '$1');
}

describe('GET /orders/:orderId/event.ics', () => {
  it('is a calendar with the event in UTC, its venue, the order link and a stable UID', async () => {
    const res = await get(icsPath(paid));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${event.slug}.ics"`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await res.text();
    const lines = icsLines(text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(icsValue(lines, 'DTSTART')).toBe('20270301T190000Z');
    expect(icsValue(lines, 'DTEND')).toBe('20270301T230000Z');
    expect(icsValue(lines, 'SUMMARY')).toBe('Night Owls Live');
    expect(icsValue(lines, 'LOCATION')).toBe('Halle 7, Hafenstraße 7, Berlin, DE');
    const orderUrl = `${BASE}/orders/${paid.orderId}${q(paid.orderToken)}`;
    expect(icsValue(lines, 'DESCRIPTION')).toContain(orderUrl);
    // Nothing about the buyer beyond the link they hold.
    expect(text).not.toMatch(/Grace|grace@example\.com|ATTENDEE|ORGANIZER/);

    const uid = icsValue(lines, 'UID');
    expect(uid).toBe(`${paid.orderId}.${event.id}@tessera.test`);
    const again = icsLines(await (await get(icsPath(paid))).text());
    expect(icsValue(again, 'UID')).toBe(uid);
  });

  it(`ends ${DEFAULT_EVENT_HOURS} hours after the start when the event has no end`, async () => {
    const open = await createPublishedEvent(auth, {
      startsAt: '2027-06-05T17:30:00Z',
      endsAt: null,
    });
    const order = await purchase(open, typeId(open, 'ga'), 1);
    const lines = icsLines(await (await get(icsPath(order))).text());
    expect(icsValue(lines, 'DTSTART')).toBe('20270605T173000Z');
    expect(icsValue(lines, 'DTEND')).toBe('20270605T203000Z');
    expect(icsValue(lines, 'UID')).not.toBe(`${paid.orderId}.${event.id}@tessera.test`);
  });

  it('answers a wrong or missing token with 404', async () => {
    for (const path of [icsPath(paid, 'nope'), `/orders/${paid.orderId}/event.ics`]) {
      expectProblem((await refusal(path)).res, { status: 404, code: 'not_found' });
    }
  });
});

describe('links to the downloads', () => {
  it('the confirmation email links the PDF and the calendar file, and both open', async () => {
    const mail = await env.DB.prepare('SELECT html, text FROM mail_outbox WHERE message_key = ?')
      .bind(`order_confirmation:${paid.orderId}`)
      .first<{ html: string; text: string }>();
    // The consumer builds links on the development origin.
    const origin = 'http://localhost:8787';
    const pdf = `${origin}${pdfPath(paid)}`;
    const ics = `${origin}${icsPath(paid)}`;
    for (const part of [mail?.html ?? '', mail?.text ?? '']) {
      expect(part).toContain(pdf.replace(/&/g, part === mail?.html ? '&amp;' : '&'));
      expect(part).toContain(ics);
    }
    expect((await get(pdfPath(paid))).status).toBe(200);
    expect((await get(icsPath(paid))).status).toBe(200);
  });

  it('the order page offers PDF tickets, the calendar and a resend form', async () => {
    const res = await get(`/orders/${paid.orderId}${q(paid.orderToken)}`);
    const html = await res.text();
    expect(html).toContain('Download PDF tickets');
    expect(html).toContain(`${BASE}${pdfPath(paid)}`);
    expect(html).toContain('Add to calendar');
    expect(html).toContain(`${BASE}${icsPath(paid)}`);
    expect(html).toContain(`action="/orders/${paid.orderId}/resend-confirmation"`);
    expect(html).toContain(`/tickets/${paid.tickets[0]?.id}/ticket.pdf`);
  });
});

describe('POST /orders/:orderId/resend-confirmation', () => {
  const sameSite = { 'sec-fetch-site': 'same-origin' };

  function resend(p: Purchase, headers: Record<string, string> = sameSite, token = p.orderToken) {
    return SELF.fetch(`${BASE}/orders/${p.orderId}/resend-confirmation`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
      headers,
      redirect: 'manual',
    });
  }

  async function resentMails(orderId: string) {
    const prefix = `order_confirmation_resend:${orderId}:`;
    const { results } = await env.DB.prepare(
      `SELECT message_key AS key, to_address AS "to", subject, text FROM mail_outbox
       WHERE substr(message_key, 1, ?1) = ?2 ORDER BY created_at`,
    )
      .bind(prefix.length, prefix)
      .all<{ key: string; to: string; subject: string; text: string }>();
    return results;
  }

  it('sends the confirmation once more, to the address of the order', async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1, { email: 'ada@example.org' });
    const res = await resend(order);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/orders/${order.orderId}${q(order.orderToken)}&resent=1`,
    );
    const [mail, ...more] = await waitFor(async () => {
      const mails = await resentMails(order.orderId);
      return mails.length > 0 ? mails : undefined;
    });
    expect(more).toHaveLength(0);
    expect(mail?.to).toBe('ada@example.org');
    expect(mail?.subject).toBe('Your tickets for Night Owls Live');
    expect(mail?.text).toContain(`/orders/${order.orderId}/tickets.pdf`);
    const page = await get(res.headers.get('location') ?? '');
    expect(await page.text()).toContain('We sent your confirmation again to ada@example.org.');
  });

  it(`allows ${RESENDS_PER_WINDOW} an hour per order, even when asked 10 times at once`, async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1);
    const answers = await Promise.all(Array.from({ length: 10 }, () => resend(order)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([
      ...Array(RESENDS_PER_WINDOW).fill(303),
      ...Array(10 - RESENDS_PER_WINDOW).fill(429),
    ]);
    const limited = answers.find((a) => a.status === 429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(await limited?.text()).toContain(
      `already sent the confirmation ${RESENDS_PER_WINDOW} times`,
    );

    const mails = await waitFor(async () => {
      const sent = await resentMails(order.orderId);
      return sent.length >= RESENDS_PER_WINDOW ? sent : undefined;
    });
    const before = await settledSnapshot();
    expect(mails).toHaveLength(RESENDS_PER_WINDOW);
    expect(new Set(mails.map((m) => m.key)).size).toBe(RESENDS_PER_WINDOW);
    // Refused: nothing recorded, nothing queued.
    expect((await resend(order)).status).toBe(429);
    expect(await settledSnapshot()).toEqual(before);
  });

  it('refuses a cross-site post, a wrong token and an unpaid order, and sends nothing', async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1);
    const pending = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
    const refusals: [() => Promise<Response>, number][] = [
      [() => resend(order, { 'sec-fetch-site': 'cross-site' }), 403],
      [() => resend(order, { origin: 'https://evil.example' }), 403],
      [() => resend(order, sameSite, 'wrong'), 404],
      [() => resend(order, sameSite, ''), 404],
      [() => resend(order, sameSite, pending.orderToken), 404],
      [() => resend(pending), 409],
    ];
    const before = await settledSnapshot();
    for (const [send, status] of refusals) {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('text/html');
    }
    expect(await settledSnapshot()).toEqual(before);
    expect(await resentMails(order.orderId)).toHaveLength(0);
  });

  it('a redelivered resend message is mailed once', async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1);
    const message: NotificationMessage = {
      kind: 'order_confirmation_resend',
      orderId: order.orderId,
      requestId: 'au_redelivered000000000',
    };
    for (const attempt of [1, 2]) {
      const batch = createMessageBatch<NotificationMessage>('tessera-notifications', [
        { id: `redelivery-${attempt}`, timestamp: new Date(), attempts: attempt, body: message },
      ]);
      await handleNotificationBatch(batch, env);
    }
    expect(await resentMails(order.orderId)).toHaveLength(1);
  });
});
