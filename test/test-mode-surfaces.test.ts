import { SELF } from 'cloudflare:test';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_MODE_NOTICE } from '../worker/payments/availability';
import { createRoleKey } from './support/accounts';
import { BASE, type CreatedEvent, createPublishedEvent, typeId } from './support/api';
import { page, signUpWithWorkspace, type Workspace } from './support/dashboard';
import { type Purchase, purchase } from './support/db-snapshot';
import { readPdf } from './support/pdf-content';

/**
 * Issue 10, "Test mode": a test-mode order says TEST on every surface a buyer or organizer
 * may take for real (the PDF tickets, the calendar entry, the hosted order and ticket pages,
 * the dashboard's event lists), and a live order on none of them. (Mails: templates.test.ts
 * and test-mode.test.ts; the widget: widget/src/views.test.ts.)
 */

let ws: Workspace;
let testEvent: CreatedEvent;
let liveEvent: CreatedEvent;
let testOrder: Purchase;
let liveOrder: Purchase;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Test Surfaces');
  const admin = await createRoleKey(ws.organizerId, 'admin');
  testEvent = await createPublishedEvent(admin, { testMode: true, title: 'Rehearsal Night' });
  liveEvent = await createPublishedEvent(admin, { title: 'Opening Night' });
  testOrder = await purchase(testEvent, typeId(testEvent, 'ga'), 2);
  liveOrder = await purchase(liveEvent, typeId(liveEvent, 'ga'), 1);
});

const withToken = (path: string, p: Purchase) =>
  `${BASE}${path}?token=${encodeURIComponent(p.orderToken)}`;

async function text(path: string, p: Purchase): Promise<string> {
  const res = await SELF.fetch(withToken(path, p));
  expect(res.status, path).toBe(200);
  return res.text();
}

describe('a test-mode order says TEST', () => {
  it('on every page of its PDF tickets, in large type, and in the file title', async () => {
    const res = await SELF.fetch(withToken(`/orders/${testOrder.orderId}/tickets.pdf`, testOrder));
    expect(res.status).toBe(200);
    const bytes = await res.arrayBuffer();
    expect((await PDFDocument.load(bytes)).getTitle()).toBe('TEST Tickets: Rehearsal Night');
    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(2);
    for (const pdfPage of pages) {
      expect(pdfPage.lines[0]).toBe('TEST TICKET');
      expect(pdfPage.lines).toContain(TEST_MODE_NOTICE);
    }
    const ticketId = testOrder.tickets[0]?.id ?? '';
    const single = await SELF.fetch(withToken(`/tickets/${ticketId}/ticket.pdf`, testOrder));
    expect((await readPdf(await single.arrayBuffer()))[0]?.lines[0]).toBe('TEST TICKET');
  });

  it('in its calendar entry', async () => {
    const ics = await text(`/orders/${testOrder.orderId}/event.ics`, testOrder);
    expect(ics).toContain('SUMMARY:[TEST] Rehearsal Night');
    // Unfolded; iCalendar escapes the notice's semicolon.
    expect(ics.replace(/\r\n[ \t]/g, '')).toContain('DESCRIPTION:TEST — no real money\\;');
  });

  it('on its hosted order and ticket pages', async () => {
    expect(await text(`/orders/${testOrder.orderId}`, testOrder)).toContain(TEST_MODE_NOTICE);
    const ticketId = testOrder.tickets[0]?.id ?? '';
    expect(await text(`/tickets/${ticketId}`, testOrder)).toContain(TEST_MODE_NOTICE);
  });

  it("in the dashboard's event lists, next to the event's status", async () => {
    for (const path of ['/dashboard', '/dashboard/events']) {
      const list = await page(path, ws.cookie);
      expect(list.status, path).toBe(200);
      const rows = list.text.split('<tr>');
      const testRow = rows.find((row) => row.includes('Rehearsal Night')) ?? '';
      const liveRow = rows.find((row) => row.includes('Opening Night')) ?? '';
      expect(testRow, path).toContain('<span class="badge test-mode">TEST</span>');
      expect(liveRow, path).not.toContain('TEST');
    }
  });
});

describe('a live order says nothing of the kind', () => {
  it('on its PDF, calendar entry and pages', async () => {
    const res = await SELF.fetch(withToken(`/orders/${liveOrder.orderId}/tickets.pdf`, liveOrder));
    const [first] = await readPdf(await res.arrayBuffer());
    expect(first?.lines[0]).toBe('TICKET');
    expect(first?.lines.join('\n')).not.toContain('TEST');
    const ics = await text(`/orders/${liveOrder.orderId}/event.ics`, liveOrder);
    expect(ics).toContain('SUMMARY:Opening Night');
    expect(ics).not.toContain('TEST');
    expect(await text(`/orders/${liveOrder.orderId}`, liveOrder)).not.toContain(TEST_MODE_NOTICE);
  });
});
