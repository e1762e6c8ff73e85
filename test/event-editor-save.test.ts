import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { organizerEventView } from '../worker/catalog/event-record';
import { eventFormValues, type FormFields } from '../worker/dashboard/event-form';
import { saveEventForm } from '../worker/dashboard/save-event';
import { createDb } from '../worker/db/client';
import { events } from '../worker/db/schema';
import { call, createOrganizer, typeId } from './support/api';

const db = createDb(env.DB);

function form(overrides: FormFields = {}): FormFields {
  return {
    title: 'Editor Night',
    slug: '',
    description: '',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    startsAt: '2027-09-10T20:00',
    endsAt: '',
    salesStartAt: '',
    salesEndAt: '',
    holdMinutes: '10',
    maxPerOrder: '6',
    'venue.name': 'Halle 7',
    'venue.city': 'Berlin',
    'types.0.name': 'General admission',
    'types.0.price': '25.00',
    'types.0.capacity': '100',
    'types.1.name': 'Balcony',
    'types.1.price': '35',
    'types.1.capacity': '20',
    'quotas.present': '1',
    'quotas.0.name': 'Venue',
    'quotas.0.size': '110',
    'quotas.0.types': ['general-admission', 'balcony'],
    'waitingRoom.mode': 'off',
    allowedOrigins: '',
    ...overrides,
  };
}

const countEvents = async () => (await db.select({ id: events.id }).from(events)).length;

describe('saving the event editor’s form', () => {
  it('creates the event the API would, with a shared quota', async () => {
    const { organizerId, auth } = await createOrganizer();
    const saved = await saveEventForm(db, env, organizerId, form({ slug: 'editor-night' }));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const read = await call('GET', `/api/v1/organizer/events/${saved.record.event.id}`, {
      headers: auth,
    });
    expect(read.body).toMatchObject({
      slug: 'editor-night',
      status: 'draft',
      startsAt: '2027-09-10T18:00:00.000Z',
      ticketTypes: [
        { key: 'general-admission', priceMinor: 2500, capacity: 100 },
        { key: 'balcony', priceMinor: 3500, capacity: 20 },
      ],
      quotas: [{ name: 'Venue', size: 110, ticketTypes: ['general-admission', 'balcony'] }],
    });
  });

  it('refuses per field and writes nothing', async () => {
    const { organizerId } = await createOrganizer();
    const before = await countEvents();
    const saved = await saveEventForm(
      db,
      env,
      organizerId,
      form({ title: ' ', 'types.1.price': 'free', 'quotas.0.types': ['nope'] }),
    );
    expect(saved.ok).toBe(false);
    expect(saved.ok ? {} : saved.errors).toMatchObject({
      title: expect.any(String),
      'types.1.price': expect.any(String),
    });
    expect(await countEvents()).toBe(before);
  });

  it('names an unknown quota member on the quota that has it', async () => {
    const { organizerId } = await createOrganizer();
    const saved = await saveEventForm(db, env, organizerId, form({ 'quotas.0.types': ['nope'] }));
    expect(saved.ok ? {} : saved.errors).toEqual({
      'quotas.0.types': 'No ticket type with key "nope"',
    });
  });

  it('puts a taken slug on the slug field', async () => {
    const { organizerId } = await createOrganizer();
    const first = await saveEventForm(db, env, organizerId, form({ slug: 'taken-slug' }));
    expect(first.ok).toBe(true);
    const second = await saveEventForm(db, env, organizerId, form({ slug: 'taken-slug' }));
    expect(second.ok ? {} : second.errors).toEqual({ slug: 'Another event uses it' });
  });

  it('refuses a capacity below sold plus held on that ticket type’s row', async () => {
    const { organizerId, auth } = await createOrganizer();
    const saved = await saveEventForm(db, env, organizerId, form({ slug: 'capacity-night' }));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const eventId = saved.record.event.id;
    await call('POST', `/api/v1/organizer/events/${eventId}/publish`, { headers: auth });
    const view = organizerEventView(saved.record);
    const hold = await call('POST', `/api/v1/events/${eventId}/holds`, {
      body: { items: [{ ticketTypeId: typeId(view, 'balcony'), quantity: 5 }] },
    });
    expect(hold.status).toBe(201);

    const values = eventFormValues({ ...view, venue: view.venue });
    const balconyRow = view.ticketTypes.findIndex((t) => t.key === 'balcony');
    const edited = await saveEventForm(
      db,
      env,
      organizerId,
      { ...values, [`types.${balconyRow}.capacity`]: '3' },
      eventId,
    );
    expect(edited.ok ? {} : edited.errors).toEqual({
      [`types.${balconyRow}.capacity`]: 'Can’t go below 5 (sold plus held)',
    });
  });
});
