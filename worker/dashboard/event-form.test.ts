import { describe, expect, it } from 'vitest';
import { createEventSchema, patchEventSchema } from '../catalog/event-input';
import { fieldErrors } from '../http/validate';
import {
  type EditableEvent,
  errorsByField,
  eventFormValues,
  type FormFields,
  moveIntent,
  moveTypeRow,
  readEventForm,
} from './event-form';

const base: FormFields = {
  title: 'Night Owls Live',
  slug: '',
  description: 'Loud.',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  startsAt: '2027-03-01T20:00',
  endsAt: '2027-03-01T23:30',
  salesStartAt: '',
  salesEndAt: '',
  holdMinutes: '10',
  maxPerOrder: '8',
  'venue.name': 'Halle 7',
  'venue.address': '',
  'venue.city': 'Berlin',
  'venue.country': 'de',
  'types.0.name': 'General admission',
  'types.0.key': '',
  'types.0.price': '39.00',
  'types.0.capacity': '500',
  'types.1.name': 'VIP',
  'types.1.key': 'vip',
  'types.1.price': '99',
  'types.1.capacity': '50',
  'types.2.name': '',
  'types.2.key': '',
  'types.2.price': '',
  'types.2.capacity': '',
  'quotas.present': '1',
  'quotas.0.name': 'Venue',
  'quotas.0.size': '520',
  'quotas.0.types': ['general-admission', 'vip'],
  'quotas.1.name': '',
  'quotas.1.size': '',
  'waitingRoom.mode': 'auto',
  'waitingRoom.activeLimit': '300',
  'waitingRoom.admitPerMinute': '',
  allowedOrigins: 'https://nightowls.example\r\n\r\nhttp://localhost:8788 ',
};

describe('the event form', () => {
  it('reads into a body the API accepts, in UTC, in minor units, without blank rows', () => {
    const read = readEventForm(base);
    expect(read.errors).toEqual([]);
    const parsed = createEventSchema.parse(read.body);
    expect(parsed).toMatchObject({
      slug: 'night-owls-live',
      startsAt: '2027-03-01T19:00:00.000Z',
      endsAt: '2027-03-01T22:30:00.000Z',
      salesStartAt: null,
      maxPerOrder: 8,
      venue: { name: 'Halle 7', city: 'Berlin', country: 'DE' },
      ticketTypes: [
        { key: 'general-admission', name: 'General admission', priceMinor: 3900, capacity: 500 },
        { key: 'vip', name: 'VIP', priceMinor: 9900, capacity: 50 },
      ],
      quotas: [{ name: 'Venue', size: 520, ticketTypes: ['general-admission', 'vip'] }],
      waitingRoom: { mode: 'auto', activeLimit: 300 },
      allowedOrigins: ['https://nightowls.example', 'http://localhost:8788'],
    });
  });

  it('reports what it can not read on the field that caused it', () => {
    const read = readEventForm({
      ...base,
      startsAt: '2027-02-30T20:00',
      'types.1.price': '99.999',
      'types.1.capacity': 'lots',
    });
    expect(errorsByField(read.errors, read)).toEqual({
      startsAt: 'Enter a date and time',
      'types.1.price': 'At most 2 decimal places',
      'types.1.capacity': 'Enter a whole number',
    });
  });

  it('maps the schema’s paths back onto the rows the organizer typed in', () => {
    // Row 0 is blank and skipped, so body index 0 is form row 1.
    const read = readEventForm({
      ...base,
      'types.0.name': '',
      'types.0.price': '',
      'types.0.capacity': '',
      'types.1.name': '   ',
      'quotas.0.types': ['vip', 'nope'],
      allowedOrigins: 'ftp://example.org',
    });
    const result = createEventSchema.safeParse(read.body);
    expect(result.success).toBe(false);
    const byField = errorsByField(result.success ? [] : fieldErrors(result.error), read);
    expect(Object.keys(byField).sort()).toEqual(['allowedOrigins', 'types.1.name']);
  });

  it('shows an event as it reads it back: values round-trip through the patch schema', () => {
    const event: EditableEvent = {
      title: 'Night Owls Live',
      slug: 'night-owls-live',
      description: '',
      startsAt: '2027-07-01T19:00:00.000Z',
      endsAt: null,
      timezone: 'Europe/Berlin',
      currency: 'JPY',
      venue: { name: 'Halle 7', country: 'DE' },
      salesStartAt: '2027-06-01T08:00:00.000Z',
      salesEndAt: null,
      holdMinutes: 10,
      maxPerOrder: 10,
      maxHeldPerClient: null,
      ticketTypes: [{ id: 'tt_1', key: 'ga', name: 'GA', priceMinor: 5000, capacity: 100 }],
      quotas: [{ name: 'Floor', size: 80, ticketTypes: ['ga'] }],
      waitingRoom: { mode: 'always', activeLimit: 200 },
      allowedOrigins: ['https://example.org'],
    };
    const values = eventFormValues(event);
    expect(values.startsAt).toBe('2027-07-01T21:00');
    expect(values['types.0.price']).toBe('5000');
    const read = readEventForm(values);
    expect(read.errors).toEqual([]);
    const patch = patchEventSchema.parse(read.body);
    expect(patch).toMatchObject({
      startsAt: event.startsAt,
      salesStartAt: event.salesStartAt,
      endsAt: null,
      ticketTypes: [{ id: 'tt_1', key: 'ga', name: 'GA', priceMinor: 5000, capacity: 100 }],
      quotas: event.quotas,
      waitingRoom: event.waitingRoom,
      allowedOrigins: event.allowedOrigins,
    });
  });
});

describe('moving a ticket-type row', () => {
  const rows = {
    'types.0.name': 'A',
    'types.0.id': 'tt_a',
    'types.2.name': 'C',
    'types.2.hidden': '1',
    title: 'T',
  };

  it('swaps every value of a row with its neighbour; the ends stay put', () => {
    expect(moveTypeRow(rows, 2, 'up')).toEqual({
      'types.2.name': 'A',
      'types.2.id': 'tt_a',
      'types.0.name': 'C',
      'types.0.hidden': '1',
      title: 'T',
    });
    expect(moveTypeRow(rows, 0, 'up')).toBe(rows);
    expect(moveTypeRow(rows, 2, 'down')).toBe(rows);
  });

  it('reads only well-formed move intents', () => {
    expect(moveIntent({ intent: 'move-type:2:down' })).toEqual({ row: 2, direction: 'down' });
    expect(moveIntent({ intent: 'move-type:x:up' })).toBeNull();
    expect(moveIntent({ intent: 'save' })).toBeNull();
  });
});

describe('the test mode checkbox', () => {
  it('reads checked as true and unchecked (nothing sent) as false, only with its marker', () => {
    const marker = { 'testMode.present': '1' };
    expect(readEventForm({ ...base, ...marker, testMode: '1' }).body.testMode).toBe(true);
    expect(readEventForm({ ...base, ...marker }).body.testMode).toBe(false);
    expect(readEventForm(base).body).not.toHaveProperty('testMode');
  });

  it('shows an event’s test mode as it reads it back', () => {
    const event: EditableEvent = {
      title: 'T',
      slug: 't',
      description: '',
      startsAt: '2027-07-01T19:00:00.000Z',
      endsAt: null,
      timezone: 'UTC',
      currency: 'EUR',
      venue: { name: 'V' },
      salesStartAt: null,
      salesEndAt: null,
      holdMinutes: 10,
      maxPerOrder: 10,
      maxHeldPerClient: null,
      ticketTypes: [{ id: 'tt_1', key: 'ga', name: 'GA', priceMinor: 5000, capacity: 100 }],
      quotas: [],
      waitingRoom: { mode: 'off' },
      allowedOrigins: [],
    };
    for (const testMode of [true, false]) {
      const read = readEventForm(eventFormValues({ ...event, testMode }));
      expect(patchEventSchema.parse(read.body)).toMatchObject({ testMode });
    }
  });
});
