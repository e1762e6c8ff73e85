import { describe, expect, it } from 'vitest';
import { call, createOrganizer, createPublishedEvent, eventBody, typeId } from './support/api';

const EVENTS = '/api/v1/organizer/events';

async function holdOne(eventId: string, ticketTypeId: string) {
  return call('POST', `/api/v1/events/${eventId}/holds`, {
    body: { items: [{ ticketTypeId, quantity: 1 }] },
  });
}

describe('an event’s life after creation', () => {
  it('takes an event off sale and back on: holds stop and start again', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    expect((await holdOne(event.id, typeId(event, 'ga'))).status).toBe(201);

    const off = await call(`POST`, `${EVENTS}/${event.id}/unpublish`, { headers: auth });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('draft');
    expect((await holdOne(event.id, typeId(event, 'ga'))).status).not.toBe(201);

    const again = await call('POST', `${EVENTS}/${event.id}/unpublish`, { headers: auth });
    expect(again.status).toBe(200);

    expect((await call('POST', `${EVENTS}/${event.id}/publish`, { headers: auth })).status).toBe(
      200,
    );
    expect((await holdOne(event.id, typeId(event, 'ga'))).status).toBe(201);
  });

  it('cancels for good: no holds, no publishing, no unpublishing', async () => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    const canceled = await call('POST', `${EVENTS}/${event.id}/cancel`, { headers: auth });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect((await holdOne(event.id, typeId(event, 'ga'))).status).not.toBe(201);
    for (const step of ['publish', 'unpublish']) {
      const refused = await call('POST', `${EVENTS}/${event.id}/${step}`, { headers: auth });
      expect(refused.status, step).toBe(409);
      expect(refused.body.code).toBe('invalid_state');
    }
  });

  it('copies an event into a draft with the same catalog and a free slug', async () => {
    const { auth } = await createOrganizer();
    const created = await call<{ id: string; slug: string }>('POST', EVENTS, {
      body: eventBody(),
      headers: auth,
    });
    const source = await call<Record<string, unknown>>('GET', `${EVENTS}/${created.body.id}`, {
      headers: auth,
    });
    const first = await call<Record<string, unknown>>(
      'POST',
      `${EVENTS}/${created.body.id}/duplicate`,
      { headers: auth },
    );
    const second = await call<Record<string, unknown>>(
      'POST',
      `${EVENTS}/${created.body.id}/duplicate`,
      { headers: auth },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'draft',
      slug: `${created.body.slug}-copy`,
      title: `${source.body.title} (copy)`,
      startsAt: source.body.startsAt,
      waitingRoom: source.body.waitingRoom,
      allowedOrigins: source.body.allowedOrigins,
    });
    expect(second.body.slug).toBe(`${created.body.slug}-copy-2`);
    const strip = (types: unknown) =>
      (types as { key: string; name: string; priceMinor: number; capacity: number }[]).map(
        ({ key, name, priceMinor, capacity }) => ({ key, name, priceMinor, capacity }),
      );
    expect(strip(first.body.ticketTypes)).toEqual(strip(source.body.ticketTypes));
    expect((first.body.quotas as { ticketTypes: string[] }[]).map((q) => q.ticketTypes)).toEqual(
      (source.body.quotas as { ticketTypes: string[] }[]).map((q) => q.ticketTypes),
    );
    expect(first.body.id).not.toBe(created.body.id);
  });

  it('answers 404 for another organizer’s event, and changes nothing', async () => {
    const owner = await createOrganizer('Owner');
    const stranger = await createOrganizer('Stranger');
    const event = await createPublishedEvent(owner.auth);
    for (const step of ['unpublish', 'cancel', 'duplicate']) {
      const refused = await call('POST', `${EVENTS}/${event.id}/${step}`, {
        headers: stranger.auth,
      });
      expect(refused.status, step).toBe(404);
    }
    const still = await call('GET', `${EVENTS}/${event.id}`, { headers: owner.auth });
    expect(still.body.status).toBe('on_sale');
  });
});
