import { describe, expect, it } from 'vitest';
import { latePaymentRefundMail } from './refund-mails';
import {
  type BuyerOrderView,
  formatEventTime,
  formatVenue,
  type MailEvent,
  orderConfirmationMail,
} from './templates';

const event: MailEvent = {
  title: 'Night Owls Live',
  startsAt: '2026-07-04T18:00:00.000Z',
  endsAt: null,
  timezone: 'Europe/Berlin',
  venue: { name: 'Hall 7', address: 'Hafenstraße 1', city: 'Hamburg', country: 'DE' },
};

const origin = 'https://tickets.example.com';
const orderUrl = `${origin}/orders/ord_1?token=tok`;

function order(overrides: Partial<BuyerOrderView> = {}): BuyerOrderView {
  return {
    id: 'ord_1',
    status: 'paid',
    eventId: 'evt_1',
    testMode: false,
    buyer: { name: 'Ada', email: 'ada@example.com' },
    items: [
      {
        ticketTypeId: 'tt_ga',
        name: 'General admission',
        quantity: 2,
        unitPriceMinor: 3900,
        lineTotalMinor: 7800,
      },
      {
        ticketTypeId: 'tt_vip',
        name: 'VIP',
        quantity: 1,
        unitPriceMinor: 9900,
        lineTotalMinor: 9900,
      },
    ],
    totalMinor: 17700,
    refundedMinor: 0,
    currency: 'EUR',
    createdAt: '2026-05-01T10:00:00.000Z',
    paidAt: '2026-05-01T10:01:00.000Z',
    expiresAt: null,
    lastPaymentError: null,
    payment: null,
    documents: {
      ticketsPdfUrl: `${origin}/orders/ord_1/tickets.pdf?token=tok`,
      calendarUrl: `${origin}/orders/ord_1/event.ics?token=tok`,
    },
    tickets: ['tkt_a', 'tkt_b', 'tkt_c'].map((id, i) => ({
      id,
      ticketTypeId: i < 2 ? 'tt_ga' : 'tt_vip',
      ticketTypeName: i < 2 ? 'General admission' : 'VIP',
      code: `code-${id}`,
      testMode: false,
      qrSvgUrl: `${origin}/api/v1/tickets/${id}/qr.svg?token=tok`,
      url: `${origin}/tickets/${id}?token=tok`,
      pdfUrl: `${origin}/tickets/${id}/ticket.pdf?token=tok`,
    })),
    ...overrides,
  };
}

describe('formatEventTime', () => {
  it("shows the start in the event's time zone", () => {
    const shown = formatEventTime(event);
    expect(shown).toContain('Saturday, July 4, 2026');
    expect(shown).toContain('8:00'); // 18:00 UTC is 20:00 in Berlin in summer
    expect(shown).toContain('GMT+2');
  });

  it('shows a range when the event has an end', () => {
    const shown = formatEventTime({ ...event, endsAt: '2026-07-04T21:30:00.000Z' });
    expect(shown).toMatch(/8:00.*11:30/);
  });
});

describe('formatVenue', () => {
  it('joins the parts that are present', () => {
    expect(formatVenue(event.venue)).toBe('Hall 7, Hafenstraße 1, Hamburg, DE');
    expect(formatVenue({ name: 'Hall 7', city: 'Hamburg' })).toBe('Hall 7, Hamburg');
  });
});

describe('orderConfirmationMail', () => {
  it('lists items, total, the order link and one link per ticket', async () => {
    const mail = await orderConfirmationMail({ event, order: order(), orderUrl });
    expect(mail.subject).toBe('Your tickets for Night Owls Live');
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('€78.00');
      expect(part).toContain('€99.00');
      expect(part).toContain('€177.00');
      expect(part).toContain(orderUrl);
      expect(part).toContain('Hall 7, Hafenstraße 1, Hamburg, DE');
      expect(part).toContain(formatEventTime(event));
      for (const id of ['tkt_a', 'tkt_b', 'tkt_c'])
        expect(part).toContain(`${origin}/tickets/${id}?token=tok`);
    }
    expect(mail.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(mail.text).toContain('Ticket 3, VIP:');
  });

  it('links the PDF tickets and the calendar file', async () => {
    const mail = await orderConfirmationMail({ event, order: order(), orderUrl });
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain(`${origin}/orders/ord_1/tickets.pdf?token=tok`);
      expect(part).toContain(`${origin}/orders/ord_1/event.ics?token=tok`);
    }
    expect(mail.html).toContain('Download your tickets as PDF');
    expect(mail.html).toContain('Add the event to your calendar');
  });

  it('inlines no SVG and no stylesheet', async () => {
    const { html } = await orderConfirmationMail({ event, order: order(), orderUrl });
    expect(html).not.toMatch(/<svg|qr\.svg|<style|<script/i);
  });

  it('escapes organizer and buyer text in the HTML', async () => {
    const mail = await orderConfirmationMail({
      event: {
        ...event,
        title: '<b>Loud</b> & "proud"',
        venue: { name: '<img src=x onerror=alert(1)>' },
      },
      order: order({ buyer: { name: '<script>x</script>', email: 'a@example.com' } }),
      orderUrl,
    });
    expect(mail.html).toContain('&lt;b&gt;Loud&lt;/b&gt; &amp;');
    expect(mail.html).not.toContain('<b>Loud</b>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<script>');
    // Plain text is not HTML: it keeps the title as written.
    expect(mail.text).toContain('<b>Loud</b> & "proud"');
  });

  it('keeps the subject on one line', async () => {
    const mail = await orderConfirmationMail({
      event: { ...event, title: 'Two\r\nLines' },
      order: order(),
      orderUrl,
    });
    expect(mail.subject).toBe('Your tickets for Two Lines');
  });
});

describe('latePaymentRefundMail', () => {
  it('apologizes and names the refunded amount', async () => {
    const mail = await latePaymentRefundMail({
      event,
      order: { id: 'ord_1', buyerName: 'Ada', totalMinor: 17700, currency: 'EUR' },
      orderUrl,
    });
    expect(mail.subject).toBe('Your payment for Night Owls Live has been refunded');
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain('sorry');
      expect(part).toContain('sold out');
      expect(part).toContain('full amount of €177.00');
      expect(part).toContain(orderUrl);
    }
    expect(mail.html).not.toContain('/tickets/');
  });
});
