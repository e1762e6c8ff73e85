import { env } from 'cloudflare:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { matrixFromRectangles, readPdf } from '../../test/support/pdf-content';
import { formatEventTime } from '../views/format';
import { signTicketCode } from './codes';
import { ENTRY_WORDING, renderTicketsPdf, SEAT_FREE_WORDING, type TicketsPdfInput } from './pdf';
import { qrOperators } from './pdf-qr';
import { printable, wrapLines } from './pdf-text';
import { qrMatrix } from './qr-svg';

async function input(overrides: Partial<TicketsPdfInput['event']> = {}): Promise<TicketsPdfInput> {
  const eventId = 'evt_k0l1m2n3o4p5q6r7s8t9';
  const ids = ['tkt_0a1b2c3d4e5f6g7h8i9j', 'tkt_1a1b2c3d4e5f6g7h8i9j', 'tkt_2a1b2c3d4e5f6g7h8i9j'];
  return {
    event: {
      title: 'Night Owls Live',
      startsAt: '2027-03-01T19:00:00.000Z',
      endsAt: '2027-03-01T23:00:00.000Z',
      timezone: 'Europe/Berlin',
      venue: { name: 'Halle 7', address: 'Hafenstraße 1', city: 'Hamburg', country: 'DE' },
      ...overrides,
    },
    orderId: 'ord_a0b1c2d3e4f5g6h7i8j9',
    holderName: 'Zoë Ångström',
    tickets: await Promise.all(
      ids.map(async (id, i) => ({
        id,
        code: await signTicketCode(env, { ticketId: id, eventId }),
        ticketTypeName: i < 2 ? 'General admission' : 'VIP',
      })),
    ),
  };
}

async function helvetica() {
  return (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
}

describe('renderTicketsPdf', () => {
  it('prints one page per ticket with everything the door and the buyer need', async () => {
    const data = await input();
    const pages = await readPdf(await renderTicketsPdf(data));
    expect(pages).toHaveLength(3);
    const when = printable(
      formatEventTime(data.event.startsAt, data.event.endsAt, 'Europe/Berlin'),
      await helvetica(),
    );
    expect(when).toMatch(/Monday, March 1, 2027.*8:00.*PM GMT\+1/);
    pages.forEach((page, i) => {
      const ticket = data.tickets[i];
      const text = page.lines.join('\n');
      for (const expected of [
        'Night Owls Live',
        when,
        'Halle 7',
        'Hafenstraße 1, Hamburg, DE',
        ticket?.ticketTypeName,
        SEAT_FREE_WORDING,
        'Zoë Ångström',
        'ord_a0b1c2d3e4f5g6h7i8j9',
        ticket?.id,
      ]) {
        expect(page.lines, String(expected)).toContain(expected);
      }
      expect(text.replace(/\n/g, ' ')).toContain(ENTRY_WORDING);
      expect(text).not.toContain(data.tickets[(i + 1) % 3]?.id);
    });
  });

  it('draws each QR code as rectangles of exactly the SVG module matrix', async () => {
    const data = await input();
    const pages = await readPdf(await renderTicketsPdf(data));
    const module = qrOperators(data.tickets[0]?.code ?? '', { x: 0, y: 0, side: 216 }).module;
    expect(module).toBeGreaterThanOrEqual(2.5); // ~0.9 mm modules print and scan well
    pages.forEach((page, i) => {
      const expected = qrMatrix(data.tickets[i]?.code ?? '');
      expect(matrixFromRectangles(page.rectangles, module)).toEqual(expected);
    });
    // Not vacuous: each page carries its own ticket's symbol.
    expect(pages[0]?.rectangles).not.toEqual(pages[1]?.rectangles);
  });

  it('does not crash on a Japanese title and venue, and keeps what the font can show', async () => {
    const data = await input({
      title: '東京ジャズ・ナイト Live',
      venue: { name: 'ブルーノート東京', city: 'Tōkyō', country: 'JP' },
    });
    const bytes = await renderTicketsPdf(data);
    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(3);
    expect(pages[0]?.lines).toContain('? Live');
    expect(pages[0]?.lines).toContain('?');
    expect(pages[0]?.lines).toContain('Tokyo, JP');
    // The document title is UTF-16 metadata and keeps every character.
    expect((await PDFDocument.load(bytes)).getTitle()).toBe('Tickets: 東京ジャズ・ナイト Live');
  });
});

describe('printable', () => {
  it('keeps WinAnsi, strips or transliterates what Helvetica lacks, and never throws', async () => {
    const font = await helvetica();
    const cases: [string, string][] = [
      ['Café € “quoted” – ok', 'Café € “quoted” – ok'],
      ['Łódź Kraków', 'Lódz Kraków'],
      ['Şişli Őrség', 'Sisli Orség'],
      ['ﬁne ＡＢＣ', 'fine ABC'],
      ['8:00\u202fPM\u2009–\u2009\u00a0late', '8:00 PM – late'],
      ['A → B', 'A -> B'],
      ['東京 Jazz 🎷 night', '? Jazz ? night'],
      ['Zero\u200bwidth\u0007bell', 'Zerowidthbell'],
      ['Cafe\u0301 Zoe\u0308 x\u0323', 'Café Zoë x'],
    ];
    for (const [given, shown] of cases) {
      expect(printable(given, font)).toBe(shown);
      expect(() => font.encodeText(printable(given, font))).not.toThrow();
    }
    // The check is not vacuous: the raw text would have thrown.
    expect(() => font.encodeText('東京')).toThrow();
  });
});

describe('wrapLines', () => {
  it('keeps every line within the width, breaking a word only when it alone is too wide', async () => {
    const font = await helvetica();
    const text = `A rather long event title that needs two lines ${'W'.repeat(60)}`;
    const lines = wrapLines(text, font, 22, 300);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 22)).toBeLessThanOrEqual(300);
    // Nothing lost: the same characters, spaces apart.
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    // Words stay whole where they fit: only the 60 W's are cut.
    const cut = lines.findIndex((line) => line.includes('W'));
    expect(lines.slice(0, cut).join(' ')).toBe('A rather long event title that needs two lines');
    expect(lines.slice(cut).every((line) => /^W+$/.test(line))).toBe(true);
    expect(lines.length - cut).toBeGreaterThan(1);
  });
});
