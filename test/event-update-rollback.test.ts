import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createOrganizer, createPublishedEvent, typeId } from './support/api';
import { holdTickets } from './support/purchase';
import { dumpD1, dumpEventObjects } from './support/storage-dump';

/**
 * PATCH reconfigures the event's Durable Object first, then writes D1 in one batch. When the
 * batch fails, the object must be put back as it was: capacities, settings and the room, with
 * the holds it had. The failure is made at write time by a trigger (the checks before the
 * batch all pass), like another event taking the slug between the check and the write.
 */

const TRIGGER = 'test_fail_event_update';

afterEach(async () => {
  await env.DB.prepare(`DROP TRIGGER IF EXISTS ${TRIGGER}`).run();
});

/** Makes the next matching write in D1 fail with `message`, as SQLite would. */
async function failWrites(on: string, message: string): Promise<void> {
  await env.DB.prepare(
    `CREATE TRIGGER ${TRIGGER} BEFORE ${on} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
  ).run();
}

async function storage(eventId: string) {
  const [d1, objects] = await Promise.all([dumpD1(), dumpEventObjects([eventId])]);
  return { d1, object: objects.watched[eventId] };
}

const cases = [
  {
    name: 'the slug taken between the check and the write',
    on: 'UPDATE OF slug ON events',
    message: 'UNIQUE constraint failed: events.slug',
    answer: { status: 409, code: 'slug_taken' },
  },
  {
    name: 'the last statement of the batch failing',
    on: 'INSERT ON audit_log',
    message: 'simulated write failure',
    answer: { status: 500 },
  },
];

describe('PATCH /api/v1/organizer/events/:id when the D1 batch fails', () => {
  it.each(cases)('$name: the object is configured as before', async ({ on, message, answer }) => {
    const { auth } = await createOrganizer();
    const event = await createPublishedEvent(auth);
    expect((await holdTickets(event, 'ga', 2)).status).toBe(201);
    const patch = {
      slug: `moved-${crypto.randomUUID().slice(0, 8)}`,
      holdMinutes: 5,
      maxPerOrder: 3,
      ticketTypes: [
        { id: typeId(event, 'ga'), capacity: 100 },
        { key: 'balcony', name: 'Balcony', priceMinor: 2900, capacity: 30 },
      ],
      waitingRoom: { mode: 'always' },
    };
    const path = `/api/v1/organizer/events/${event.id}`;
    const before = await storage(event.id);

    await failWrites(on, message);
    const refused = await call('PATCH', path, { headers: auth, body: patch });
    expect(refused.status, JSON.stringify(refused.body)).toBe(answer.status);
    if (answer.code) expect(refused.body).toMatchObject({ code: answer.code });
    await env.DB.prepare(`DROP TRIGGER ${TRIGGER}`).run();
    expect(await storage(event.id)).toEqual(before);

    // Control: the same change, once D1 takes it, does reach the object.
    const applied = await call('PATCH', path, { headers: auth, body: patch });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const after = await storage(event.id);
    expect(after.object?.settings).not.toEqual(before.object?.settings);
    expect(after.object?.ticket_types).not.toEqual(before.object?.ticket_types);
    expect(after.object?.room).not.toEqual(before.object?.room);
  });
});
