import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createPublishedEvent } from './support/api';
import {
  memberSession,
  page,
  postForm,
  signUpWithWorkspace,
  workspaceApiKey,
} from './support/dashboard';
import { bearer } from './support/door';

/** Pairing a door phone from the dashboard (docs/API.md "Door devices"). */

const NEW = (eventId: string) => `/dashboard/events/${eventId}/devices/new`;
let clients = 0;
const client = () => ({ 'cf-connecting-ip': `203.0.113.${++clients}` });

async function workspaceEvent() {
  const ws = await signUpWithWorkspace();
  const event = await createPublishedEvent(await workspaceApiKey(ws.organizerId));
  return { ws, event };
}

function shownCode(html: string): string {
  const match = /id="pairing-code">([A-Z0-9-]+)</.exec(html);
  if (!match?.[1]) throw new Error(`no pairing code on the page: ${html.slice(0, 300)}`);
  return match[1];
}

function pair(code: string, headers: Record<string, string> = client()) {
  return call<{
    token: string;
    device: { id: string; name: string; eventId: string };
    event: { id: string; title: string; startsAt: string };
  }>('POST', '/api/v1/door/pair', { body: { code }, headers });
}

describe('pairing a door device', () => {
  it('door staff add a device: the page shows a QR and a one-time code, never a token', async () => {
    const { ws, event } = await workspaceEvent();
    const door = await memberSession(ws.organizerId, 'door', [event.id]);
    const form = await page(NEW(event.id), door.cookie);
    expect(form.status).toBe(200);
    expect(form.text).toContain('All tickets');
    const shown = await postForm(NEW(event.id), { name: 'North door 1' }, { cookie: door.cookie });
    expect(shown.status).toBe(201);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const code = shownCode(shown.text);
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(shown.text).toContain(`Pairing QR code for North door 1`);
    expect(shown.text).not.toMatch(/dev_[0-9a-z]{32}/);
    const stored = await env.DB.prepare(
      'SELECT code_hash, expires_at, created_at FROM door_pairing_codes WHERE event_id = ?',
    )
      .bind(event.id)
      .first<{ code_hash: string; expires_at: string; created_at: string }>();
    expect(stored?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(stored?.expires_at ?? '') - Date.parse(stored?.created_at ?? '')).toBe(
      600_000,
    );

    // Typed in lower case without dashes, as a person might.
    const paired = await pair(code.replaceAll('-', '').toLowerCase());
    expect(paired.status).toBe(200);
    expect(paired.headers.get('cache-control')).toBe('no-store');
    expect(paired.body).toMatchObject({
      token: expect.stringMatching(/^dev_[0-9a-z]{32}$/),
      device: { name: 'North door 1', eventId: event.id },
      event: { id: event.id, title: expect.any(String), startsAt: expect.any(String) },
    });
    const bundle = await call('GET', '/api/v1/door/bundle?limit=1', {
      headers: bearer(paired.body.token),
    });
    expect(bundle.status).toBe(200);

    const again = await pair(code);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'invalid_token' });
  });

  it('two phones racing with one code: exactly one gets a token', async () => {
    const { ws, event } = await workspaceEvent();
    const shown = await postForm(NEW(event.id), { name: 'Gate A' }, { cookie: ws.cookie });
    const code = shownCode(shown.text);
    const answers = await Promise.all(Array.from({ length: 5 }, () => pair(code)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });

  it('an expired code, a revoked device and a replaced code are refused alike', async () => {
    const { ws, event } = await workspaceEvent();
    const first = shownCode(
      (await postForm(NEW(event.id), { name: 'Old' }, { cookie: ws.cookie })).text,
    );
    await env.DB.prepare('UPDATE door_pairing_codes SET expires_at = ? WHERE event_id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), event.id)
      .run();
    expect((await pair(first)).status).toBe(401);

    const shown = await postForm(NEW(event.id), { name: 'Side door' }, { cookie: ws.cookie });
    const deviceId = /devices\/(dvc_[0-9a-z]+)\/pairing-code/.exec(shown.text)?.[1] ?? '';
    const replaced = shownCode(shown.text);
    const renewed = await postForm(
      `/dashboard/events/${event.id}/devices/${deviceId}/pairing-code`,
      {},
      {
        cookie: ws.cookie,
      },
    );
    expect(renewed.status).toBe(201);
    const current = shownCode(renewed.text);
    expect((await pair(replaced)).status).toBe(401);
    const paired = await pair(current);
    expect(paired.status).toBe(200);

    // Pairing again moves the device to the new phone: the old token stops working.
    const third = shownCode(
      (
        await postForm(
          `/dashboard/events/${event.id}/devices/${deviceId}/pairing-code`,
          {},
          { cookie: ws.cookie },
        )
      ).text,
    );
    const moved = await pair(third);
    expect(moved.status).toBe(200);
    const old = await call('GET', '/api/v1/door/bundle?limit=1', {
      headers: bearer(paired.body.token),
    });
    expect(old.status).toBe(401);

    const fourth = shownCode(
      (
        await postForm(
          `/dashboard/events/${event.id}/devices/${deviceId}/pairing-code`,
          {},
          { cookie: ws.cookie },
        )
      ).text,
    );
    await env.DB.prepare('UPDATE door_devices SET revoked_at = ? WHERE id = ?')
      .bind(new Date().toISOString(), deviceId)
      .run();
    expect((await pair(fourth)).status).toBe(401);
  });

  it('who may add devices: door and box office yes, finance no, another workspace never sees it', async () => {
    const { ws, event } = await workspaceEvent();
    const boxOffice = await memberSession(ws.organizerId, 'box_office');
    expect((await page(NEW(event.id), boxOffice.cookie)).status).toBe(200);
    const finance = await memberSession(ws.organizerId, 'finance');
    expect((await page(NEW(event.id), finance.cookie)).status).toBe(403);
    const refused = await postForm(NEW(event.id), { name: 'Sneaky' }, { cookie: finance.cookie });
    expect(refused.status).toBe(403);
    const otherEventDoor = await memberSession(ws.organizerId, 'door', [
      'evt_00000000000000000000',
    ]);
    expect((await page(NEW(event.id), otherEventDoor.cookie)).status).toBe(404);
    const other = await signUpWithWorkspace('Elsewhere');
    expect((await page(NEW(event.id), other.cookie)).status).toBe(404);
    const devices = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM door_devices WHERE event_id = ?',
    )
      .bind(event.id)
      .first<{ n: number }>();
    expect(devices?.n).toBe(0);
  });

  it('a bad form comes back with errors at its fields and creates nothing', async () => {
    const { ws, event } = await workspaceEvent();
    const blank = await postForm(NEW(event.id), { name: '  ' }, { cookie: ws.cookie });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('aria-invalid="true"');
    const foreign = await postForm(
      NEW(event.id),
      { name: 'X', listIds: 'cl_nope' },
      { cookie: ws.cookie },
    );
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('No such check-in list');
    const devices = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM door_devices WHERE event_id = ?',
    )
      .bind(event.id)
      .first<{ n: number }>();
    expect(devices?.n).toBe(0);
  });

  it('guessing is limited: 10 tries a minute per address, then 429 with Retry-After', async () => {
    const address = { 'cf-connecting-ip': '198.18.0.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await pair('ABCD-EFGH-JKMN', address)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    const limited = await pair('ABCD-EFGH-JKMN', address);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
  });
});
