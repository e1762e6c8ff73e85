import { PageSizes, PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { Venue } from '../db/schema';
import { TEST_MODE_NOTICE } from '../payments/availability';
import { formatEventTime } from '../views/format';
import { qrOperators } from './pdf-qr';
import { printable, wrapLines } from './pdf-text';

/**
 * Print@home tickets: one A4 page per ticket with the event, the time in the event's time
 * zone, the venue, the ticket type, the holder, the order number, the ticket id, seat-free
 * admission, and the QR code drawn as vectors. Standard fonts only (nothing to embed or
 * fetch); text they cannot show is replaced by `printable`.
 */

export interface PrintedEvent {
  title: string;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  venue: Venue;
}

export interface PrintedTicket {
  id: string;
  /** The signed ticket code the QR code carries. */
  code: string;
  ticketTypeName: string;
}

export interface TicketsPdfInput {
  event: PrintedEvent;
  orderId: string;
  holderName: string;
  tickets: PrintedTicket[];
  /** A test-mode order: every page says TEST, above all else and in the file's title. */
  testMode?: boolean;
}

export const SEAT_FREE_WORDING = 'Seat-free admission: no reserved seat, any free place is yours.';
export const ENTRY_WORDING =
  'Show this QR code at the entrance, printed or on your phone. It admits one person, once. Anyone with a copy can use it, so keep it to yourself.';

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 56;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const QR_SIDE = 216; // 7.6 cm with its quiet zone: easy for any scanner
const INK = rgb(0.09, 0.09, 0.11);
const MUTED = rgb(0.36, 0.38, 0.44);

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** The PDF with one page per ticket, in the given order. */
export async function renderTicketsPdf(input: TicketsPdfInput): Promise<Uint8Array<ArrayBuffer>> {
  const doc = await PDFDocument.create();
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  // Metadata is UTF-16: the title keeps every character. No personal data goes here.
  doc.setTitle(`${input.testMode ? 'TEST ' : ''}Tickets: ${input.event.title}`);
  doc.setProducer('Tessera');
  doc.setCreator('Tessera');
  for (const ticket of input.tickets) {
    drawTicketPage(doc.addPage(PageSizes.A4), fonts, input, ticket);
  }
  // A copy typed as ArrayBuffer-backed, as a Response body must be.
  return new Uint8Array(await doc.save());
}

/** Draws top-down from a cursor: each call places its lines and moves the cursor below them. */
class Column {
  private y = PAGE_HEIGHT - MARGIN;

  constructor(
    private readonly page: PDFPage,
    private readonly fonts: Fonts,
  ) {}

  text(text: string, options: { size: number; bold?: boolean; muted?: boolean; gap?: number }) {
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const lines = wrapLines(printable(text, font), font, options.size, CONTENT_WIDTH);
    for (const line of lines) {
      this.y -= options.size * 1.25;
      this.page.drawText(line, {
        x: MARGIN,
        y: this.y,
        size: options.size,
        font,
        color: options.muted ? MUTED : INK,
      });
    }
    this.y -= options.gap ?? 0;
  }

  /** A small muted label above its value. */
  field(label: string, value: string) {
    this.text(label, { size: 9, muted: true });
    this.text(value, { size: 13, gap: 8 });
  }

  rule(gap = 14) {
    this.y -= gap;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: PAGE_WIDTH - MARGIN, y: this.y },
      thickness: 0.75,
      color: MUTED,
    });
    this.y -= gap;
  }

  /** The QR code of `code`, centred; returns nothing, the cursor moves below it. */
  qr(code: string) {
    this.y -= QR_SIDE;
    const box = { x: (PAGE_WIDTH - QR_SIDE) / 2, y: this.y, side: QR_SIDE };
    this.page.pushOperators(...qrOperators(code, box).operators);
  }
}

function drawTicketPage(
  page: PDFPage,
  fonts: Fonts,
  input: TicketsPdfInput,
  ticket: PrintedTicket,
): void {
  const { event } = input;
  const column = new Column(page, fonts);
  if (input.testMode) {
    column.text('TEST TICKET', { size: 28, bold: true, gap: 2 });
    column.text(TEST_MODE_NOTICE, { size: 11, bold: true, gap: 10 });
  } else column.text('TICKET', { size: 9, bold: true, muted: true, gap: 6 });
  column.text(event.title, { size: 22, bold: true, gap: 6 });
  column.text(formatEventTime(event.startsAt, event.endsAt, event.timezone), { size: 12 });
  column.text(event.venue.name, { size: 12, bold: true });
  const address = [event.venue.address, event.venue.city, event.venue.country].filter(Boolean);
  if (address.length > 0) column.text(address.join(', '), { size: 11, muted: true });
  column.rule();
  column.text(ticket.ticketTypeName, { size: 16, bold: true, gap: 2 });
  column.text(SEAT_FREE_WORDING, { size: 11, gap: 12 });
  column.field('Name', input.holderName);
  column.field('Order number', input.orderId);
  column.field('Ticket', ticket.id);
  column.qr(ticket.code);
  column.rule(10);
  column.text(ENTRY_WORDING, { size: 9, muted: true });
}
