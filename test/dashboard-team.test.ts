import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRoleKey } from './support/accounts';
import { type CreatedEvent, call, createPublishedEvent } from './support/api';
import {
  mailedToken,
  memberSession,
  page,
  postForm,
  signUpWithWorkspace,
  uniqueEmail,
  type Workspace,
} from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';

/** Team, invitations, roles and API keys in the dashboard (issue 9, "Team and roles"). */

let a: Workspace;
let event: CreatedEvent;
let otherEvent: CreatedEvent;

beforeAll(async () => {
  a = await signUpWithWorkspace('Workspace A');
  const auth = await createRoleKey(a.organizerId, 'admin');
  event = await createPublishedEvent(auth);
  otherEvent = await createPublishedEvent(auth);
});

const ownerCount = async (organizerId: string) =>
  (
    await env.DB.prepare(
      "SELECT count(*) AS n FROM memberships WHERE organizer_id = ? AND role = 'owner'",
    )
      .bind(organizerId)
      .first<{ n: number }>()
  )?.n;

async function auditActions(organizerId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    'SELECT action FROM audit_log WHERE organizer_id = ? ORDER BY created_at',
  )
    .bind(organizerId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

describe('invitations', () => {
  it('the invitee joins with the role and events of the invitation', async () => {
    const email = uniqueEmail('invitee');
    const sent = await postForm(
      '/dashboard/team/invite',
      { email, role: 'event_manager', eventIds: [event.id] },
      { cookie: a.cookie },
    );
    expect(sent.status).toBe(303);
    const token = await mailedToken(email);
    const joined = await postForm('/dashboard/auth', { token });
    expect(joined.status).toBe(303);
    expect(joined.location).toBe('/dashboard');
    const cookie = (joined.setCookie ?? '').split(';')[0] ?? '';
    const membership = await env.DB.prepare(
      'SELECT m.role, m.event_scope FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.email = ? AND m.organizer_id = ?',
    )
      .bind(email, a.organizerId)
      .first<{ role: string; event_scope: string }>();
    expect(membership).toEqual({ role: 'event_manager', event_scope: JSON.stringify([event.id]) });
    expect((await page(`/dashboard/events/${event.id}`, cookie)).status).toBe(200);
    expect((await page(`/dashboard/events/${otherEvent.id}`, cookie)).status).toBe(404);
    expect(await auditActions(a.organizerId)).toEqual(
      expect.arrayContaining(['member.invited', 'member.joined']),
    );
  });

  it('an expired invitation is refused and adds no member', async () => {
    const email = uniqueEmail('late');
    await postForm('/dashboard/team/invite', { email, role: 'door' }, { cookie: a.cookie });
    const token = await mailedToken(email);
    await env.DB.prepare('UPDATE invitations SET expires_at = ? WHERE email = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), email)
      .run();
    const res = await postForm('/dashboard/auth', { token });
    expect(res.status).toBe(400);
    const person = await env.DB.prepare(
      'SELECT count(*) AS n FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.email = ?',
    )
      .bind(email)
      .first<{ n: number }>();
    expect(person?.n).toBe(0);
  });

  it('a withdrawn invitation is refused', async () => {
    const email = uniqueEmail('withdrawn');
    await postForm('/dashboard/team/invite', { email, role: 'finance' }, { cookie: a.cookie });
    const token = await mailedToken(email);
    const row = await env.DB.prepare('SELECT id FROM invitations WHERE email = ?')
      .bind(email)
      .first<{ id: string }>();
    expect(
      (await postForm(`/dashboard/team/invitations/${row?.id}/revoke`, {}, { cookie: a.cookie }))
        .status,
    ).toBe(303);
    expect((await postForm('/dashboard/auth', { token })).status).toBe(400);
  });
});

describe('roles and owners', () => {
  it('the last owner can be neither removed nor demoted', async () => {
    const ws = await signUpWithWorkspace('Solo');
    const own = await env.DB.prepare('SELECT id FROM memberships WHERE organizer_id = ?')
      .bind(ws.organizerId)
      .first<{ id: string }>();
    const before = await settledSnapshot();
    const demote = await postForm(
      `/dashboard/team/${own?.id}/role`,
      { role: 'admin' },
      { cookie: ws.cookie },
    );
    expect(demote.status).toBe(409);
    expect(demote.text).toContain('keeps an owner');
    const remove = await postForm(`/dashboard/team/${own?.id}/remove`, {}, { cookie: ws.cookie });
    expect(remove.status).toBe(409);
    expect(await settledSnapshot()).toEqual(before);
    // With a second owner, the first may step down.
    await memberSession(ws.organizerId, 'owner');
    expect(
      (await postForm(`/dashboard/team/${own?.id}/role`, { role: 'admin' }, { cookie: ws.cookie }))
        .status,
    ).toBe(303);
    expect(await ownerCount(ws.organizerId)).toBe(1);
  });

  it('shows the only owner no Remove button nor role form the server would refuse, and says why', async () => {
    const ws = await signUpWithWorkspace('Alone');
    const own = await env.DB.prepare('SELECT id FROM memberships WHERE organizer_id = ?')
      .bind(ws.organizerId)
      .first<{ id: string }>();
    const solo = await page('/dashboard/team', ws.cookie);
    expect(solo.status).toBe(200);
    expect(solo.text).not.toContain(`/dashboard/team/${own?.id}/remove`);
    expect(solo.text).not.toContain(`/dashboard/team/${own?.id}/role`);
    expect(solo.text).toContain('The only owner: make someone else owner first');
    // Once there is a second owner, either may be changed or removed.
    await memberSession(ws.organizerId, 'owner');
    const two = await page('/dashboard/team', ws.cookie);
    expect(two.text).toContain(`/dashboard/team/${own?.id}/remove`);
    expect(two.text).toContain(`/dashboard/team/${own?.id}/role`);
    expect(two.text).not.toContain('The only owner');
  });

  it('an admin manages members but not owners', async () => {
    const admin = await memberSession(a.organizerId, 'admin');
    const owner = await env.DB.prepare(
      "SELECT id FROM memberships WHERE organizer_id = ? AND role = 'owner' ORDER BY created_at LIMIT 1",
    )
      .bind(a.organizerId)
      .first<{ id: string }>();
    const before = await settledSnapshot();
    expect(
      (await postForm(`/dashboard/team/${owner?.id}/remove`, {}, { cookie: admin.cookie })).status,
    ).toBe(403);
    expect(
      (
        await postForm(
          `/dashboard/team/${owner?.id}/role`,
          { role: 'door' },
          { cookie: admin.cookie },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await postForm(
          '/dashboard/team/invite',
          { email: uniqueEmail(), role: 'owner' },
          { cookie: admin.cookie },
        )
      ).status,
    ).toBe(403);
    expect(await settledSnapshot()).toEqual(before);
    const door = await memberSession(a.organizerId, 'door');
    expect(
      (
        await postForm(
          `/dashboard/team/${door.memberId}/role`,
          { role: 'box_office' },
          { cookie: admin.cookie },
        )
      ).status,
    ).toBe(303);
  });

  it('a removed member is out at the next request', async () => {
    const member = await memberSession(a.organizerId, 'box_office');
    expect((await page('/dashboard', member.cookie)).status).toBe(200);
    expect(
      (await postForm(`/dashboard/team/${member.memberId}/remove`, {}, { cookie: a.cookie }))
        .status,
    ).toBe(303);
    const res = await page('/dashboard', member.cookie);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/dashboard/workspaces');
    expect(await auditActions(a.organizerId)).toContain('member.removed');
  });
});

describe('API keys in the dashboard', () => {
  it('a key created in the UI is shown once, works with its role and scope, and is refused after revoke', async () => {
    const created = await postForm(
      '/dashboard/api-keys',
      { name: 'Door scanner', role: 'door', eventIds: [event.id] },
      { cookie: a.cookie },
    );
    expect(created.status).toBe(201);
    const key = /tsk_live_[0-9a-z]{32}/.exec(created.text)?.[0];
    if (!key) throw new Error('key not shown');
    const auth = { authorization: `Bearer ${key}` };
    // Shown once: the list never has it again.
    expect((await page('/dashboard/api-keys', a.cookie)).text).not.toContain(key);
    expect(
      (await call('GET', `/api/v1/organizer/events/${event.id}`, { headers: auth })).status,
    ).toBe(200);
    expect(
      (await call('GET', `/api/v1/organizer/events/${otherEvent.id}`, { headers: auth })).status,
    ).toBe(404);
    expect(
      (
        await call('PATCH', `/api/v1/organizer/events/${event.id}`, {
          headers: auth,
          body: { description: 'x' },
        })
      ).status,
    ).toBe(403);
    const row = await env.DB.prepare(
      'SELECT id, key_hash, last_used_at FROM api_keys WHERE label = ? AND organizer_id = ?',
    )
      .bind('Door scanner', a.organizerId)
      .first<{ id: string; key_hash: string; last_used_at: string | null }>();
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.last_used_at).not.toBeNull();
    expect((await page('/dashboard/api-keys', a.cookie)).text).not.toContain('Never');
    expect(
      (await postForm(`/dashboard/api-keys/${row?.id}/revoke`, {}, { cookie: a.cookie })).status,
    ).toBe(303);
    expect(
      (await call('GET', `/api/v1/organizer/events/${event.id}`, { headers: auth })).status,
    ).toBe(401);
    expect(await auditActions(a.organizerId)).toEqual(
      expect.arrayContaining(['apikey.created', 'apikey.revoked']),
    );
  });
});

describe('dashboard role matrix', () => {
  type Check = { action: string; run: (cookie: string) => Promise<number>; ok: number };
  const checks: Check[] = [
    {
      action: 'event.read',
      ok: 200,
      run: async (c) => (await page(`/dashboard/events/${event.id}`, c)).status,
    },
    { action: 'member.read', ok: 200, run: async (c) => (await page('/dashboard/team', c)).status },
    {
      action: 'member.manage',
      ok: 303,
      run: async (c) =>
        (
          await postForm(
            '/dashboard/team/invite',
            { email: uniqueEmail(), role: 'door' },
            { cookie: c },
          )
        ).status,
    },
    {
      action: 'apikey.manage (list)',
      ok: 200,
      run: async (c) => (await page('/dashboard/api-keys', c)).status,
    },
    {
      action: 'apikey.manage (create)',
      ok: 201,
      run: async (c) =>
        (await postForm('/dashboard/api-keys', { name: 'k', role: 'finance' }, { cookie: c }))
          .status,
    },
    {
      action: 'ownership.manage',
      ok: 303,
      run: async (c) =>
        (
          await postForm(
            '/dashboard/team/invite',
            { email: uniqueEmail(), role: 'owner' },
            { cookie: c },
          )
        ).status,
    },
  ];
  const allowed: Record<string, string[]> = {
    owner: checks.map((c) => c.action),
    admin: [
      'event.read',
      'member.read',
      'member.manage',
      'apikey.manage (list)',
      'apikey.manage (create)',
    ],
    event_manager: ['event.read'],
    box_office: ['event.read'],
    door: ['event.read'],
    finance: ['event.read', 'member.read'],
  };
  for (const [role, may] of Object.entries(allowed)) {
    it(`${role}: ${may.join(', ')}; 403 for the rest`, async () => {
      const member = await memberSession(a.organizerId, role as 'owner');
      for (const check of checks) {
        expect(await check.run(member.cookie), `${role} ${check.action}`).toBe(
          may.includes(check.action) ? check.ok : 403,
        );
      }
    });
  }

  it('a member limited to one event gets 404 for the others', async () => {
    const member = await memberSession(a.organizerId, 'event_manager', [event.id]);
    expect((await page(`/dashboard/events/${event.id}`, member.cookie)).status).toBe(200);
    expect((await page(`/dashboard/events/${otherEvent.id}`, member.cookie)).status).toBe(404);
    const home = await page('/dashboard', member.cookie);
    expect(home.text).toContain(`/dashboard/events/${event.id}`);
    expect(home.text).not.toContain(`/dashboard/events/${otherEvent.id}`);
  });
});

describe('isolation between workspaces', () => {
  it("workspace B never sees or touches A's events, members, keys or invitations (404)", async () => {
    const b = await signUpWithWorkspace('Workspace B');
    const aMember = await memberSession(a.organizerId, 'door');
    await postForm('/dashboard/api-keys', { name: 'A key', role: 'admin' }, { cookie: a.cookie });
    const aKey = await env.DB.prepare(
      'SELECT id FROM api_keys WHERE organizer_id = ? AND revoked_at IS NULL LIMIT 1',
    )
      .bind(a.organizerId)
      .first<{ id: string }>();
    await postForm(
      '/dashboard/team/invite',
      { email: uniqueEmail(), role: 'door' },
      { cookie: a.cookie },
    );
    const aInvite = await env.DB.prepare(
      'SELECT id FROM invitations WHERE organizer_id = ? AND revoked_at IS NULL LIMIT 1',
    )
      .bind(a.organizerId)
      .first<{ id: string }>();
    const before = await settledSnapshot();
    const answers = [
      await page(`/dashboard/events/${event.id}`, b.cookie),
      await postForm(
        `/dashboard/team/${aMember.memberId}/role`,
        { role: 'admin' },
        { cookie: b.cookie },
      ),
      await postForm(`/dashboard/team/${aMember.memberId}/remove`, {}, { cookie: b.cookie }),
      await postForm(`/dashboard/api-keys/${aKey?.id}/revoke`, {}, { cookie: b.cookie }),
      await postForm(`/dashboard/team/invitations/${aInvite?.id}/revoke`, {}, { cookie: b.cookie }),
      await postForm(
        '/dashboard/workspaces/switch',
        { organizerId: a.organizerId },
        { cookie: b.cookie },
      ),
    ];
    for (const res of answers) expect(res.status).toBe(404);
    // A's event as a scope of B's key or invitation is a field error, never a grant.
    const scoped = await postForm(
      '/dashboard/api-keys',
      { name: 'x', role: 'door', eventIds: [event.id] },
      { cookie: b.cookie },
    );
    expect(scoped.status).toBe(422);
    expect(await settledSnapshot()).toEqual(before);
    for (const path of ['/dashboard', '/dashboard/team', '/dashboard/api-keys']) {
      const text = (await page(path, b.cookie)).text;
      expect(text).not.toContain(event.id);
      expect(text).not.toContain(aMember.email);
      expect(text).not.toContain('A key');
    }
  });

  it('a person in two workspaces switches between them', async () => {
    const b = await signUpWithWorkspace('Workspace C');
    await env.DB.prepare(
      "INSERT INTO memberships (id, person_id, organizer_id, role) SELECT 'mem_switch' || hex(randomblob(8)), person_id, ?, 'finance' FROM memberships WHERE organizer_id = ?",
    )
      .bind(a.organizerId, b.organizerId)
      .run();
    const home = await page('/dashboard', b.cookie);
    expect(home.text).toContain('Workspace C');
    expect(home.text).toContain('name="organizerId"');
    expect(
      (
        await postForm(
          '/dashboard/workspaces/switch',
          { organizerId: a.organizerId },
          { cookie: b.cookie },
        )
      ).status,
    ).toBe(303);
    expect((await page('/dashboard', b.cookie)).text).toContain('Workspace A');
  });
});
