import type { Venue } from '../db/schema';
import { formatEventTime, formatPrice } from './format';

/** Small pieces the hosted pages share. Organizer text goes in as children: hono/jsx escapes it. */

/** What the header of a page needs to know about the event. */
export interface EventHeading {
  title: string;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  venue: Venue;
}

/** Title, date and time in the event's time zone, and the venue. */
export function EventHeader(props: { event: EventHeading; level?: 'h1' | 'h2' }) {
  const { event } = props;
  const where = [event.venue.address, event.venue.city, event.venue.country]
    .filter(Boolean)
    .join(', ');
  return (
    <header>
      {props.level === 'h2' ? <h2>{event.title}</h2> : <h1>{event.title}</h1>}
      <p>
        <time datetime={event.startsAt}>
          {formatEventTime(event.startsAt, event.endsAt, event.timezone)}
        </time>
        <br />
        <strong>{event.venue.name}</strong>
        {where ? <span class="muted">, {where}</span> : null}
      </p>
    </header>
  );
}

/** A notice in words; errors are announced to screen readers. */
export function Notice(props: { kind: 'info' | 'error'; children: string | string[] }) {
  return props.kind === 'error' ? (
    <p class="notice error" role="alert">
      {props.children}
    </p>
  ) : (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}

export interface ItemLine {
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

/** Items with quantities and prices, and the total. */
export function ItemsTable(props: { lines: ItemLine[]; totalMinor: number; currency: string }) {
  const { currency } = props;
  return (
    <table>
      <thead>
        <tr>
          <th>Tickets</th>
          <th class="num">Price</th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((line) => (
          <tr>
            <td>
              {line.quantity} × {line.name}
              {line.quantity > 1 && line.unitPriceMinor > 0 ? (
                <span class="muted small">
                  {' '}
                  ({formatPrice(line.unitPriceMinor, currency)} each)
                </span>
              ) : null}
            </td>
            <td class="num">{formatPrice(line.lineTotalMinor, currency)}</td>
          </tr>
        ))}
        <tr class="total">
          <td>Total</td>
          <td class="num">{formatPrice(props.totalMinor, currency)}</td>
        </tr>
      </tbody>
    </table>
  );
}
