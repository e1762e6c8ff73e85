import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOrganizer, createPublishedEvent } from '../../test/support/api';
import { createDb } from '../db/client';
import { reviewsOf } from './conflicts';
import { createDevice, deviceNames } from './devices';

describe('reviews of a page of conflicts', () => {
  it('reads 200 ids in one query (more than D1 binds) and only those asked for', async () => {
    const db = createDb(env.DB);
    const { auth } = await createOrganizer();
    const eventId = (await createPublishedEvent(auth)).id;
    await env.DB.batch(
      [3, 150, 201].map((id) =>
        env.DB.prepare(
          "INSERT INTO door_conflict_reviews (event_id, conflict_id, reviewed_by, reviewed_at) VALUES (?, ?, 'per_x', '2027-03-01T20:00:00Z')",
        ).bind(eventId, id),
      ),
    );
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const reviews = await reviewsOf(db, eventId, ids);
    expect([...reviews.keys()].sort((a, b) => a - b)).toEqual([3, 150]);
    expect(reviews.get(3)).toEqual({ reviewedAt: '2027-03-01T20:00:00Z', reviewedBy: 'per_x' });
  });
});

describe('device names of a page of conflicts', () => {
  it('reads 150 device ids (more than D1 binds in one query) and names only this event’s', async () => {
    const db = createDb(env.DB);
    const { organizerId, auth } = await createOrganizer();
    const eventId = (await createPublishedEvent(auth)).id;
    const other = (await createPublishedEvent(auth)).id;
    const made = await createDevice(
      db,
      { eventId, organizerId, createdBy: 'per_x', name: 'North 1' },
      null,
      [],
    );
    const foreign = await createDevice(
      db,
      { eventId: other, organizerId, createdBy: 'per_x', name: 'Elsewhere' },
      null,
      [],
    );
    const unknown = Array.from({ length: 148 }, (_, i) => `dev_unknown${i}`);
    const names = await deviceNames(db, eventId, [...unknown, made.row.id, foreign.row.id]);
    expect([...names.entries()]).toEqual([[made.row.id, 'North 1']]);
  });
});
