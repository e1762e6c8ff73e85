import { env, SELF } from 'cloudflare:test';
import demoCatalog from '../../scripts/demo-event.json';
import { createDb } from '../../worker/db/client';
import { apiKeys, organizers } from '../../worker/db/schema';
import { sha256Hex } from '../../worker/domain/crypto';
import { newId, randomToken } from '../../worker/domain/ids';
import { type JsonResponse, readJsonResponse } from './json-response';

export type { JsonResponse };

export const BASE = 'https://tessera.test';

/** Calls the Worker as a client would (through its fetch handler, in the Workers runtime). */
export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  return readJsonResponse<T>(await SELF.fetch(`${BASE}${path}`, { method, headers, body }));
}

/** A fresh organizer with an API key (storage is shared by the tests of one file). */
export async function createOrganizer(
  name = 'Test Organizer',
): Promise<{ organizerId: string; apiKey: string; auth: Record<string, string> }> {
  const db = createDb(env.DB);
  const organizerId = newId('org');
  const apiKey = `tsk_test_${randomToken(32)}`;
  await db.batch([
    db.insert(organizers).values({ id: organizerId, name }),
    db
      .insert(apiKeys)
      .values({ id: newId('key'), organizerId, keyHash: await sha256Hex(apiKey), label: 'test' }),
  ]);
  return { organizerId, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}

export function eventBody(overrides: Record<string, unknown> = {}) {
  return {
    ...demoCatalog,
    slug: `night-owls-${randomToken(8)}`,
    description: 'A night of music.',
    startsAt: '2027-03-01T19:00:00Z',
    endsAt: '2027-03-01T23:00:00Z',
    ...overrides,
  };
}

export interface CreatedEvent {
  id: string;
  slug: string;
  ticketTypes: { id: string; key: string; priceMinor: number; capacity: number }[];
}

/** Creates and publishes an event through the organizer API. */
export async function createPublishedEvent(
  auth: Record<string, string>,
  overrides: Record<string, unknown> = {},
): Promise<CreatedEvent> {
  const created = await call<CreatedEvent>('POST', '/api/v1/organizer/events', {
    body: eventBody(overrides),
    headers: auth,
  });
  if (created.status !== 201)
    throw new Error(`create event: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await call('POST', `/api/v1/organizer/events/${created.body.id}/publish`, {
    headers: auth,
  });
  if (published.status !== 200) throw new Error(`publish: ${published.status}`);
  return created.body;
}

/** Polls until `check` returns a value (queues deliver asynchronously in Miniflare). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function typeId(event: CreatedEvent, key: string): string {
  const type = event.ticketTypes.find((t) => t.key === key);
  if (!type) throw new Error(`no ticket type ${key}`);
  return type.id;
}
