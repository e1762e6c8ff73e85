import { createEvent } from 'ics';
import type { EventRow } from '../catalog/event-record';
import { formatVenue } from '../notifications/templates';
import { TEST_MODE_NOTICE } from '../payments/availability';

/** How long an event without an end is assumed to last in the buyer's calendar. */
export const DEFAULT_EVENT_HOURS = 3;

export interface CalendarInput {
  event: Pick<EventRow, 'id' | 'title' | 'startsAt' | 'endsAt' | 'venue'>;
  orderId: string;
  /** The buyer's order page (with its token): the buyer already holds this link. */
  orderUrl: string;
  /** A test-mode order: the entry's title and text say TEST. */
  testMode?: boolean;
}

/**
 * The event as an iCalendar file (RFC 5545) for the buyer's calendar: start and end in UTC,
 * title, venue as location, a link to the order. Its UID is fixed per order and event, so
 * a second download updates the entry instead of adding another. Nothing about the buyer
 * (name, email) goes in: calendars are shared and synced.
 */
export function eventCalendar(input: CalendarInput): string {
  const { event, orderId, orderUrl } = input;
  const test = input.testMode ? `${TEST_MODE_NOTICE}\n` : '';
  const start = Date.parse(event.startsAt);
  const end = event.endsAt ? Date.parse(event.endsAt) : start + DEFAULT_EVENT_HOURS * 3_600_000;
  const { error, value } = createEvent({
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: input.testMode ? `[TEST] ${event.title}` : event.title,
    location: formatVenue(event.venue),
    description: `${test}Your order and tickets: ${orderUrl}`,
    url: orderUrl,
    uid: calendarUid(event.id, orderId, orderUrl),
    productId: '-//Tessera//Tickets//EN',
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
  });
  // Our own input is always valid; a failure here is a bug, not the buyer's.
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  return value;
}

/** `<order>.<event>@<host>`: stable across downloads, unique per purchase. */
export function calendarUid(eventId: string, orderId: string, orderUrl: string): string {
  return `${orderId}.${eventId}@${new URL(orderUrl).hostname}`;
}
