import { beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../worker/domain/ids';
import {
  memberSession,
  postForm,
  signIn,
  signUpWithWorkspace,
  uniqueEmail,
  type Workspace,
} from './support/dashboard';
import { settledSnapshot } from './support/db-snapshot';

/**
 * Every dashboard form joins the bad-input table: a clear message at the field, nothing
 * written, never a 500.
 */

let ws: Workspace;
let fresh: string;
let memberId: string;

beforeAll(async () => {
  ws = await signUpWithWorkspace('Bad input');
  fresh = await signIn(uniqueEmail('fresh'));
  memberId = (await memberSession(ws.organizerId, 'door')).memberId;
});

const workspace = {
  name: 'Acme',
  slug: `acme-${randomToken(6)}`,
  country: 'DE',
  currency: 'EUR',
  timezone: 'Europe/Berlin',
};

type Row = [string, string, Record<string, string | string[]>, 'fresh' | 'owner', string];
const rows: Row[] = [
  [
    'workspace: empty name',
    '/dashboard/workspaces/new',
    { ...workspace, name: ' ' },
    'fresh',
    'f-name-error',
  ],
  [
    'workspace: slug with spaces',
    '/dashboard/workspaces/new',
    { ...workspace, slug: 'a b' },
    'fresh',
    'f-slug-error',
  ],
  [
    'workspace: country of three letters',
    '/dashboard/workspaces/new',
    { ...workspace, country: 'DEU' },
    'fresh',
    'f-country-error',
  ],
  [
    'workspace: unknown currency',
    '/dashboard/workspaces/new',
    { ...workspace, currency: 'XYZ' },
    'fresh',
    'f-currency-error',
  ],
  [
    'workspace: unknown time zone',
    '/dashboard/workspaces/new',
    { ...workspace, timezone: 'Mars/Base' },
    'fresh',
    'f-timezone-error',
  ],
  ['workspace: nothing sent', '/dashboard/workspaces/new', {}, 'fresh', 'f-name-error'],
  [
    'workspace: unknown field',
    '/dashboard/workspaces/new',
    { ...workspace, organizerId: 'org_x' },
    'fresh',
    'Unknown field',
  ],
  [
    'invite: not an email',
    '/dashboard/team/invite',
    { email: 'nope', role: 'door' },
    'owner',
    'f-email-error',
  ],
  [
    'invite: unknown role',
    '/dashboard/team/invite',
    { email: uniqueEmail(), role: 'king' },
    'owner',
    'f-role-error',
  ],
  [
    'invite: event of nobody',
    '/dashboard/team/invite',
    { email: uniqueEmail(), role: 'door', eventIds: 'evt_nope' },
    'owner',
    'Pick events of this workspace',
  ],
  ['API key: no name', '/dashboard/api-keys', { name: '', role: 'admin' }, 'owner', 'f-name-error'],
  [
    'API key: owner role',
    '/dashboard/api-keys',
    { name: 'k', role: 'owner' },
    'owner',
    'f-role-error',
  ],
  [
    'API key: name too long',
    '/dashboard/api-keys',
    { name: 'x'.repeat(101), role: 'admin' },
    'owner',
    'f-name-error',
  ],
  [
    'role change: unknown role',
    '/dashboard/team/MEMBER/role',
    { role: 'king' },
    'owner',
    'Pick a role',
  ],
  ['sign-in: no email', '/dashboard/sign-in', {}, 'fresh', 'f-email-error'],
];

describe('dashboard forms refuse bad input', () => {
  for (const [name, path, fields, who, marker] of rows) {
    it(name, async () => {
      const before = await settledSnapshot();
      const res = await postForm(path.replace('MEMBER', memberId), fields, {
        cookie: who === 'fresh' ? fresh : ws.cookie,
      });
      expect(res.status, res.text.slice(0, 300)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain(marker);
      expect(await settledSnapshot()).toEqual(before);
    });
  }

  it('a taken workspace slug is an error at the field', async () => {
    const slug = `taken-${randomToken(6)}`;
    expect(
      (await postForm('/dashboard/workspaces/new', { ...workspace, slug }, { cookie: fresh }))
        .status,
    ).toBe(303);
    const other = await signIn(uniqueEmail('second'));
    const before = await settledSnapshot();
    const res = await postForm(
      '/dashboard/workspaces/new',
      { ...workspace, slug },
      { cookie: other },
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Another workspace uses this name');
    expect(await settledSnapshot()).toEqual(before);
  });

  it('unknown ids are 404 pages, never 500', async () => {
    for (const path of [
      '/dashboard/team/mem_nope/remove',
      '/dashboard/api-keys/key_nope/revoke',
      '/dashboard/team/invitations/inv_nope/revoke',
    ]) {
      const res = await postForm(path, {}, { cookie: ws.cookie });
      expect(res.status, path).toBe(404);
    }
  });
});
