/**
 * The demo event of `npm run dev`, created and published through the public organizer API
 * (docs/API.md) as the demo organizer, once the dev server answers.
 */
import { readFileSync } from 'node:fs';
import { DEMO_SITE_ORIGIN } from './demo-site.mjs';

export const DEMO_EVENT_SLUG = 'night-owls-live';

/** @typedef {Record<string, unknown>} Json */
/** @typedef {{ status: number, body: unknown, text: string }} ApiResponse */
/** @typedef {(method: string, pathname: string, body?: unknown) => Promise<ApiResponse>} Request */

/** @param {unknown} value @returns {Json} */
const asJson = (value) => (typeof value === 'object' && value !== null ? { ...value } : {});

/** @param {Date} date */
const isoSeconds = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The demo catalog (the example body of API.md), shared with the tests. */
const DEMO_CATALOG = /** @type {Record<string, unknown>} */ (
  JSON.parse(readFileSync(new URL('../demo-event.json', import.meta.url), 'utf8'))
);

/** The demo event, about three months ahead so it stays on sale. */
function demoEventBody(now = new Date()) {
  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, now.getUTCDate(), 19),
  );
  const end = new Date(start.getTime() + 4 * 60 * 60 * 1000);
  return {
    ...DEMO_CATALOG,
    slug: DEMO_EVENT_SLUG,
    description: 'A late-night showcase of six bands, seeded by `npm run dev` to try Tessera.',
    startsAt: isoSeconds(start),
    endsAt: isoSeconds(end),
    allowedOrigins: [DEMO_SITE_ORIGIN],
  };
}

/**
 * @param {string} baseUrl
 * @param {string} apiKey
 * @returns {Request}
 */
export function apiClient(baseUrl, apiKey) {
  return async (method, pathname, body) => {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    /** @type {unknown} */
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
}

/**
 * The response body, or a readable error unless the status is one of the expected ones.
 * @param {ApiResponse} res
 * @param {number[]} statuses
 * @param {string} what
 */
function expect(res, statuses, what) {
  const body = asJson(res.body);
  if (statuses.includes(res.status)) return body;
  const reason = body.detail ?? body.title ?? res.text.slice(0, 200);
  throw new Error(`${what} answered ${res.status}${reason ? `: ${reason}` : ''}`);
}

/**
 * A draft left by an earlier, interrupted seed is not public; find it among ours.
 * @param {Request} request
 * @param {string} slug
 */
async function findOwnEvent(request, slug) {
  const res = await request('GET', '/api/v1/organizer/events');
  if (res.status !== 200) return undefined;
  const list = Array.isArray(res.body)
    ? res.body
    : Object.values(asJson(res.body)).find(Array.isArray);
  return list?.map(asJson).find((event) => event.slug === slug);
}

/**
 * A demo event seeded before the widget existed gets the demo site's origin added.
 * @param {Request} request
 * @param {Record<string, unknown>} publicView
 */
async function allowDemoSite(request, publicView) {
  if (typeof publicView.id !== 'string') return;
  const eventPath = `/api/v1/organizer/events/${publicView.id}`;
  const own = expect(await request('GET', eventPath), [200], `GET ${eventPath}`);
  const origins = Array.isArray(own.allowedOrigins) ? own.allowedOrigins.map(String) : [];
  if (origins.includes(DEMO_SITE_ORIGIN)) return;
  const body = { allowedOrigins: [...origins, DEMO_SITE_ORIGIN] };
  expect(await request('PATCH', eventPath, body), [200], `PATCH ${eventPath}`);
}

/**
 * Creates and publishes the demo event unless it is already on sale; says what it did.
 * @param {Request} request
 */
export async function seedDemoEvent(request) {
  const publicView = await request('GET', `/api/v1/events/${DEMO_EVENT_SLUG}`);
  const visible = expect(publicView, [200, 404], `GET /api/v1/events/${DEMO_EVENT_SLUG}`);
  if (publicView.status === 200 && visible.status !== 'draft') {
    await allowDemoSite(request, visible);
    return 'already there';
  }

  let event = publicView.status === 200 ? visible : await findOwnEvent(request, DEMO_EVENT_SLUG);
  if (!event) {
    const created = await request('POST', '/api/v1/organizer/events', demoEventBody());
    event = expect(created, [201], 'POST /api/v1/organizer/events');
  }
  if (typeof event.id !== 'string') throw new Error('the created event has no `id`');
  if (event.status !== 'on_sale') {
    const publishPath = `/api/v1/organizer/events/${event.id}/publish`;
    expect(await request('POST', publishPath), [200, 201, 204], `POST ${publishPath}`);
  }
  return 'created and published';
}
