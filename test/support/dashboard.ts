import { env, SELF } from 'cloudflare:test';
import { beforeAll } from 'vitest';
import type { Role } from '../../worker/access/roles';
import { SESSION_COOKIE, signSessionToken } from '../../worker/access/session-token';
import { newId, randomToken } from '../../worker/domain/ids';
import { BASE, createOrganizer, waitFor } from './api';

/** What a browser on our own pages sends with a form. */
export const SAME_ORIGIN = { origin: BASE, 'sec-fetch-site': 'same-origin' };

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  /** The session cookie's value when the answer set one. */
  setCookie: string | null;
}

async function read(res: Response): Promise<PageResponse> {
  return {
    status: res.status,
    headers: res.headers,
    text: await res.text(),
    location: res.headers.get('location'),
    setCookie: res.headers.get('set-cookie'),
  };
}

/** GET a dashboard page as a browser would (redirects not followed). */
export async function page(
  path: string,
  cookie?: string | null,
  headers: Record<string, string> = {},
) {
  return read(
    await SELF.fetch(`${BASE}${path}`, {
      redirect: 'manual',
      headers: { ...headers, ...(cookie ? { cookie } : {}) },
    }),
  );
}

/** POST a form (urlencoded) from our own origin unless `headers` says otherwise. */
export async function postForm(
  path: string,
  fields: Record<string, string | string[]>,
  options: { cookie?: string | null; headers?: Record<string, string> } = {},
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return read(
    await SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...SAME_ORIGIN,
        'cf-connecting-ip': `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
        ...options.headers,
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
      body,
    }),
  );
}

/** `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookiePair(setCookie: string | null): string {
  if (!setCookie) throw new Error('no Set-Cookie in the answer');
  return setCookie.split(';')[0] ?? '';
}

export const uniqueEmail = (label = 'person') => `${label}-${randomToken(8)}@example.com`;

/** The newest link mailed to `email`: waits for the NOTIFICATIONS consumer to deliver it. */
export async function mailedToken(email: string, after = ''): Promise<string> {
  return waitFor(async () => {
    const row = await env.DB.prepare(
      `SELECT text FROM mail_outbox WHERE to_address = ? AND created_at > ?
       ORDER BY created_at DESC LIMIT 1`,
    )
      .bind(email, after)
      .first<{ text: string }>();
    return row ? /\/dashboard\/auth\?token=([0-9a-z]{32})/.exec(row.text)?.[1] : undefined;
  });
}

/** When the newest mail to `email` was stored ('' for none): pass it to `mailedToken`. */
export async function lastMailAt(email: string): Promise<string> {
  const row = await env.DB.prepare(
    'SELECT max(created_at) AS at FROM mail_outbox WHERE to_address = ?',
  )
    .bind(email)
    .first<{ at: string | null }>();
  return row?.at ?? '';
}

/** Email -> link -> session: the cookie of a fresh session. */
export async function signIn(email: string): Promise<string> {
  const since = await lastMailAt(email);
  const requested = await postForm('/dashboard/sign-in', { email });
  if (requested.status !== 303) throw new Error(`sign-in: ${requested.status}`);
  const token = await mailedToken(email, since);
  const landed = await postForm('/dashboard/auth', { token });
  if (landed.status !== 303) throw new Error(`auth: ${landed.status} ${landed.text.slice(0, 200)}`);
  return cookiePair(landed.setCookie);
}

export interface Workspace {
  cookie: string;
  organizerId: string;
  email: string;
}

/** Signs a new person up and creates their workspace; they are its owner. */
export async function signUpWithWorkspace(name = 'Night Owls'): Promise<Workspace> {
  const email = uniqueEmail('owner');
  const cookie = await signIn(email);
  const slug = `ws-${randomToken(10)}`;
  const created = await postForm(
    '/dashboard/workspaces/new',
    { name, slug, country: 'DE', currency: 'EUR', timezone: 'Europe/Berlin' },
    { cookie },
  );
  if (created.status !== 303) throw new Error(`workspace: ${created.status} ${created.text}`);
  const row = await env.DB.prepare('SELECT id FROM organizers WHERE slug = ?')
    .bind(slug)
    .first<{ id: string }>();
  if (!row) throw new Error('workspace not created');
  return { cookie, organizerId: row.id, email };
}

/**
 * A member of a workspace with a live session, written straight to D1 (the sign-in path has
 * its own tests): the cookie and the membership id.
 */
export async function memberSession(
  organizerId: string,
  role: Role,
  eventScope: string[] | null = null,
): Promise<{ cookie: string; memberId: string; personId: string; email: string }> {
  const personId = newId('per');
  const memberId = newId('mem');
  const sessionId = newId('ses');
  const email = uniqueEmail(role);
  const now = new Date();
  const expires = new Date(now.getTime() + 86_400_000);
  await env.DB.batch([
    env.DB.prepare('INSERT INTO people (id, email) VALUES (?, ?)').bind(personId, email),
    env.DB.prepare(
      'INSERT INTO memberships (id, person_id, organizer_id, role, event_scope) VALUES (?, ?, ?, ?, ?)',
    ).bind(memberId, personId, organizerId, role, eventScope ? JSON.stringify(eventScope) : null),
    env.DB.prepare(
      'INSERT INTO sessions (id, person_id, organizer_id, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).bind(sessionId, personId, organizerId, now.toISOString(), expires.toISOString()),
  ]);
  const token = await signSessionToken(env, sessionId, expires);
  return { cookie: `${SESSION_COOKIE}=${token}`, memberId, personId, email };
}

/** An admin API key of a workspace, to set events up through the organizer API. */
export async function workspaceApiKey(organizerId: string): Promise<Record<string, string>> {
  const key = await createOrganizer();
  await env.DB.prepare('UPDATE api_keys SET organizer_id = ? WHERE organizer_id = ?')
    .bind(organizerId, key.organizerId)
    .run();
  return key.auth;
}

export interface DashboardWorld {
  /** The workspace, its owner signed in. */
  ws: Workspace;
  /** An admin API key of it, to set events up through the organizer API. */
  auth: Record<string, string>;
}

/**
 * A dashboard test file's world, made once in its `beforeAll` (storage is per file): call at
 * the top of the file, read `world.ws` and `world.auth` in the tests.
 */
export function dashboardWorld(name: string): DashboardWorld {
  const world = {} as DashboardWorld;
  beforeAll(async () => {
    world.ws = await signUpWithWorkspace(name);
    world.auth = await workspaceApiKey(world.ws.organizerId);
  });
  return world;
}
