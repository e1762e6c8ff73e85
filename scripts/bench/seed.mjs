/**
 * The bench's data: a fresh database (migrations and an organizer with its API key, through
 * scripts/lib/d1.mjs), and its events created and published through the organizer API.
 */
import { randomBytes } from 'node:crypto';
import { prepareDatabase } from '../lib/d1.mjs';
import { d1, request } from './http.mjs';

/** The organizer API caps a ticket type at 1,000,000: far more than any phase sells. */
const BIG_CAPACITY = 1_000_000;

/** @typedef {import('./format.mjs').Json} Json */
/** @typedef {{ id: string, slug: string, ticketTypes: { id: string, key: string }[] }} BenchEvent */

/**
 * Migrates the database through the probe Worker and seeds the organizer.
 * @param {URL} base
 * @param {string} migrationsDir
 * @returns {Promise<{ apiKey: string, migrations: string[] }>}
 */
export async function seedDatabase(base, migrationsDir) {
  const organizer = {
    organizerId: `org_bench${randomBytes(8).toString('hex')}`,
    name: 'Bench',
    apiKey: `tsk_bench_${randomBytes(24).toString('hex')}`,
    label: 'bench',
  };
  const migrations = await prepareDatabase((statements) => d1(base, statements), {
    migrationsDir,
    organizer,
  });
  return { apiKey: organizer.apiKey, migrations };
}

/**
 * @param {URL} base
 * @param {string} apiKey
 * @param {string} slug
 * @param {Json} [waitingRoom]
 * @returns {Promise<BenchEvent>}
 */
export async function createPublishedEvent(base, apiKey, slug, waitingRoom = { mode: 'off' }) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const start = new Date(Date.now() + 90 * 24 * 3600 * 1000);
  start.setUTCHours(19, 0, 0, 0);
  const body = {
    title: `Bench ${slug}`,
    slug,
    description: 'Load benchmark event.',
    startsAt: start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    endsAt: null,
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    venue: { name: 'Bench Hall', city: 'Berlin', country: 'DE' },
    salesStartAt: null,
    salesEndAt: null,
    holdMinutes: 30,
    maxPerOrder: 10,
    ticketTypes: [{ key: 'ga', name: 'General', priceMinor: 3900, capacity: BIG_CAPACITY }],
    quotas: [{ name: 'Venue', size: BIG_CAPACITY, ticketTypes: ['ga'] }],
    waitingRoom,
  };
  const created = await request(base, 'POST', '/api/v1/organizer/events', body, auth);
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${created.text}`);
  const event = /** @type {BenchEvent} */ (/** @type {unknown} */ (created.body));
  const publish = `/api/v1/organizer/events/${event.id}/publish`;
  const published = await request(base, 'POST', publish, undefined, auth);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${published.text}`);
  return event;
}

/** @param {BenchEvent} event */
export function ticketTypeOf(event) {
  const type = event.ticketTypes.find((t) => t.key === 'ga') ?? event.ticketTypes[0];
  if (!type) throw new Error(`event ${event.id} has no ticket type`);
  return type.id;
}
