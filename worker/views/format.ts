import type { OrderStatus } from '../db/schema';
import type { AvailabilityStatus } from '../domain/availability';
import { formatMoney } from '../domain/pricing';

/** Words and formats the hosted pages share. Buyers see words, never codes. */

const LOCALE = 'en';

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * When an event happens, in the EVENT's time zone (a buyer abroad must see the local time at
 * the venue), e.g. "Monday, March 1, 2027, 8:00 – 11:00 PM GMT+1".
 */
export function formatEventTime(startsAt: string, endsAt: string | null, timeZone: string): string {
  const format = new Intl.DateTimeFormat(LOCALE, { ...DATE_TIME, timeZone });
  const start = new Date(startsAt);
  return endsAt ? format.formatRange(start, new Date(endsAt)) : format.format(start);
}

/** One instant in the event's time zone, e.g. "Monday, March 1, 2027 at 8:00 PM GMT+1". */
export function formatInstant(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, { ...DATE_TIME, timeZone }).format(new Date(iso));
}

/** A time of day in the event's time zone, e.g. "8:10 PM GMT+1" (hold expiry). */
export function formatClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}

/** A price for people; zero reads "Free". */
export function formatPrice(minor: number, currency: string): string {
  return minor === 0 ? 'Free' : formatMoney(minor, currency, LOCALE);
}

/** Organizer text as paragraphs (split on blank lines) of lines; the page escapes each piece. */
export function paragraphs(text: string): string[][] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((block) =>
      block
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0);
}

/** The badge of a ticket type in words; null when there is nothing to say. */
export function availabilityWords(
  status: AvailabilityStatus,
  sale: {
    status: string;
    salesStartAt: string | null;
    salesEndAt: string | null;
    timezone: string;
  },
  now: number,
): string | null {
  switch (status) {
    case 'available':
      return null;
    case 'few_left':
      return 'Few left';
    case 'sold_out':
      return 'Sold out';
    case 'not_on_sale':
      if (sale.status === 'canceled') return 'Event canceled';
      if (sale.salesStartAt && now < Date.parse(sale.salesStartAt)) {
        return `On sale from ${formatInstant(sale.salesStartAt, sale.timezone)}`;
      }
      if (sale.salesEndAt && now >= Date.parse(sale.salesEndAt)) return 'Sales have ended';
      return 'Not on sale';
  }
}

/** An order's state as the buyer reads it: a label and one sentence on what it means. */
export const ORDER_STATUS_WORDS: Record<OrderStatus, { label: string; note: string }> = {
  pending_payment: {
    label: 'Awaiting payment',
    note: 'Your tickets are reserved while we wait for the payment confirmation.',
  },
  paid: { label: 'Paid', note: 'You are all set. Show a ticket code at the entrance.' },
  partially_refunded: {
    label: 'Partly refunded',
    note: 'Part of this order was refunded; the remaining tickets below are valid.',
  },
  refunded: {
    label: 'Refunded',
    note: 'This order was refunded; its tickets are no longer valid.',
  },
  expired: {
    label: 'Expired',
    note: 'The reservation ran out before a payment arrived, so these tickets were released.',
  },
  canceled: { label: 'Canceled', note: 'This order was canceled.' },
  refund_pending: {
    label: 'Being refunded',
    note: 'Your payment arrived after the tickets were gone. The money is on its way back to you.',
  },
};
